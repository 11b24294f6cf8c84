"""The items a datapath iterates: artifacts, action results, invocations, input values….

Datapaths that share a *group* (same source, same block, same filter) are read from the
same items, so their columns line up row by row (phantom-api.md §4.4). Each group
enumerates its items once per call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._datapath import Datapath, Kind
from ._source import DataSource, FilteredSet, Scope
from ._walk import get_all, get_one

DEFAULT_LIMIT = 2000  # SOAR's documented artifact cap when collect2/collect get limit=None

GroupKey = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Context:
    """The keyword arguments of a collect2/condition/decision/format call that affect reading."""

    scope: Scope = "new"
    action_results: Sequence[Mapping[str, Any]] | None = None
    filter_artifacts: Sequence[Mapping[str, Any]] | None = None
    tags: Sequence[str] | None = None
    limit: int | None = None  # None: no cap (callers apply DEFAULT_LIMIT where SOAR does)


@dataclass
class Items:
    """The items of one group; `objects[i]` is what a datapath's segments apply to."""

    family: str
    objects: Sequence[Any]
    parents: Sequence[Mapping[str, Any]] | None = None  # app run per action result
    linked: Sequence[Any] | None = None  # artifact per action result (B:artifact:* paths)
    keys: Sequence[Any] | None = None  # identity per item, for traces
    blocks: Sequence[str] | None = None  # block per result item (filtered sets store by block)

    def __len__(self) -> int:
        return len(self.objects)

    def key(self, i: int) -> Any:
        if self.keys is not None:
            return self.keys[i]
        obj = self.objects[i]
        if self.family == "artifact" and (type(obj) is dict or isinstance(obj, Mapping)):
            return obj.get("id")
        return i


def group_key(dp: Datapath) -> GroupKey:
    """Datapaths with equal keys read the same items (and zip row by row)."""
    k = dp.kind
    if k in (Kind.ACTION_RESULT, Kind.ACTION_ARTIFACT, Kind.APP_RUN):
        return ("result", dp.block, dp.filtered_by)
    if k is Kind.ARTIFACT:
        return ("artifact", dp.filtered_by)
    if k is Kind.FORMAT:
        return ("format", dp.block, bool(dp.segments))
    return (k.value, dp.block, dp.name, dp.filtered_by)


def source_key(dp: Datapath) -> str:
    """Where a `FilteredSet` keeps matched items of this datapath's non-artifact source."""
    k = dp.kind
    if k in (Kind.ACTION_RESULT, Kind.ACTION_ARTIFACT, Kind.APP_RUN, Kind.CALLBACK_RESULT):
        return f"result:{dp.block}"
    if k is Kind.PLAYBOOK_INPUT:
        return f"playbook_input:{dp.name}"
    if k is Kind.CF_RESULT:
        return f"custom_function_result:{dp.block}"
    return f"{k.value}:{dp.block}:{dp.name}"


def enumerate_items(source: DataSource, dp: Datapath, ctx: Context) -> Items:
    """The items of `dp`'s group, restricted to its filter set when it has one."""
    fs: FilteredSet | None = None
    if dp.filtered_by is not None:
        fs = source.filtered(dp.filtered_by)
        if fs is None:
            return Items(_family(dp), [])
    handler = _ENUMERATORS[dp.kind]
    return handler(source, dp, ctx, fs)


def base_objects(items: Items, dp: Datapath) -> Sequence[Any]:
    """Per item, the object `dp.segments` start from (app run, linked artifact, …)."""
    if dp.kind is Kind.APP_RUN:
        return items.parents or []
    if dp.kind is Kind.ACTION_ARTIFACT:
        return items.linked or []
    return items.objects


def column(items: Items, dp: Datapath) -> list[list[Any]]:
    """Per item, every value of `dp` ([] when a `*` meets an empty list)."""
    objs = base_objects(items, dp)
    segs = dp.segments
    expand = dp.kind in _EXPANDING
    if not dp.has_star and not expand:
        return [[get_one(o, segs)] for o in objs]
    return [get_all(o, segs, expand_lists=expand) for o in objs]


_EXPANDING = frozenset({Kind.PLAYBOOK_OUTPUT, Kind.CHILD_INPUT, Kind.PLAYBOOK_INPUT, Kind.CODE_OUTPUT})


def _family(dp: Datapath) -> str:
    return str(group_key(dp)[0])


def _artifacts(source: DataSource, dp: Datapath, ctx: Context, fs: FilteredSet | None) -> Items:
    if fs is not None:
        arts = source.artifacts(list(fs.artifact_ids)) if fs.artifact_ids else []
    else:
        arts = source.artifacts(ctx.scope)
        if ctx.tags:
            wanted = set(ctx.tags)
            arts = [a for a in arts if wanted.intersection(a.get("tags") or ())]
    if ctx.limit is not None and ctx.limit > 0 and len(arts) > ctx.limit:
        arts = arts[: ctx.limit]
    return Items("artifact", arts)


def _callback_artifacts(source: DataSource, dp: Datapath, ctx: Context, fs: FilteredSet | None) -> Items:
    return Items("artifact", list(ctx.filter_artifacts or []))


def _app_runs(source: DataSource, dp: Datapath, ctx: Context, fs: FilteredSet | None) -> list[Mapping[str, Any]]:
    block = dp.block or ""
    if fs is not None:
        return list(fs.results.get(block, ()))
    if dp.kind is Kind.CALLBACK_RESULT or ctx.action_results is not None:
        runs = ctx.action_results or []
        # The callback's `results` may carry app runs of other blocks only when a caller
        # passes a merged list; keep those named after this block (or unnamed ones).
        return [r for r in runs if r.get("name") in (None, block)]
    return list(source.action_results(block) or [])


def _results(source: DataSource, dp: Datapath, ctx: Context, fs: FilteredSet | None) -> Items:
    objects: list[Any] = []
    parents: list[Mapping[str, Any]] = []
    keys: list[Any] = []
    for n, run in enumerate(_app_runs(source, dp, ctx, fs)):
        run_id = run.get("app_run_id", n)
        for i, result in enumerate(run.get("action_results") or ()):
            objects.append(result)
            parents.append(run)
            keys.append(f"{dp.block}/{run_id}/{i}")
    items = Items("result", objects, parents=parents, keys=keys, blocks=[dp.block or ""] * len(objects))
    items.linked = _LinkedArtifacts(source, objects)
    return items


class _LinkedArtifacts(Sequence[Any]):
    """The artifact each action result ran on, fetched in one call the first time it is read."""

    def __init__(self, source: DataSource, results: Sequence[Any]) -> None:
        self._source = source
        self._results = results
        self._resolved: list[Any] | None = None

    def _load(self) -> list[Any]:
        if self._resolved is None:
            ids = [get_one(r, ("parameter", "context", "artifact_id")) for r in self._results]
            wanted = sorted({i for i in ids if isinstance(i, int)})
            by_id = {a.get("id"): a for a in self._source.artifacts(wanted)} if wanted else {}
            self._resolved = [by_id.get(i) for i in ids]
        return self._resolved

    def __len__(self) -> int:
        return len(self._results)

    def __getitem__(self, index: Any) -> Any:
        return self._load()[index]


def _values(family: str, fetch: Callable[[DataSource, Datapath], Any]) -> Callable[..., Items]:
    def enumerate_values(source: DataSource, dp: Datapath, ctx: Context, fs: FilteredSet | None) -> Items:
        if fs is not None:
            return Items(family, list(fs.values.get(source_key(dp), ())))
        value = fetch(source, dp)
        if value is None and family in ("input", "output", "child_input", "cf"):
            return Items(family, [])
        # Lists become one item per element; scalars are one item (phantom-api.md §4.3).
        return Items(family, list(value) if isinstance(value, list | tuple) else [value])

    return enumerate_values


def _outputs(source: DataSource, dp: Datapath) -> Any:
    runs = source.child_playbook_outputs(dp.block or "")
    if runs is None:
        return None
    out: list[Any] = []
    for outputs in runs:
        value = outputs.get(dp.name or "") if isinstance(outputs, Mapping) else None
        out.extend(value if isinstance(value, list) else [value])
    return out


def _child_input(source: DataSource, dp: Datapath) -> Any:
    inputs = source.child_playbook_inputs(dp.block or "")
    return None if inputs is None else inputs.get(dp.name or "")


def _format(source: DataSource, dp: Datapath, ctx: Context, fs: FilteredSet | None) -> Items:
    data = source.format_output(dp.block or "")
    if dp.segments:
        return Items("format", list(data.rows) if data is not None else [])
    return Items("format", [data.text if data is not None else None])


def _container(source: DataSource, dp: Datapath, ctx: Context, fs: FilteredSet | None) -> Items:
    return Items("container", [source.container()], keys=["container"])


def _custom_list(source: DataSource, dp: Datapath, ctx: Context, fs: FilteredSet | None) -> Items:
    return Items("custom_list", list(source.custom_list(dp.name or "") or []))


_ENUMERATORS: dict[Kind, Callable[[DataSource, Datapath, Context, FilteredSet | None], Items]] = {
    Kind.ARTIFACT: _artifacts,
    Kind.CALLBACK_ARTIFACT: _callback_artifacts,
    Kind.ACTION_RESULT: _results,
    Kind.ACTION_ARTIFACT: _results,
    Kind.APP_RUN: _results,
    Kind.CALLBACK_RESULT: _results,
    Kind.CF_RESULT: _values("cf", lambda s, dp: s.custom_function_results(dp.block or "")),
    Kind.CODE_OUTPUT: _values("code", lambda s, dp: s.code_output(dp.block or "", dp.name or "")),
    Kind.PLAYBOOK_INPUT: _values("input", lambda s, dp: s.playbook_inputs().get(dp.name or "")),
    Kind.PLAYBOOK_OUTPUT: _values("output", _outputs),
    Kind.CHILD_INPUT: _values("child_input", _child_input),
    Kind.FORMAT: _format,
    Kind.CONTAINER: _container,
    Kind.CUSTOM_LIST: _custom_list,
}
