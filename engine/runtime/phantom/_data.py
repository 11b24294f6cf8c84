"""Data access and logic: collect2, condition (filters), decision, format.

The evaluation itself is pure (engine.runtime.evaluate); this module binds it to the
current run's rows and stores what later datapaths read (filtered sets, format output).
"""
from __future__ import annotations

import json
from typing import Any

from engine.execution import api as execution
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


def _typed_paths(app: Any, action: Any, wanted: set[str]) -> list[str]:
    """The result datapaths an app's action declares with one of the `wanted` contains types."""
    from engine.models import AppAction

    found = AppAction.objects.filter(app__name=str(app or ""), name=str(action or "")).first()
    outputs = found.output if found is not None and isinstance(found.output, list) else []
    return [str(o["data_path"]) for o in outputs if isinstance(o, dict) and o.get("data_path")
            and str(o["data_path"]).startswith("action_result.") and wanted & {str(c) for c in o.get("contains") or []}]


def collect_from_contains(container: Any = None, action_results: Any = None, contains: Any = None, scope: Any = "new",
                          limit: Any = None, tags: Any = None, **kwargs: Any) -> list[Any]:
    """Every value typed with one of the `contains` types (e.g. ["ip", "domain"]): CEF values
    of the artifacts in scope (by the artifact's cef_types, else SOAR's default CEF types)
    and, from `action_results` (all of this run's actions when None), every result value at
    a datapath the app's action declares with such a type. None values are left out."""
    from engine.custom_functions._support import cef_items, cef_types_of
    from engine.models import Artifact

    ctx = current("collect_from_contains")
    wanted = {contains} if isinstance(contains, str) else {str(c) for c in contains or []}
    if not wanted:
        return []
    source = _source(ctx)
    values: list[Any] = []
    cap = evaluate.DEFAULT_LIMIT if limit is None else int(limit)
    artifacts = list(source.artifacts(_scope(scope)))
    if tags:
        wanted_tags = {tags} if isinstance(tags, str) else set(tags)
        artifacts = [a for a in artifacts if wanted_tags & set(a.get("tags") or [])]
    for artifact in artifacts[:cap] if cap else artifacts:
        typed = Artifact(cef_types=artifact.get("cef_types") or {})
        values.extend(v for key, v in cef_items(artifact.get("cef")) if wanted & set(cef_types_of(typed, key)))
    if action_results is None:
        action_results = [r for run in execution.action_runs(ctx).values() if run.type == "action" for r in run.results]
    for app_run in action_results or []:
        for path in _typed_paths(app_run.get("app"), app_run.get("action"), wanted):
            block = str(app_run.get("name") or "")
            values.extend(v for v in evaluate.collect(source, f"{block}:{path}", scope=_scope(scope),
                                                      action_results=[app_run]) if v is not None)
    return values


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
                                     "evaluations": execution.loads(execution.dumps(rows, default=str)),
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
