"""What a callback receives: SOAR's keyword arguments built from the stored records."""
from __future__ import annotations

import json
from typing import Any

from engine.models import ActionRun, AppRun, PlaybookRun
from engine.runtime.context import StepContext


def action_dict(action_run: ActionRun) -> dict[str, Any]:
    return {"action_run_id": action_run.pk, "action_name": action_run.action, "action": action_run.action,
            "name": action_run.name, "type": action_run.type}


def results_list(action_run: ActionRun) -> list[dict[str, Any]]:
    """The callback's `results`: one entry per app run (asset), as in product seed 000."""
    out = []
    for app_run in AppRun.objects.filter(action_run=action_run).select_related("app", "asset").order_by("id"):
        out.append({
            "asset_id": app_run.asset_id, "status": app_run.status, "name": action_run.name,
            "app": app_run.app.name if app_run.app else ("custom function" if action_run.type == "custom_function" else ""),
            "action_results": app_run.result_data, "app_id": app_run.app_id, "summary": app_run.result_summary,
            "asset": app_run.asset.name if app_run.asset else "", "action": action_run.action,
            "message": app_run.message, "app_run_id": app_run.pk, "action_run_id": action_run.pk,
        })
    return out


def success_of(action_run: ActionRun) -> bool:
    """False only when the action failed on every asset and every parameter set."""
    return action_run.status == "success"


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
        action_run = ActionRun.objects.get(pk=step.action_run_id)
        if action_run.type == "custom_function":
            extra["custom_function"] = {"name": action_run.name, "custom_function": action_run.action,
                                        "custom_function_run_id": action_run.pk}
        args = {"action": action_dict(action_run), "success": success_of(action_run), "container": ctx.container(),
                "results": results_list(action_run), "handle": _handle(step.handle)}
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
