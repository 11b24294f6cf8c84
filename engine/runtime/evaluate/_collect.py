"""`collect2`, `collect` and `resolve`: datapaths → rows / values (phantom-api.md §4.4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import zip_longest
from typing import Any

from ._datapath import Datapath, Kind, parse_datapath
from ._items import DEFAULT_LIMIT, Context, Items, column, enumerate_items, group_key
from ._source import DataSource, Scope
from ._walk import get_one

Row = list[Any]


def collect2(
    source: DataSource,
    datapaths: Sequence[str],
    *,
    scope: Scope = "new",
    action_results: Sequence[Mapping[str, Any]] | None = None,
    filter_artifacts: Sequence[Mapping[str, Any]] | None = None,
    tags: Sequence[str] | None = None,
    limit: int | None = None,
) -> list[Row]:
    """Rows of values, one column per datapath, as SOAR's ``phantom.collect2``.

    Datapaths reading the same items zip row by row: one row per artifact, one row per
    action result (per `data.*` element when a column has `*`, other columns repeated; an
    empty `data` still gives one row with None), one row per input/output value.
    Datapaths of different sources (never mixed in generated code) are zipped by row
    index and padded with None. `limit=None` caps artifacts at 2,000 as SOAR does; pass
    a number (or 0 for no cap) to change it. Raises `DatapathError` for a malformed path.
    """
    parsed = [parse_datapath(dp, strict=False) for dp in datapaths]
    ctx = Context(scope, action_results, filter_artifacts, tags, DEFAULT_LIMIT if limit is None else limit)
    return rows_for(source, parsed, ctx)


def collect(
    source: DataSource,
    datapath: str | Sequence[str],
    *,
    scope: Scope = "new",
    action_results: Sequence[Mapping[str, Any]] | None = None,
    limit: int | None = None,
) -> list[Any]:
    """The old flat form: every value of one datapath (first column when given a list)."""
    paths = [datapath] if isinstance(datapath, str) else list(datapath)
    if not paths:
        return []
    return [row[0] for row in collect2(source, paths[:1], scope=scope, action_results=action_results, limit=limit)]


def resolve(
    source: DataSource,
    datapath: str | Datapath,
    *,
    scope: Scope = "new",
    action_results: Sequence[Mapping[str, Any]] | None = None,
) -> list[Any]:
    """Every value `datapath` denotes, `*` expanded, None for missing keys; no artifact cap.

    Raises `DatapathError` when `datapath` is a malformed string.
    """
    dp = parse_datapath(datapath, strict=False) if isinstance(datapath, str) else datapath
    if dp.kind is Kind.CUSTOM_LIST:
        return [cell for row in source.custom_list(dp.name or "") or () for cell in row]
    items = enumerate_items(source, dp, Context(scope, action_results))
    out: list[Any] = []
    for values in column(items, dp):
        out.extend(values if values else [None])
    return out


def rows_for(source: DataSource, parsed: Sequence[Datapath], ctx: Context) -> list[Row]:
    """`collect2` over already parsed datapaths."""
    if not parsed:
        return []
    groups: dict[tuple[Any, ...], list[int]] = {}
    for index, dp in enumerate(parsed):
        groups.setdefault(group_key(dp), []).append(index)
    if len(groups) == 1:
        return _group_rows(enumerate_items(source, parsed[0], ctx), parsed)
    width = len(parsed)
    per_group: list[tuple[list[int], list[Row]]] = []
    for indices in groups.values():
        members = [parsed[i] for i in indices]
        per_group.append((indices, _group_rows(enumerate_items(source, members[0], ctx), members)))
    out: list[Row] = []
    for parts in zip_longest(*(rows for _, rows in per_group)):
        row: Row = [None] * width
        for (indices, _), part in zip(per_group, parts, strict=True):
            if part is not None:
                for position, value in zip(indices, part, strict=True):
                    row[position] = value
        out.append(row)
    return out


def _group_rows(items: Items, members: Sequence[Datapath]) -> list[Row]:
    if not any(dp.has_star for dp in members) and all(dp.kind not in _LIST_KINDS for dp in members):
        # Hot path (artifact CEF fields, parameters, status…): exactly one row per item.
        columns = [_scalars(items, dp) for dp in members]
        if len(columns) == 1:
            return [[v] for v in columns[0]]
        return [list(row) for row in zip(*columns, strict=True)]
    cols = [column(items, dp) for dp in members]
    starred = [dp.has_star or dp.kind in _LIST_KINDS for dp in members]
    out: list[Row] = []
    for i in range(len(items)):
        values = [col[i] for col in cols]
        height = max((len(v) for v, s in zip(values, starred, strict=True) if s), default=1) or 1
        for j in range(height):
            out.append(
                [
                    (v[j] if j < len(v) else None) if s else (v[0] if v else None)
                    for v, s in zip(values, starred, strict=True)
                ]
            )
    return out


# Kinds whose sub-paths may step over lists without `*` (values can fan out per item).
_LIST_KINDS = frozenset({Kind.PLAYBOOK_OUTPUT, Kind.CHILD_INPUT, Kind.PLAYBOOK_INPUT, Kind.CODE_OUTPUT})


def _scalars(items: Items, dp: Datapath) -> list[Any]:
    segs = dp.segments
    objs = (
        items.parents if dp.kind is Kind.APP_RUN else items.linked if dp.kind is Kind.ACTION_ARTIFACT else items.objects
    )
    if objs is None:
        return []
    if len(segs) == 1 and type(segs[0]) is str:
        key = segs[0]
        return [o.get(key) if isinstance(o, dict) else get_one(o, segs) for o in objs]
    if len(segs) == 2:
        # Unrolled for the common `artifact:*.cef.<field>` shape.
        first, second = segs
        if type(first) is str and type(second) is str:
            out: list[Any] = []
            append = out.append
            for o in objs:
                if isinstance(o, dict):
                    inner = o.get(first)
                    append(inner.get(second) if isinstance(inner, dict) else get_one(inner, (second,)))
                else:
                    append(get_one(o, segs))
            return out
    return [get_one(o, segs) for o in objs]
