"""What a callback receives: SOAR's keyword arguments built from the stored records."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.apps.base import copy_json
from engine.execution import jsontext, readcache
from engine.execution.rows import raw
from engine.models import ActionRun, AppRun, PlaybookRun
from engine.runtime.context import StepContext


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


_SNAPSHOT_SQL = (
    'SELECT ar."id", ar."name", ar."action", ar."type", ar."status", ar."message", ap."id", ap."status", ap."message", '
    'ap."result_data", ap."result_summary", ap."app_id", ap."asset_id", app."name", asset."name" '
    'FROM "engine_actionrun" ar LEFT JOIN "engine_apprun" ap ON ap."action_run_id" = ar."id" '
    'LEFT JOIN "engine_app" app ON app."id" = ap."app_id" LEFT JOIN "engine_asset" asset ON asset."id" = ap."asset_id" '
    'WHERE ar."playbook_run_id" = %s ORDER BY ar."id", ap."id"'
)


def snapshot(ctx: StepContext) -> dict[int, RunAction]:
    """Every action run of the step's run, in order, with its callback-shaped results.

    One query per step instead of two per action and read: while a code step holds the
    run lock no action of the run can record results (complete_async takes that lock
    first), so the snapshot stays true until this step itself starts a new action. In a
    SQLite batch the steps of a run share the rows of one read until anything writes an
    action run, app run, app or asset (readcache.results); each step builds its own
    snapshot from them."""
    if ctx.results_snapshot is not None:
        return ctx.results_snapshot  # type: ignore[no-any-return]
    run_id = ctx.run.pk
    ctx.results_snapshot = _build(readcache.results(run_id, lambda: _read_rows(run_id)))
    return ctx.results_snapshot  # type: ignore[no-any-return]


def _read_rows(run_id: int) -> list[tuple[Any, ...]]:
    with raw() as cursor:
        cursor.execute(_SNAPSHOT_SQL, [run_id])
        return cursor.fetchall()


def _build(found: list[tuple[Any, ...]]) -> dict[int, RunAction]:
    out: dict[int, RunAction] = {}
    for (ar_id, name, action, kind, status, ar_message, app_run_id, app_status, message, data, summary, app_id, asset_id,
         app_name, asset_name) in found:
        entry = out.get(ar_id)
        if entry is None:
            entry = out[ar_id] = RunAction(id=ar_id, name=name, action=action, type=kind, status=status,
                                           message=ar_message, results=[])
        if app_run_id is None:
            continue
        entry.results.append({
            "asset_id": asset_id, "status": app_status, "name": name,
            "app": app_name or ("custom function" if kind == "custom_function" else ""),
            "action_results": jsontext.column(data), "app_id": app_id, "summary": jsontext.column(summary),
            "asset": asset_name or "", "action": action, "message": message, "app_run_id": app_run_id,
            "action_run_id": ar_id,
        })
    return out


def _handle(raw: str) -> Any:
    if not raw:
        return None
    try:
        return jsontext.loads(raw)
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
