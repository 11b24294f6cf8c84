"""Classic (JointJS) playbook → modern (nodes/edges) playbook, with a report.

Order of work: read the cells, name the blocks, convert each cell (``blocks``/``apis``),
carry custom code, wire links into edges, lay out, then validate and compile the result
and compare what it does with what the classic code did (``behaviour``).
"""

from __future__ import annotations

import ast
import copy
import json
import re
from dataclasses import dataclass
from typing import Any

from editor.classic.apps import AppIndex
from editor.classic.blocks import BlockContext, NodeSpec, converter_for, is_legacy_prompt
from editor.classic.cells import (
    Cell,
    ClassicPlaybook,
    JSONDict,
    Link,
    modern_names,
    read_classic,
    selector_branch,
    text,
)
from editor.classic.customcode import commented, fit_function, parse, py3_names, syntax_error
from editor.classic.layout import reads_top_down, relayout
from editor.classic.legacy import Upstream, artifact_source, has_legacy, rewrite, rewrite_code_exact
from editor.classic.rename import rename_code
from editor.classic.report import BlockReport, Report
from editor.graph.model import END_ID, START_ID


def soarfile_dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True)

MODERN_VERSION = "6.2.0.355"  # the generator style the compiler targets for converted playbooks
MODERN_SCHEMA = "5.0.11"
_MODERN_TYPE = {"StartEnd": "start/end", "Action": "action", "Filter": "filter", "Decision": "decision",
                "Format": "format", "Prompt": "prompt", "Task": "code", "API": "utility/api",
                "FunctionBlock": "code", "CustomFunctionBlock": "utility/custom_function",
                "CallPlaybook": "playbook"}
_REGION_TYPES = ("action", "format", "code", "utility", "playbook", "end")


@dataclass
class Conversion:
    playbook: JSONDict  # the modern document
    report: Report
    source: str | None = None  # the compiled module, when the result compiles


def is_classic(doc: object) -> bool:
    coa = doc.get("coa") if isinstance(doc, dict) else None
    data = coa.get("data") if isinstance(coa, dict) else None
    return isinstance(data, dict) and "joint" in data and "nodes" not in data


def python_functions(source: str | None) -> dict[str, str]:
    """Top-level functions of the classic ``.py`` by name: for customised blocks the
    ``.py`` is what ran (the JSON's copy is often older, soar-format.md §5.3)."""
    tree = parse(source) if source else None
    if tree is None or source is None:
        return {}
    lines = source.split("\n")
    return {s.name: "\n".join(lines[s.lineno - 1 : s.end_lineno]) for s in tree.body if isinstance(s, ast.FunctionDef)}


class _Converter:
    def __init__(self, pb: ClassicPlaybook, name: str, python: str | None, apps: AppIndex | None) -> None:
        self.pb = pb
        self.report = Report(name)
        self.apps = apps
        self.py_functions = python_functions(python)
        self.cells = pb.cells
        self.start = next((c for c in self.cells if c.is_start), None)
        self.end = next((c for c in self.cells if c.is_end), None)
        self.names_by_id = modern_names(self.cells)
        if self.start is not None:
            self.names_by_id[self.start.id] = "on_start"
        if self.end is not None:
            self.names_by_id[self.end.id] = "on_finish"
        self.names = {c.classic_name: self.names_by_id[c.id] for c in self.cells if c.id in self.names_by_id}
        self.nodes: dict[str, JSONDict] = {}
        self.first: dict[str, str] = {}  # cell id → node id receiving its links
        self.last: dict[str, str] = {}  # cell id → node id its links leave from
        self.reports: dict[str, BlockReport] = {}
        self.hoisted: list[str] = []
        self.legacy_prompts = [self.names_by_id[c.id] for c in self.cells
                               if is_legacy_prompt(c) and not c.has_custom_block and c.id in self.names_by_id]
        self.positions: dict[str, tuple[float, float]] = {}
        self.used = set(self.names.values())
        self.node_reports: dict[str, BlockReport] = {}
        self.edges: list[tuple[str, str, int | None, int]] = []  # (source, target, branch, call position)
        self.upstream: dict[str, Upstream] = {}

    # -- blocks --------------------------------------------------------------------------
    def convert_cells(self) -> None:
        next_id = 2
        for cell in self.cells:
            if cell is self.start:
                ids = [START_ID]
            elif cell is self.end:
                ids = [END_ID]
            else:
                ids = []
            name = self.names_by_id.get(cell.id) or self._fresh(cell.classic_name.lower())
            rep = BlockReport(cell.classic_name, cell.kind, None, _MODERN_TYPE.get(cell.kind, "code"))
            if cell.kind == "StartEnd" and not ids:
                rep.needs_review(f"a second {cell.title or 'start/end'} block has no modern place; it became an "
                                 "empty code block")
                cell = Cell({**cell.raw, "type": "coa.Unknown"}, cell.index)
            ctx = BlockContext(cell, name, self.names, rep, self.apps, self.hoisted)
            specs = converter_for(cell)(ctx)
            self._custom_code(cell, specs, rep)
            while len(ids) < len(specs):
                ids.append(str(next_id))
                next_id += 1
            for i, (nid, spec) in enumerate(zip(ids, specs, strict=True)):
                if i > 0:
                    spec.name = self._fresh(spec.name) if spec.name in self.used - {spec.name} else spec.name
                    self.used.add(spec.name)
                self.nodes[nid] = self._node(nid, spec)
                x, y = cell.position
                self.positions[nid] = (x + 40.0 * i, y + 120.0 * i)
            for a, b in zip(ids, ids[1:], strict=False):
                self.edges.append((a, b, None, 0))
            self.first[cell.id], self.last[cell.id] = ids[0], ids[-1]
            rep.node_id = ids[0]
            rep.modern_name = specs[0].name
            rep.modern_type = specs[0].type if specs[0].type != "utility" else \
                f"utility/{specs[0].data.get('utilityType')}"
            if cell.custom_callback or cell.custom_join:
                kind = "callback" if cell.custom_callback else "join"
                kept = cell.custom_callback or cell.custom_join
                note = self.nodes[ids[0]]["data"]["advanced"]
                note["note"] = (text(note.get("note")) + f"\n\nClassic custom {kind} (not converted):\n{kept}").strip()
                rep.needs_review(f"the classic custom {kind} code has no modern place; it is kept in the block's note "
                                 "for you to move into the block's custom code")
            self.reports[cell.id] = rep
            for nid in ids:
                self.node_reports[nid] = rep
            self.report.blocks.append(rep)
        for missing, nid, kind in ((self.start, START_ID, "start"), (self.end, END_ID, "end")):
            if missing is None:
                fn = "on_start" if kind == "start" else "on_finish"
                self.nodes[nid] = self._node(nid, NodeSpec(fn, kind, {"advanced": {"join": []}}))
                self.positions[nid] = (0.0, 0.0)
                self.report.notes.append(f"the classic playbook had no {kind} block; one was added")

    def _fresh(self, base: str) -> str:
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self.used.add(name)
        return name

    def _node(self, nid: str, spec: NodeSpec) -> JSONDict:
        data = copy.deepcopy(spec.data)
        data["functionName"] = spec.name
        data["id"] = nid
        data["type"] = spec.type
        node: JSONDict = {"data": data, "errors": {}, "id": nid, "type": spec.type, "warnings": {}}
        if spec.user_code is not None and spec.type in _REGION_TYPES:
            node["userCode"] = spec.user_code
        if spec.custom_code is not None:
            node["customCode"] = spec.custom_code
        return node

    def _custom_code(self, cell: Cell, specs: list[NodeSpec], rep: BlockReport) -> None:
        if not cell.has_custom_block:
            return
        code = cell.custom_code
        from_py = self.py_functions.get(cell.classic_name)
        if from_py and from_py.strip() != code.strip():
            code = from_py
            rep.change("the custom code was taken from the .py, which was edited after the JSON was saved")
        fitted = fit_function(code, specs[0].name, self.names)
        for c in fitted.changes:
            rep.change(c)
        if fitted.code is not None:
            specs[0].custom_code = fitted.code
            if fitted.hoisted:
                self.hoisted.append(fitted.hoisted)
            rep.change("the whole-block custom code is carried as the block's custom function (customCode): it "
                       "runs instead of code generated from the block's settings")
            return
        for p in fitted.problems:
            rep.needs_review(p + "; the block now runs code generated from its settings")
        kept = commented(code)
        if specs[0].type in _REGION_TYPES:
            specs[0].user_code = ((specs[0].user_code or "") + "\n    # Classic custom code (not runnable as is):\n"
                                  + kept).strip("\n")
        else:
            adv = specs[0].data.setdefault("advanced", {})
            adv["note"] = (text(adv.get("note")) + "\n\nClassic custom code (not runnable as is):\n" + code).strip()

    # -- edges -----------------------------------------------------------------------------
    def convert_links(self) -> None:
        by_id = self.pb.by_id()
        wired: list[tuple[str, str, int | None, int]] = []
        for link in self.pb.links:
            s, t = by_id.get(link.source), by_id.get(link.target)
            if s is None or t is None or s.id not in self.last or t.id not in self.first:
                self.report.notes.append("a link to a missing block was dropped")
                continue
            src, tgt = self.last[s.id], self.first[t.id]
            if tgt == START_ID or src == END_ID or src == tgt:
                self.report.notes.append(f"an impossible link ({s.classic_name} → {t.classic_name}) was dropped")
                continue
            branch = self._branch(s, src, link)
            wired.append((src, tgt, branch, self._call_position(s, t)))
        wired.sort(key=lambda e: (e[3],))  # stable: link order among equal positions
        seen: dict[tuple[str, str], list[int | None]] = {}
        for src, tgt, branch, pos in wired:
            branches = seen.setdefault((src, tgt), [])
            if branch in branches:
                continue
            branches.append(branch)
            if len(branches) == 1:
                self.edges.append((src, tgt, branch, pos))
            else:
                self._branch_join(src, tgt, branch, pos)

    def _branch(self, cell: Cell, src: str, link: Link) -> int | None:
        node = self.nodes[src]
        if node["type"] not in ("decision", "filter"):
            return None
        count = len(node["data"].get("conditions") or [])
        k = link.port or selector_branch(link)
        if k is None or not 1 <= k <= count:
            self.reports[cell.id].needs_review(
                f"a link leaves {cell.classic_name} without saying which branch; it was put on branch 1")
            k = 1
        return k - 1

    def _call_position(self, source: Cell, target: Cell) -> int:
        """Where the classic code calls ``target``: modern edge order is call order."""
        name = re.escape(target.classic_name)
        m = re.search(rf"(?<![A-Za-z0-9_])(join_)?{name}\(", source.effective_code)
        return m.start() if m else 1 << 30

    def _branch_join(self, src: str, tgt: str, branch: int | None, pos: int) -> None:
        """A second branch of one decision/filter into the same block.  Modern edges are
        unique per pair of blocks, so this branch goes through a pass-through block and
        the target gets a join, which calls it whichever branch matched."""
        source = self.nodes[src]["data"]["functionName"]
        target = self.nodes[tgt]["data"]["functionName"]
        label = (branch or 0) + 1
        name = self._fresh(f"{source}_branch_{label}")
        nid = str(max(int(n) for n in self.nodes) + 1)
        code = (f"    # Branch {label} of {source} also leads to {target}; this block only passes control on "
                f"(classic wired both branches to it).")
        data: JSONDict = {"advanced": {"join": [], "customName": "", "customNameId": 0,
                                       "description": f"branch {label} of {source} → {target}"},
                          "functionId": label, "inputParameters": [], "outputVariables": []}
        self.nodes[nid] = self._node(nid, NodeSpec(name, "code", data, user_code=code))
        sx, sy = self.positions.get(src, (0.0, 0.0))
        self.positions[nid] = (sx + 60.0, sy + 60.0)
        self.edges.append((src, nid, branch, pos))
        self.edges.append((nid, tgt, None, 0))
        for rep in self.report.blocks:
            if rep.node_id == src:
                rep.change(f"branches of {source} lead to {target} more than once: branch {label} goes through the "
                           f"pass-through block {name} and {target} gets a join (SOAR's own converter refuses this)")

    def legacy_paths(self) -> None:
        """Rewrite pre-4.x datapaths once the edges say which filter calls each block."""
        parents: dict[str, list[tuple[str, int | None]]] = {}
        for s, t, b, _ in self.edges:
            parents.setdefault(t, []).append((s, b))
        sources: dict[str, str] = {}
        for node in self.nodes.values():
            if node["type"] == "action":
                prefix = artifact_source(node["data"].get("parameters") or {})
                if prefix is not None:
                    sources[node["data"]["functionName"]] = prefix
        for nid, node in self.nodes.items():
            ups = []
            for src, branch in parents.get(nid, []):
                parent = self.nodes[src]
                if parent["type"] == "filter" and branch is not None:
                    up = Upstream(parent["data"]["functionName"], branch + 1)
                else:
                    up = Upstream()
                if up not in ups:
                    ups.append(up)
            self.upstream[nid] = ups[0] if ups else Upstream()
            exact: list[str] = []
            approx: list[str] = []

            conditional = node["type"] in ("filter", "decision")

            def fix(value: str, up: Upstream = self.upstream[nid], exact: list[str] = exact,
                    approx: list[str] = approx, conditional: bool = conditional) -> str:
                found = rewrite(value, up, sources)
                if found is None or (conditional and not found.exact):
                    # Conditions hand their datapaths to the engine as text, and the
                    # engine still reads X:artifact:* and X:summary.*: kept exactly.
                    return value
                (exact if found.exact else approx).append(f"{value} → {found.value}")
                return found.value

            node["data"] = _map_strings(node["data"], fix)
            rep = self.node_reports.get(nid)
            if rep is None:
                continue
            if exact:
                rep.change("legacy datapaths rewritten: " + "; ".join(exact))
                if len(ups) > 1:
                    rep.needs_review("the block is called from several filter branches; legacy datapaths were "
                                     "rewritten for the first one")
            for item in approx:
                rep.needs_review(f"legacy datapath approximated ({item}); check it reads the same data")
            for key in ("customCode", "userCode"):
                if isinstance(node.get(key), str) and has_legacy(node[key]):
                    rep.change("the custom code still reads legacy datapaths (filtered-action_result / "
                               "filtered-artifact), resolved from the arguments the block is called with")

    def classic_code(self, cell: Cell | None) -> str:
        """The classic code of a cell (``None``: the global code) in modern terms:
        renamed blocks, exact legacy datapath rewrites, prompt2 answers (for the
        behaviour comparison)."""
        if cell is None:
            return rename_code(self.pb.global_code, self.names)
        code = rename_code(cell.effective_code, self.names)
        if self.legacy_prompts:
            code = prompt_paths(code, self.legacy_prompts)
        if cell.has_custom_block:
            return code  # carried verbatim, legacy datapaths included
        up = self.upstream.get(self.first.get(cell.id, ""), Upstream())
        return rewrite_code_exact(code, up)

    def break_cycles(self) -> None:
        """Classic graphs could loop back (poll a report until it is ready); modern
        graphs cannot, their loops live inside one block.  The links that close a
        cycle are dropped and the block that looped is flagged."""
        children: dict[str, list[int]] = {}
        for i, (s, _, _, _) in enumerate(self.edges):
            children.setdefault(s, []).append(i)
        state: dict[str, int] = {}
        back: set[int] = set()
        roots = [START_ID] + sorted((n for n in self.nodes if n != START_ID), key=int)
        for root in roots:
            if root in state:
                continue
            stack: list[tuple[str, int]] = [(root, 0)]
            state[root] = 1
            while stack:
                nid, k = stack.pop()
                kids = children.get(nid, [])
                if k < len(kids):
                    stack.append((nid, k + 1))
                    edge = kids[k]
                    target = self.edges[edge][1]
                    if state.get(target) == 1:
                        back.add(edge)
                    elif target not in state:
                        state[target] = 1
                        stack.append((target, 0))
                else:
                    state[nid] = 2
        for i in sorted(back):
            s, t, _, _ = self.edges[i]
            src, tgt = self.nodes[s]["data"]["functionName"], self.nodes[t]["data"]["functionName"]
            rep = self.node_reports.get(s)
            message = (f"the classic playbook looped back from {src} to {tgt}; modern graphs cannot loop, so that "
                       "link was removed: use the block's loop settings to repeat it")
            if rep is not None:
                rep.needs_review(message)
            else:
                self.report.review.append(message)
        self.edges = [e for i, e in enumerate(self.edges) if i not in back]

    # -- the rest ----------------------------------------------------------------------------
    def joins(self) -> None:
        for cell in self.cells:
            optional = [self.names.get(n, n.lower()) for n in cell.join_optional]
            if optional and cell.id in self.first:
                adv = self.nodes[self.first[cell.id]]["data"]["advanced"]
                adv["notRequiredJoins"] = optional
                self.reports[cell.id].change("optional join inputs (join_optional) became notRequiredJoins")

    def global_code(self) -> str | None:
        parts = [rename_code(self.pb.global_code, self.names).strip("\n")] + [h.strip("\n") for h in self.hoisted]
        code = "\n\n".join(p for p in parts if p.strip())
        if not code:
            return None
        code, py2 = py3_names(code)
        if py2:
            self.report.notes.append(f"Python 2 names in the global code replaced by their Python 3 equivalents: "
                                     f"{', '.join(py2)}")
        problem = syntax_error(code)
        if problem:
            self.report.review.append(f"the global code is not valid Python 3 ({problem}); it was kept as comments")
            return commented(code, indent="")
        if self.pb.global_code.strip():
            self.report.notes.append("the classic global code block became the global custom code")
        return code + "\n"

    def legacy_prompt_paths(self) -> None:
        if not self.legacy_prompts:
            return
        for node in self.nodes.values():
            for key in ("userCode", "customCode"):
                if isinstance(node.get(key), str):
                    node[key] = prompt_paths(node[key], self.legacy_prompts)
            node["data"] = _map_strings(node["data"], lambda s: prompt_paths(s, self.legacy_prompts))

    def layout(self) -> None:
        pairs = [(s, t) for s, t, _, _ in self.edges]
        if reads_top_down(self.positions, pairs):
            placed = self.positions
        else:
            placed = relayout(self.positions, pairs)
            self.report.notes.append("blocks were re-laid out top to bottom (the classic layout ran left to right)")
        for nid, node in self.nodes.items():
            node["x"], node["y"] = placed.get(nid, (0.0, 0.0))

    def document(self) -> JSONDict:
        src = self.pb.doc
        data = self.pb.data
        edges = []
        for s, t, branch, _ in self.edges:
            edge: JSONDict = {"id": f"port_{s}_to_port_{t}", "sourceNode": s, "sourcePort": f"{s}_out",
                              "targetNode": t, "targetPort": f"{t}_in"}
            if branch is not None:
                edge["conditions"] = [{"index": branch}]
            edges.append(edge)
        tags = src.get("tags")
        labels = src.get("labels")
        return {
            "blockly": False,
            "blockly_xml": "<xml></xml>",
            "category": text(src.get("category")) or "Uncategorized",
            "coa": {
                "data": {"description": text(data.get("description")), "edges": edges,
                         "globalCustomCode": self.global_code(), "hash": "", "nodes": self.nodes,
                         "notes": text(data.get("notes"))},
                "input_spec": None,
                "output_spec": None,
                "playbook_type": "automation",
                "python_version": "3",
                "schema": MODERN_SCHEMA,
                "version": MODERN_VERSION,
            },
            "create_time": text(src.get("create_time")),
            "draft_mode": bool(src.get("draft_mode", False)),
            "labels": [x for x in labels if isinstance(x, str)] if isinstance(labels, list) else ["*"],
            "tags": [x for x in tags if isinstance(x, str)] if isinstance(tags, list) else [],
        }


def prompt_paths(value: str, prompts: list[str]) -> str:
    """Legacy prompts answered in ``summary.response``; prompt2 in ``summary.responses``."""
    alternatives = "|".join(re.escape(p) for p in prompts)
    return re.sub(rf"(?<![A-Za-z0-9_])({alternatives}):action_result\.summary\.response(?![A-Za-z0-9_])",
                  r"\1:action_result.summary.responses.0", value)


def _map_strings(value: Any, fn: Any) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    return value


def convert_classic(doc: JSONDict, *, name: str = "", python: str | None = None,
                    apps: AppIndex | None = None, check: bool = True) -> Conversion:
    """Convert a classic playbook document (parsed JSON).  ``python`` is the classic
    ``.py`` when there is one; ``apps`` finds the app of actions whose cell names none.
    With ``check`` the result is validated, compiled and compared with the classic code;
    problems land in the report, never raise."""
    conv = _Converter(read_classic(doc), name, python, apps)
    conv.convert_cells()
    conv.convert_links()
    conv.break_cycles()
    conv.legacy_paths()
    conv.joins()
    conv.legacy_prompt_paths()
    conv.layout()
    # Keys sorted as SOAR writes them: the compiler follows dict order (parameter order),
    # so the document must compile the same before and after an export → import.
    out = json.loads(soarfile_dumps(conv.document()))
    conv.report.blocks.sort(key=lambda b: int(b.node_id) if b.node_id and b.node_id.isdigit() else 1 << 30)
    conversion = Conversion(out, conv.report)
    if not conv.cells:
        conv.report.notes.append("the classic playbook has no blocks")
    if check:
        from editor.classic.checks import check_conversion

        check_conversion(conversion, conv.cells, conv.classic_code)
    return conversion
