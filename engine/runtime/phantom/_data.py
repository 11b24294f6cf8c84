"""Data access and logic: collect2, condition (filters), decision, format.

The evaluation itself is pure (engine.runtime.evaluate); this module binds it to the
current run's rows and stores what later datapaths read (filtered sets, format output).
"""
from __future__ import annotations

import json
from typing import Any

from engine.execution import jsontext
from engine.runtime import evaluate
from engine.runtime.context import StepContext, current
from engine.runtime.datasource import RunDataSource, store_filtered, store_format

MAX_TRACE = 200


def _source(ctx: StepContext) -> RunDataSource:
    return RunDataSource(ctx)


def _scope(scope: Any) -> Any:
    return scope if scope in ("new", "all") or isinstance(scope, list) else "new"


def collect2(container: Any = None, datapath: Any = None, action_results: Any = None, filter_artifacts: Any = None,
             scope: Any = "new", limit: Any = None, tags: Any = None, **kwargs: Any) -> list[list[Any]]:
    """Rows of values, one column per datapath (artifact paths: one row per artifact;
    action-result paths: one row per data item), zipped as SOAR does."""
    ctx = current("collect2")
    paths = [datapath] if isinstance(datapath, str) else list(datapath or [])
    return evaluate.collect2(_source(ctx), paths, scope=_scope(scope), action_results=action_results,
                             filter_artifacts=filter_artifacts, tags=tags, limit=limit)


def collect(container: Any = None, datapath: Any = None, action_results: Any = None, scope: Any = "new",
            limit: Any = None, **kwargs: Any) -> list[Any]:
    """Every value of one datapath, as a flat list (the pre-collect2 API)."""
    ctx = current("collect")
    return evaluate.collect(_source(ctx), datapath or [], scope=_scope(scope), action_results=action_results,
                            limit=limit)


def collect_from_run_data(key: Any = None, **kwargs: Any) -> Any:
    """The JSON-decoded run data stored under `key` (None when missing)."""
    from engine.runtime.phantom._rundata import get_run_data

    raw = get_run_data(key=key)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _emit_trace(ctx: StepContext, name: str, kind: str, trace: Any, outcome: Any) -> None:
    rows = [t if isinstance(t, dict) else getattr(t, "__dict__", {"value": str(t)}) for t in list(trace or [])[:MAX_TRACE]]
    ctx.emit("condition.evaluated", {"block": ctx.block, "name": name, "kind": kind,
                                     "evaluations": jsontext.loads(jsontext.dumps(rows, default=str)),
                                     "outcome": outcome})


def condition(container: Any = None, conditions: Any = None, logical_operator: str = "and", action_results: Any = None,
              scope: Any = "new", name: Any = None, case_sensitive: bool = True, delimiter: Any = None,
              filtered_artifacts: Any = None, filtered_results: Any = None, **kwargs: Any) -> tuple[list[Any], list[Any]]:
    """A filter: returns (matched_artifacts, matched_results) and stores them under `name`
    ("filter_1:condition_1") for later `filtered-data:` datapaths."""
    ctx = current("condition")
    outcome = evaluate.condition(_source(ctx), list(conditions or []), logical_operator or "and",
                                 scope=_scope(scope), name=name, action_results=action_results,
                                 case_sensitive=case_sensitive, delimiter=delimiter)
    if name:
        store_filtered(ctx, str(name), outcome.filtered)
    _emit_trace(ctx, str(name or ""), "filter", outcome.trace,
                {"artifacts": len(outcome.matched_artifacts), "results": len(outcome.matched_results)})
    return list(outcome.matched_artifacts), list(outcome.matched_results)


def decision(container: Any = None, conditions: Any = None, logical_operator: str = "and", action_results: Any = None,
             scope: Any = "new", case_sensitive: bool = True, delimiter: Any = None, name: Any = None,
             **kwargs: Any) -> bool:
    """A decision branch: True when the conditions hold (nothing is stored)."""
    ctx = current("decision")
    outcome = evaluate.decision(_source(ctx), list(conditions or []), logical_operator or "and",
                                scope=_scope(scope), action_results=action_results,
                                case_sensitive=case_sensitive, delimiter=delimiter)
    matched = bool(outcome.result)
    _emit_trace(ctx, str(name or ctx.block), "decision", outcome.trace, matched)
    return matched


def format(container: Any = None, template: Any = None, parameters: Any = None, name: Any = None, scope: Any = "new",
           separator: Any = None, drop_none: bool = False, **kwargs: Any) -> str:
    """Fill `{0}`, `{1}`… from the parameter datapaths (`%%` repeats a row per item);
    returns the text and stores it for get_format_data(name) and `<name>:formatted_data`."""
    ctx = current("format")
    outcome = evaluate.format_template(_source(ctx), str(template or ""), list(parameters or []),
                                       scope=_scope(scope), separator=separator, drop_none=bool(drop_none))
    if name:
        store_format(ctx, str(name), outcome.text, outcome.rows)
    return str(outcome.text)


def get_format_data(name: Any = None, **kwargs: Any) -> Any:
    """What format(name=…) produced: the text, or with `name="<block>__as_list"` one
    string per repeated row. None when the block has not formatted anything."""
    ctx = current("get_format_data")
    text = str(name or "")
    as_list = text.endswith("__as_list")
    block = text[: -len("__as_list")] if as_list else text
    stored = _source(ctx).format_output(block)
    if stored is None:
        return [] if as_list else None
    return list(stored.rows) if as_list else stored.text
