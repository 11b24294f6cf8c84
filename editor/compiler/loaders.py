"""Datapath → Python load statements (soar-format.md §3.5).

A block first materialises every datapath it reads, grouped by source: one ``collect2``
per source group (rows of columns), ``get_run_data`` for code-block outputs,
``get_format_data`` for format blocks, ``container.get`` chains for container fields.
Variable names follow SOAR's because user code refers to them.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field

from editor.compiler.writer import Writer, py_str
from editor.graph import datapath as dpmod
from editor.graph.datapath import Datapath

_NON_IDENT = re.compile(r"[^A-Za-z0-9_]")


def ident_part(text: str) -> str:
    """Make a datapath fragment usable inside a local variable name."""
    return _NON_IDENT.sub("_", text)


# Names a generated local must never take: the module's imports and the block
# function's own parameters (assigning them would break the generated code).
RESERVED_LOCALS = frozenset(
    {
        "phantom",
        "json",
        "datetime",
        "timedelta",
        "action",
        "success",
        "container",
        "results",
        "handle",
        "filtered_artifacts",
        "filtered_results",
        "custom_function",
        "loop_state_json",
        "kwargs",
        "parameters",
        "template",
        "inputs",
        "output",
        "summary",
        "loop_state",
    }
)


def safe_var(name: str) -> str:
    """A usable local variable name built from graph text (block names in datapaths are
    not validated: they may start with a digit or be a keyword)."""
    name = ident_part(name)
    if not name or name[0].isdigit() or keyword.iskeyword(name) or name in RESERVED_LOCALS:
        return "v_" + name
    return name


def column_suffix(path: str) -> str:
    return ident_part(path.lower().replace(".*.", "___").replace(".*", "").replace("*.", "").replace(".", "_"))


def artifact_suffix(path: str) -> str:
    """``*.cef._score`` → ``_cef__score``, ``*.name`` → ``_name``: the path after
    ``artifact:*`` with dots turned into underscores (soar-format.md §3.5)."""
    rest = path[1:] if path.startswith("*") else "." + path
    return ident_part(rest.replace(".", "_"))


def container_read(path: str) -> tuple[str, str]:
    """(variable, expression) for ``container:a.b.c``: a ``.get`` chain, never raising."""
    parts = [p for p in path.split(".") if p]
    expr = "container"
    for i, part in enumerate(parts):
        expr += f".get({py_str(part)}, {'None' if i == len(parts) - 1 else '{}'})"
    return safe_var("_".join(parts) + "_value"), expr


@dataclass
class Group:
    key: tuple[str, ...]
    var: str
    datapaths: list[str] = field(default_factory=list)
    kwargs: str = ""
    collect: bool = True  # False: single-value source (run data, format data, container)
    load_line: str = ""  # for non-collect groups
    column_names: list[str] = field(default_factory=list)
    loops: bool = True  # item-wise sources are iterated; whole-value sources are not

    @property
    def item(self) -> str:
        return f"{self.var}_item"

    def column(self, dp: str) -> int:
        return self.datapaths.index(dp)


class Loader:
    """Collects the datapaths one block reads and emits their load statements.

    The block template decides the rest: actions and custom functions call
    ``add_context_columns`` (rows tied back to artifacts); code blocks, on_finish and
    list inputs ask ``emit`` for per-column list variables.
    """

    def __init__(self, scope_all: bool, walrus: bool, *, has_results: bool = True) -> None:
        self.scope = ', scope="all"' if scope_all else ""
        self.walrus = walrus
        # on_finish(container, summary) has no `results`: its collect2 calls read the
        # run's stored action results by block name instead.
        self.results_kwarg = ", action_results=results" if has_results else ""
        self.groups: list[Group] = []
        self._by_key: dict[tuple[str, ...], Group] = {}
        self._by_dp: dict[str, Group] = {}
        # SOAR numbers filtered sources per kind: a block reading a filtered input and a
        # filtered result has filtered_input_0 *and* filtered_result_0 (user code relies on it).
        self._filtered_counters: dict[str, int] = {}

    # -- registration ------------------------------------------------------------------
    def add(self, raw: str) -> Group | None:
        """Register a datapath; returns its group, or None when it is a literal."""
        if raw in self._by_dp:
            return self._by_dp[raw]
        dp = dpmod.parse(raw)
        if dp is None or dp.kind in ("custom_list", "child_input"):
            return None
        group = self._group_for(dp)
        if group.collect and raw not in group.datapaths:
            group.datapaths.append(raw)
            group.column_names.append(safe_var(self._column_name(group, dp)))
        self._by_dp[raw] = group
        return group

    def _new(
        self,
        key: tuple[str, ...],
        var: str,
        kwargs: str = "",
        collect: bool = True,
        loops: bool = True,
        load_line: str = "",
    ) -> Group:
        group = self._by_key.get(key)
        if group is None:
            var = safe_var(var)
            if load_line:
                load_line = f"{var} = {load_line}"
            group = Group(key=key, var=var, kwargs=kwargs, collect=collect, loops=loops, load_line=load_line)
            self._by_key[key] = group
            self.groups.append(group)
        return group

    def _filtered_index(self, key: tuple[str, ...]) -> int:
        """Index of a filtered source among those of its kind (existing keys are reused
        by ``_new``, so their number is irrelevant)."""
        if key in self._by_key:
            return -1
        index = self._filtered_counters.get(key[0], 0)
        self._filtered_counters[key[0]] = index + 1
        return index

    def _group_for(self, dp: Datapath) -> Group:
        b = ident_part(dp.block or "")
        f = ident_part(dp.filter_block or "")
        if dp.kind == "container":
            var, expr = container_read(dp.path)
            return self._new(("container", dp.path), var, collect=False, loops=False, load_line=expr)
        if dp.kind == "code_output":
            var = f"{b}__{ident_part(dp.path)}"
            run_key = f"{dp.block}:{dp.path}"
            if self.walrus:
                read = (
                    f'json.loads(_ if (_ := phantom.get_run_data(key={py_str(run_key)})) != "" '
                    f'else "null")  # pylint: disable=used-before-assignment'
                )
            else:
                read = f"json.loads(phantom.get_run_data(key={py_str(run_key)}))"
            return self._new(("code", dp.raw), var, collect=False, loops=False, load_line=read)
        if dp.kind in ("format", "format_list"):
            name = (dp.block or "") if dp.kind == "format" else f"{dp.block}__as_list"
            var = ident_part(name)
            return self._new(
                ("format", name),
                var,
                collect=False,
                loops=dp.kind == "format_list",
                load_line=f"phantom.get_format_data(name={py_str(name)})",
            )
        if dp.filtered:
            base = (dp.filter_block or "", str(dp.condition))
            key: tuple[str, ...]
            if dp.kind == "playbook_input":
                key = ("finput", dp.raw)
                i = self._filtered_index(key)
                return self._new(key, f"filtered_input_{i}_{ident_part(dp.path)}")
            if dp.kind == "artifact":
                key = ("fartifact", *base)
                i = self._filtered_index(key)
                return self._new(key, f"filtered_artifact_{i}_data_{f}")
            if dp.kind == "action_result":
                key = ("fresult", *base, dp.block or "")
                i = self._filtered_index(key)
                return self._new(key, f"filtered_result_{i}_data_{f}")
            if dp.kind == "cf_result":
                key = ("fcf", *base, dp.block or "")
                i = self._filtered_index(key)
                return self._new(key, f"filtered_cf_result_{i}")
            key = ("foutput", *base, dp.block or "", dp.path.split(".")[0])
            i = self._filtered_index(key)
            return self._new(key, f"filtered_output_{i}_{b}_output_{ident_part(dp.path.split('.')[0])}")
        if dp.kind == "playbook_input":
            return self._new(("input", dp.raw), f"playbook_input_{ident_part(dp.path)}")
        if dp.kind == "artifact":
            return self._new(("artifact",), "container_artifact_data")
        if dp.kind == "action_result":
            return self._new(("result", dp.block or ""), f"{b}_result_data", kwargs=self.results_kwarg)
        if dp.kind == "cf_result":
            return self._new(("cf", dp.block or ""), self._cf_var(b, dp.path))
        if dp.kind in ("action_artifact", "app_summary"):
            # Classic datapaths of converted playbooks; read from the results like action_result.
            suffix = "artifact" if dp.kind == "action_artifact" else "summary"
            return self._new(("legacy", dp.block or "", dp.kind), f"{b}_{suffix}_data", kwargs=self.results_kwarg)
        root = dp.path.split(".")[0]
        return self._new(("output", dp.block or "", root), f"{b}_output_{ident_part(root)}")

    @staticmethod
    def _cf_var(b: str, path: str) -> str:
        """SOAR's name for a block's custom function results (user code reads it):
        ``B_data`` for ``data.*.P``, ``B_data_<seg>`` for ``data.<seg>.*.P``, else ``B__result``."""
        parts = path.split(".")
        if parts[:2] == ["data", "*"]:
            return f"{b}_data"
        if len(parts) > 2 and parts[0] == "data" and "*" in parts[2:]:
            return f"{b}_data_{ident_part(parts[1])}"
        return f"{b}__result"

    def _column_name(self, group: Group, dp: Datapath) -> str:
        kind = group.key[0]
        if kind in ("output", "foutput") and "." in dp.path:
            # several columns of one output (observable.value, observable.type…)
            return f"{group.var}_{column_suffix(dp.path.split('.', 1)[1])}_values"
        if kind in ("input", "finput", "output", "foutput"):
            return f"{group.var}_values"
        if kind == "fresult":
            return f"{group.var.split('_data_')[0]}_{column_suffix(dp.path)}"
        if kind == "fartifact":
            return f"{group.var.split('_data_')[0]}_{artifact_suffix(dp.path)}"
        if kind == "fcf":
            return f"{group.var}_{column_suffix(dp.path)}"
        if kind == "result":
            p = dp.path
            if p.startswith("parameter."):
                return f"{ident_part(dp.block or '')}_parameter_{ident_part(p[len('parameter.') :])}"
            if p == "message":
                return f"{ident_part(dp.block or '')}_result_message"
            if p.startswith("summary."):
                return f"{ident_part(dp.block or '')}_{column_suffix(p)}"
            return f"{ident_part(dp.block or '')}_result_item_{len(group.datapaths) - 1}"
        if kind == "cf":
            return f"{ident_part(dp.block or '')}_{column_suffix(dp.path)}"
        if kind == "legacy":
            return f"{group.var}_item_{len(group.datapaths) - 1}"
        # unfiltered artifacts: numbered columns, CEF fields apart from record attributes
        k = len(group.datapaths) - 1
        part = "cef" if dp.path.startswith("*.cef.") else "header"
        return f"container_artifact_{part}_item_{k}"

    # -- finishing -------------------------------------------------------------------
    def add_context_columns(self) -> None:
        """Actions tie each parameter row back to its artifact (``context.artifact_id``)."""
        for group in self.groups:
            kind = group.key[0]
            extra = None
            if kind == "artifact":
                extra = "artifact:*.id"
            elif kind == "fartifact":
                extra = f"filtered-data:{group.key[1]}:condition_{group.key[2]}:artifact:*.id"
            elif kind == "result":
                extra = f"{group.key[1]}:action_result.parameter.context.artifact_id"
            # Appended even when the block already reads the id itself: SOAR does.
            if extra:
                group.datapaths.append(extra)
                group.column_names.append(f"{group.var}_context")

    def context_column(self, group: Group) -> int | None:
        kind = group.key[0]
        if (
            kind in ("artifact", "fartifact", "result")
            and group.column_names
            and group.column_names[-1].endswith("_context")
        ):
            return len(group.datapaths) - 1
        return None

    def emit(self, w: Writer, columns: bool = False) -> None:
        for group in self.groups:
            if group.collect:
                dps = ", ".join(py_str(d) for d in group.datapaths)
                w.line(
                    f"{group.var} = phantom.collect2(container=container, datapath=[{dps}]{group.kwargs}{self.scope})"
                )
            else:
                w.line(group.load_line)
        if columns and any(g.collect for g in self.groups):
            w.line()
            for group in self.groups:
                if not group.collect:
                    continue
                for k, name in enumerate(group.column_names):
                    w.line(f"{name} = [item[{k}] for item in {group.var}]")

    # -- expressions -----------------------------------------------------------------
    def item_expr(self, raw: str) -> str | None:
        """Value of ``raw`` for the current row (inside the loops of ``loop_groups``)."""
        group = self._by_dp.get(raw)
        if group is None:
            return None
        if group.collect:
            return f"{group.item}[{group.column(raw)}]"
        if group.loops:
            return group.item
        return group.var

    def column_expr(self, raw: str) -> str | None:
        """The whole column of ``raw`` (list inputs, code blocks, outputs)."""
        group = self._by_dp.get(raw)
        if group is None:
            return None
        if group.collect:
            return group.column_names[group.column(raw)]
        return group.var

    def loop_groups(self, raws: list[str]) -> list[Group]:
        out: list[Group] = []
        for raw in raws:
            group = self._by_dp.get(raw)
            if group is not None and group.loops and group not in out:
                out.append(group)
        return out
