"""What a callback receives: SOAR's keyword arguments built from the stored records."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from engine.apps.base import copy_json
from engine.models import ActionRun, AppRun, PlaybookRun
from engine.runtime.context import StepContext


@dataclass
class RunAction:
    """An action run of the step's run as the snapshot holds it, with its results."""

    id: int
    name: str
    action: str
    type: str
    status: str
    message: str
    results: list[dict[str, Any]]


def snapshot(ctx: StepContext) -> dict[int, RunAction]:
    """Every action run of the step's run, in order, with its callback-shaped results.

    The run's holder keeps them for all the steps it runs (engine.execution.batch), with
    what those steps did and have not written yet; elsewhere they are read once per step."""
    if ctx.batch is not None:
        return ctx.batch.actions()  # type: ignore[no-any-return]
    if ctx.results_snapshot is None:
        ctx.results_snapshot = load_actions(ctx.run.pk)
    return ctx.results_snapshot  # type: ignore[no-any-return]


def load_actions(run_id: int) -> dict[int, RunAction]:
    out: dict[int, RunAction] = {}
    for ar_id, name, action, kind, status, message in ActionRun.objects.filter(playbook_run_id=run_id).order_by(
            "id").values_list("id", "name", "action", "type", "status", "message"):
        out[ar_id] = RunAction(id=ar_id, name=name, action=action, type=kind, status=status, message=message, results=[])
    if out:
        app_runs = AppRun.objects.filter(action_run__playbook_run_id=run_id).order_by("action_run_id", "id").values_list(
            "id", "action_run_id", "status", "message", "result_data", "result_summary", "app_id", "asset_id", "app__name",
            "asset__name")
        for app_run_id, ar_id, app_status, message, data, summary, app_id, asset_id, app_name, asset_name in app_runs:
            entry = out.get(ar_id)
            if entry is not None:
                entry.results.append(result_entry(entry, app_run_id=app_run_id, status=app_status, message=message,
                                                  data=data, summary=summary, app_id=app_id, asset_id=asset_id,
                                                  app_name=app_name, asset_name=asset_name))
    return out


def result_entry(action: RunAction | ActionRun, *, app_run_id: int | None, status: str, message: str, data: Any,
                 summary: Any, app_id: int | None, asset_id: int | None, app_name: str | None,
                 asset_name: str | None) -> dict[str, Any]:
    """One app run as a callback's `results` holds it (product seed 000)."""
    return {
        "asset_id": asset_id, "status": status, "name": action.name,
        "app": app_name or ("custom function" if action.type == "custom_function" else ""),
        "action_results": data, "app_id": app_id, "summary": summary, "asset": asset_name or "",
        "action": action.action, "message": message, "app_run_id": app_run_id,
        "action_run_id": action.pk if isinstance(action, ActionRun) else action.id,
    }


def _handle(raw: str) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def callback_arguments(ctx: StepContext) -> tuple[dict[str, Any], dict[str, Any]]:
    step = ctx.step
    extra: dict[str, Any] = {"filtered_artifacts": [], "filtered_results": [], "custom_function": None}
    if step.payload.get("loop_state"):
        extra["loop_state_json"] = step.payload["loop_state"]
    if step.action_run_id:
        found = snapshot(ctx).get(step.action_run_id)
        if found is None:
            raise ActionRun.DoesNotExist(f"action run {step.action_run_id} no longer exists")
        if found.type == "custom_function":
            extra["custom_function"] = {"name": found.name, "custom_function": found.action,
                                        "custom_function_run_id": found.id}
        action = {"action_run_id": found.id, "action_name": found.action, "action": found.action, "name": found.name,
                  "type": found.type}
        # Each callback gets its own copy: playbook code may change what it receives.
        args = {"action": action, "success": found.status == "success", "container": ctx.container(),
                "results": copy_json(found.results), "handle": _handle(step.handle)}
        return args, extra
    if step.child_run_id:
        child = PlaybookRun.objects.get(pk=step.child_run_id)
        action = {"action_run_id": None, "action_name": "playbook", "action": "playbook", "name": step.name,
                  "playbook_run_id": child.pk}
        results = [{"playbook_run_id": child.pk, "status": child.status, "message": child.message,
                    "outputs": child.outputs, "playbook": child.playbook_id}]
        return ({"action": action, "success": child.status == "success", "container": ctx.container(),
                 "results": results, "handle": _handle(step.handle)}, extra)
    return ({"action": None, "success": True, "container": ctx.container(), "results": [],
             "handle": _handle(step.handle)}, extra)


def _app_run_summary(app_run_id: int, status: str, result_summary: Any, result_data: Any) -> dict[str, Any]:
    # SOAR gives each app run's `parameter` as one dict (community code calls .items() on
    # it); an app run here may cover several parameter sets, so all of them are in
    # `parameters` and the first is `parameter`.
    params = [r.get("parameter") or {} for r in result_data or [] if isinstance(r, dict)]
    return {"app_run_id": app_run_id, "status": status, "summary": result_summary,
            "parameter": params[0] if params else {}, "parameters": params}


def run_summary(ctx: StepContext) -> dict[str, Any]:
    """What phantom.get_summary() returns and on_finish receives (as JSON)."""
    result = []
    for ar in snapshot(ctx).values():
        result.append({
            "name": ar.name, "action": ar.action, "action_run_id": ar.id, "status": ar.status, "message": ar.message,
            "app_runs": [_app_run_summary(r["app_run_id"], r["status"], r["summary"], r["action_results"])
                         for r in ar.results],
        })
    return {"result": result, "status": ctx.run.status, "message": ctx.run.message}
