"""Pure helpers around one action call: check parameters, run with a deadline, summarise.

Nothing here raises on a connector's behalf: a crash, a hang or bad parameters all come
back as a failed :class:`ActionResult` with the reason in its message.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from engine.apps.base import APP_ERROR, ActionHandler, ActionResult
from engine.apps.catalogue import ActionDef, ParamDef

__all__ = ["app_run_result", "run_action", "run_app_run", "summarise", "validate_parameters"]

_BOOLEAN_TEXT = {"true", "false"}


def validate_parameters(action: ActionDef, params: Mapping[str, Any], *, value_lists: bool = True) -> list[str]:
    """Problems with ``params`` for ``action``, one sentence each; empty when fine.

    Checks required parameters, ``data_type`` (numeric: a number or numeric text;
    boolean: true/false or their text; string: any scalar, as SOAR stringifies them)
    and ``value_list``. Unknown keys such as ``context`` are allowed.
    """
    problems: list[str] = []
    for spec in action.parameters:
        value = params.get(spec.name)
        if _is_empty(value):
            if spec.required:
                problems.append(f"missing required parameter '{spec.name}'")
            continue
        problem = _type_problem(spec, value)
        if problem is not None:
            problems.append(problem)
        elif value_lists and spec.value_list and not _in_value_list(spec, value):
            allowed = ", ".join(str(v) for v in spec.value_list)
            problems.append(f"parameter '{spec.name}' must be one of: {allowed} (got {value!r})")
    return problems


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _type_problem(spec: ParamDef, value: Any) -> str | None:
    if spec.data_type == "numeric":
        if isinstance(value, bool) or not _is_number(value):
            return f"parameter '{spec.name}' must be numeric (got {value!r})"
    elif spec.data_type == "boolean":
        if not isinstance(value, bool) and not (
                isinstance(value, str) and value.strip().lower() in _BOOLEAN_TEXT):
            return f"parameter '{spec.name}' must be true or false (got {value!r})"
    elif spec.data_type in ("string", "password"):
        if not isinstance(value, (str, int, float, bool)):
            return f"parameter '{spec.name}' must be a string (got {type(value).__name__})"
    return None


def _is_number(value: Any) -> bool:
    if isinstance(value, (int, float)):
        return not (isinstance(value, float) and math.isnan(value))
    if isinstance(value, str):
        try:
            return not math.isnan(float(value))
        except ValueError:
            return False
    return False


def _in_value_list(spec: ParamDef, value: Any) -> bool:
    # Manifests list numbers and booleans both as JSON values and as text.
    return str(value) in {str(v) for v in spec.value_list} or value in spec.value_list


def run_action(connector: ActionHandler, action: ActionDef, params: Mapping[str, Any],
               timeout_s: float) -> ActionResult:
    """Run ``action`` on ``connector`` with ``params``; never raises.

    Invalid parameters, an exception in the connector, a non-result return value or no
    answer within ``timeout_s`` seconds yield a failed result saying why. The call runs
    in a daemon worker thread: a hung connector cannot be killed from Python, so it is
    abandoned, and its late answer is discarded. A handler whose ``runs_inline`` is true
    (the simulator answering from data) cannot hang and is called directly.
    """
    params = dict(params)
    # A value_list is a UI pick list in SOAR, not a contract: Splunk's own playbooks pass
    # other values (risk_notable_import_data runs Splunk "run query" with command "| from ").
    # Built-in connectors opt in to enforcing them; simulated apps, like real ones, do not.
    strict = bool(getattr(connector, "strict_value_lists", True))
    problems = validate_parameters(action, params, value_lists=strict)
    if problems:
        return _failed(params, "Parameter validation failed: " + "; ".join(problems))

    outcome: dict[str, Any] = {}
    if getattr(connector, "runs_inline", False):
        try:
            outcome["result"] = connector.handle_action(action.identifier, params)
        except Exception as exc:  # noqa: BLE001 - reported as the action's failure
            outcome["error"] = exc
        return _outcome(action, params, outcome)
    done = threading.Event()

    def work() -> None:
        try:
            outcome["result"] = connector.handle_action(action.identifier, params)
        except BaseException as exc:  # noqa: BLE001 - the worker must report, not die
            outcome["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=work, name=f"action-{action.identifier}", daemon=True)
    worker.start()
    if not done.wait(timeout_s):
        return _failed(params, f"Action '{action.name}' timed out after {timeout_s:g} seconds")
    return _outcome(action, params, outcome)


def _outcome(action: ActionDef, params: dict[str, Any], outcome: dict[str, Any]) -> ActionResult:
    error = outcome.get("error")
    if error is not None:
        return _failed(params, f"Action '{action.name}' raised "
                               f"{type(error).__name__}: {error}")
    result = outcome.get("result")
    if not isinstance(result, ActionResult):
        return _failed(params, f"Action '{action.name}' returned {type(result).__name__}, "
                               "not an ActionResult")
    if not result.get_param():
        result.set_param(params)
    return result


def _failed(params: Mapping[str, Any], message: str) -> ActionResult:
    result = ActionResult(params)
    result.set_status(APP_ERROR, message)
    return result


# -- app-run summaries ---------------------------------------------------------------


def _as_dict(result: ActionResult | Mapping[str, Any]) -> Mapping[str, Any]:
    return result.to_dict() if isinstance(result, ActionResult) else result


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summarise(app_run_results: Sequence[ActionResult | Mapping[str, Any]], *,
              name: str, asset: str) -> dict[str, Any]:
    """SOAR's app-run ``status``, ``message`` and ``summary`` for one asset's results.

    ``name`` is the action block's name (``act(name=...)``). The message follows the
    platform's: ``'geolocate_ip_1' on asset 'maxmind': 1 action succeeded.
    (1)For Parameter: {"ip":"1.1.1.1"} Message: "City: ..."``. The app run succeeds
    when any of its action results did.
    """
    results = [_as_dict(r) for r in app_run_results]
    succeeded = sum(1 for r in results if r.get("status") == "success")
    failed = len(results) - succeeded
    counts = []
    if succeeded:
        counts.append(f"{_plural(succeeded, 'action')} succeeded")
    if failed:
        counts.append(f"{_plural(failed, 'action')} failed")
    head = f"'{name}' on asset '{asset}': " + (", ".join(counts) or "no action ran") + "."
    details = []
    for i, r in enumerate(results, start=1):
        parameter = {k: v for k, v in (r.get("parameter") or {}).items() if k != "context"}
        shown = json.dumps(parameter, separators=(",", ":"), ensure_ascii=False, default=str)
        message = json.dumps(str(r.get("message") or ""), ensure_ascii=False)
        details.append(f"({i})For Parameter: {shown} Message: {message}")
    return {
        "status": "success" if succeeded else "failed",
        "message": " ".join([head, ", ".join(details)]) if details else head,
        "summary": {"total_objects": len(results), "total_objects_successful": succeeded},
    }


def app_run_result(app_run_results: Sequence[ActionResult | Mapping[str, Any]], *, name: str,
                   action: str, app: str, asset: str) -> dict[str, Any]:
    """One element of a callback's ``results`` (§3.2) without the database ids.

    The caller adds ``app_run_id``, ``action_run_id`` and ``app_id``.
    """
    as_dicts = [_as_dict(r) for r in app_run_results]  # summarise only reads them
    summary = summarise(as_dicts, name=name, asset=asset)
    return {
        "name": name,
        "action": action,
        "app": app,
        "asset": asset,
        "status": summary["status"],
        "message": summary["message"],
        "summary": summary["summary"],
        "action_results": [dict(r) for r in as_dicts],
    }


def run_app_run(connector: ActionHandler, action: ActionDef,
                parameters: Sequence[Mapping[str, Any]], *, name: str, app: str, asset: str,
                timeout_s: float) -> dict[str, Any]:
    """Run ``action`` once per parameter dict on one asset; never raises.

    Returns the app run as :func:`app_run_result` shapes it. An empty ``parameters``
    list runs once with no parameters, as SOAR does for parameterless actions.
    ``timeout_s`` applies to each call.
    """
    results = [run_action(connector, action, params, timeout_s) for params in parameters or [{}]]
    return app_run_result(results, name=name, action=action.name, app=app, asset=asset)
