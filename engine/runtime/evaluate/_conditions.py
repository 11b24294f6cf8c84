"""Filters (`condition`) and decisions (`decision`) over datapaths (phantom-api.md §4.6–4.7).

Each comparison row is evaluated per item of its datapath's source (artifact, action
result, invocation, input value…); an item satisfies a row when any of its values does.
Rows over another source (or over `container:`) count as satisfied when any of their
items satisfies them, so ``artifact:… and container:…`` keeps the artifacts that pass
while the container test holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._compare import NEGATIVE, comparator, normalise_operator
from ._datapath import Datapath, Kind, try_parse_datapath
from ._items import Context, GroupKey, Items, column, enumerate_items, group_key, source_key
from ._source import DataSource, FilteredSet, Scope

# Groups whose items never become filter output (they are context, not data sets).
_CONTEXT_FAMILIES = frozenset({"container", "custom_list"})


# Not slotted: the runtime serialises entries through `vars()` / `as_dict()`.
@dataclass(frozen=True)
class TraceEntry:
    """One evaluated comparison, for `condition.evaluated` events.

    `item` identifies what was tested: artifact id, ``"<block>/<app_run_id>/<index>"``
    for action results, a position for other sources, None for constant rows.
    """

    condition: int  # 0-based position of the row in `conditions`
    left: Any
    operator: str
    right: Any
    outcome: bool
    item: Any

    def as_dict(self) -> dict[str, Any]:
        """The entry as a JSON-ready dict (values are left as they are)."""
        return {
            "condition": self.condition,
            "left": self.left,
            "operator": self.operator,
            "right": self.right,
            "outcome": self.outcome,
            "item": self.item,
        }


@dataclass
class FilterOutcome:
    """What `condition` returns; unpacks like SOAR's ``(matched_artifacts, matched_results)``."""

    matched_artifacts: list[Mapping[str, Any]]
    matched_results: list[Mapping[str, Any]]
    filtered_set: FilteredSet
    name: str | None = None
    trace: list[TraceEntry] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return bool(self.matched_artifacts or self.matched_results or self.filtered_set.values)

    @property
    def filtered(self) -> FilteredSet:
        """Alias of `filtered_set` (the name the runtime binding uses)."""
        return self.filtered_set

    def __iter__(self) -> Iterator[list[Mapping[str, Any]]]:
        yield self.matched_artifacts
        yield self.matched_results


@dataclass
class DecisionOutcome:
    """What `decision` returns; truthy when any item satisfied the conditions."""

    matched: bool
    trace: list[TraceEntry] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.matched

    @property
    def result(self) -> bool:
        """Alias of `matched`."""
        return self.matched


@dataclass
class _Operand:
    dp: Datapath | None
    literal: Any = None


@dataclass
class _Row:
    index: int
    left: _Operand
    op: str
    right: _Operand
    group: GroupKey | None
    per_item: list[bool] = field(default_factory=list)
    shown: list[tuple[Any, Any]] = field(default_factory=list)  # (left, right) per item, for traces
    any_item: bool = False


def condition(
    source: DataSource,
    conditions: Sequence[Sequence[Any]],
    logical_operator: str = "and",
    *,
    scope: Scope = "new",
    name: str | None = None,
    action_results: Sequence[Mapping[str, Any]] | None = None,
    delimiter: str | None = None,
    case_sensitive: bool = True,
) -> FilterOutcome:
    """Filter items by `conditions` (``[[left, op, right], …]``) as ``phantom.condition``.

    Returns the matched artifacts, the matched results (SOAR `results` shape: app runs
    holding only the matched action results) and the `FilteredSet` the caller stores
    under `name`. When no row reads artifacts or results (only `container:`/literals)
    and the conditions hold, every artifact in scope matches. Raises ValueError for a
    bad row, operator or `logical_operator`.
    """
    ctx = Context(scope, action_results)
    rows, groups, combine = _evaluate(source, conditions, logical_operator, ctx, case_sensitive, delimiter)
    artifacts: list[Mapping[str, Any]] = []
    results: dict[str, list[tuple[Mapping[str, Any], Mapping[str, Any]]]] = {}
    values: dict[str, list[Any]] = {}
    seen_artifacts: set[Any] = set()
    output = [key for key in groups if key[0] not in _CONTEXT_FAMILIES]
    if not output and combine([r.any_item for r in rows]):
        fallback = enumerate_items(source, Datapath("artifact:*", Kind.ARTIFACT), ctx)
        artifacts.extend(fallback.objects)
        seen_artifacts.update(fallback.key(i) for i in range(len(fallback)))
    else:
        for key in output:
            items, representative = groups[key]
            for i in _matches(rows, key, len(items), combine):
                _keep(items, representative, i, artifacts, seen_artifacts, results, values)
    fs = FilteredSet(
        artifact_ids=tuple(i for i in (a.get("id") for a in artifacts) if isinstance(i, int)),
        results=_merge_runs(results),
        values=values,
    )
    matched_results = [run for runs in fs.results.values() for run in runs]
    # Matched values of other sources (playbook inputs, custom function results, code and
    # child playbook outputs) count as results too: generated code calls the filter's
    # children only `if matched_artifacts or matched_results`, and an input playbook's
    # filter on `playbook_input:` must go on when an input passed.
    matched_results.extend(v for vals in fs.values.values() for v in vals)
    return FilterOutcome(artifacts, matched_results, fs, name, _trace(rows, groups))


def decision(
    source: DataSource,
    conditions: Sequence[Sequence[Any]],
    logical_operator: str = "and",
    *,
    scope: Scope = "new",
    action_results: Sequence[Mapping[str, Any]] | None = None,
    delimiter: str | None = None,
    case_sensitive: bool = True,
) -> DecisionOutcome:
    """True when any item satisfies `conditions`, as ``phantom.decision`` (stores nothing).

    With only constant/`container:` rows the combined rows decide. Raises ValueError for
    a bad row, operator or `logical_operator`.
    """
    ctx = Context(scope, action_results)
    rows, groups, combine = _evaluate(source, conditions, logical_operator, ctx, case_sensitive, delimiter)
    output = [key for key in groups if key[0] not in _CONTEXT_FAMILIES]
    if output:
        matched = any(any(True for _ in _matches(rows, key, len(groups[key][0]), combine)) for key in output)
    else:
        matched = combine([r.any_item for r in rows])
    return DecisionOutcome(matched, _trace(rows, groups))


def _evaluate(
    source: DataSource,
    conditions: Sequence[Sequence[Any]],
    logical_operator: str,
    ctx: Context,
    case_sensitive: bool,
    delimiter: str | None,
) -> tuple[list[_Row], dict[GroupKey, tuple[Items, Datapath]], Any]:
    logic = (logical_operator or "and").strip().lower()
    if logic not in ("and", "or"):
        raise ValueError(f"logical_operator must be 'and' or 'or', not {logical_operator!r}")
    combine = all if logic == "and" else any
    rows: list[_Row] = []
    groups: dict[GroupKey, tuple[Items, Datapath]] = {}
    for index, cond in enumerate(conditions):
        if not isinstance(cond, list | tuple) or len(cond) != 3:
            raise ValueError(f"condition {index} must be [left, operator, right], not {cond!r}")
        left, right = _operand(cond[0]), _operand(cond[2])
        row = _Row(index, left, normalise_operator(cond[1]), right, None)
        anchor = left.dp if _iterable(left.dp) else right.dp if _iterable(right.dp) else None
        if anchor is not None:
            row.group = group_key(anchor)
            if row.group not in groups:
                groups[row.group] = (enumerate_items(source, anchor, ctx), anchor)
        rows.append(row)
    for row in rows:
        _evaluate_row(source, row, groups, ctx, case_sensitive, delimiter)
    return rows, groups, combine


def _evaluate_row(
    source: DataSource,
    row: _Row,
    groups: dict[GroupKey, tuple[Items, Datapath]],
    ctx: Context,
    case_sensitive: bool,
    delimiter: str | None,
) -> None:
    items = groups[row.group][0] if row.group is not None else None
    count = len(items) if items is not None else 1
    lefts = _candidates(source, row.left, row.group, items, count, row.op, ctx)
    rights = _candidates(source, row.right, row.group, items, count, row.op, ctx)
    negative = row.op in NEGATIVE
    test = comparator(row.op, case_sensitive=case_sensitive, delimiter=delimiter)
    # Values of another source are a pool to compare against; an empty pool stays empty
    # (a missing value elsewhere must not equal a missing value here).
    left_pool, right_pool = _foreign(row.left, row.group), _foreign(row.right, row.group)
    for i in range(count):
        ls = lefts[i] if left_pool else lefts[i] or [None]
        rs = rights[i] if right_pool else rights[i] or [None]
        if len(ls) == 1 and len(rs) == 1:
            row.per_item.append(test(ls[0], rs[0]))
        else:
            row.per_item.append(any(_holds(left, test, rs, negative) for left in ls))
        row.shown.append((_show(row.left, lefts[i]), _show(row.right, rights[i])))
    row.any_item = any(row.per_item)


def _holds(left: Any, test: Callable[[Any, Any], bool], rights: list[Any], negative: bool) -> bool:
    tests = (test(left, r) for r in rights)
    # Against several foreign values a negative test must hold for all of them.
    return all(tests) if negative else any(tests)


def _candidates(
    source: DataSource,
    operand: _Operand,
    group: GroupKey | None,
    items: Items | None,
    count: int,
    op: str,
    ctx: Context,
) -> list[list[Any]]:
    dp = operand.dp
    if dp is None:
        return [[operand.literal]] * count
    if items is not None and group is not None and _iterable(dp) and group_key(dp) == group:
        return column(items, dp)
    # A datapath of another source (or a custom list): all of its values at once.
    from ._collect import resolve  # local: _collect imports nothing from here, keep it that way

    values = [v for v in resolve(source, dp, scope=ctx.scope, action_results=ctx.action_results) if v is not None]
    whole = [[values]] if op in ("in", "not in") else [values]
    return whole * count


def _foreign(operand: _Operand, group: GroupKey | None) -> bool:
    dp = operand.dp
    return dp is not None and (not _iterable(dp) or group is None or group_key(dp) != group)


def _iterable(dp: Datapath | None) -> bool:
    return dp is not None and dp.kind is not Kind.CUSTOM_LIST


def _operand(value: Any) -> _Operand:
    dp = try_parse_datapath(value)
    return _Operand(dp) if dp is not None else _Operand(None, value)


def _matches(rows: list[_Row], key: GroupKey, count: int, combine: Any) -> Iterator[int]:
    for i in range(count):
        if combine([r.per_item[i] if r.group == key else r.any_item for r in rows]):
            yield i


def _keep(
    items: Items,
    dp: Datapath,
    i: int,
    artifacts: list[Mapping[str, Any]],
    seen: set[Any],
    results: dict[str, list[tuple[Mapping[str, Any], Mapping[str, Any]]]],
    values: dict[str, list[Any]],
) -> None:
    if items.family == "artifact":
        key = items.key(i)
        if key not in seen:
            seen.add(key)
            artifacts.append(items.objects[i])
    elif items.family == "result" and items.parents is not None:
        block = dp.block or ""
        results.setdefault(block, []).append((items.parents[i], items.objects[i]))
    else:
        values.setdefault(source_key(dp), []).append(items.objects[i])


def _merge_runs(
    kept: dict[str, list[tuple[Mapping[str, Any], Mapping[str, Any]]]],
) -> dict[str, list[Mapping[str, Any]]]:
    # Rebuild SOAR's app-run shape: one copy of each app run holding only its matched results.
    merged: dict[str, list[Mapping[str, Any]]] = {}
    for block, pairs in kept.items():
        runs: dict[int, dict[str, Any]] = {}
        for run, result in pairs:
            copy = runs.get(id(run))
            if copy is None:
                copy = runs[id(run)] = {**run, "action_results": []}
            copy["action_results"].append(result)
        merged[block] = list(runs.values())
    return merged


def _trace(rows: list[_Row], groups: dict[GroupKey, tuple[Items, Datapath]]) -> list[TraceEntry]:
    out: list[TraceEntry] = []
    for row in rows:
        items = groups[row.group][0] if row.group is not None else None
        for i, outcome in enumerate(row.per_item):
            left, right = row.shown[i]
            out.append(TraceEntry(row.index, left, row.op, right, outcome, items.key(i) if items is not None else None))
    return out


def _show(operand: _Operand, values: list[Any]) -> Any:
    if operand.dp is None:
        return operand.literal
    return values[0] if len(values) == 1 else values
