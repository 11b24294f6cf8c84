"""Executing an action run: pick the assets, run the connector (or the simulator) once per
asset and parameter set, and store one app run per asset.

This is the slow part of a run (network calls), so it holds no run lock; only recording
the outcome does (steps.complete_async).
"""
from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils import timezone

from engine.execution.steps import complete_async
from engine.models import ActionRun, AppAction, AppRun, Asset, RunStep

ACTION_TIMEOUT_S = 120.0


def select_assets(action_run: ActionRun) -> tuple[list[tuple[Asset, AppAction]], list[str]]:
    """The assets an action runs on, as phantom.act chooses them, and why others were not.

    Named assets must exist and their app must have the action; without names, every
    enabled asset whose app implements the action is used (narrowed by `app` and `tags`).
    """
    target: dict[str, Any] = (action_run.targets or [{}])[0]
    names: list[str] = target.get("assets") or []
    app_name = target.get("app")
    tags = set(target.get("tags") or [])
    assets = Asset.objects.filter(disabled=False).select_related("app")
    if names:
        assets = assets.filter(name__in=names)
    if app_name:
        assets = assets.filter(app__name__iexact=str(app_name))
    problems = []
    found = {a.name: a for a in assets}
    for name in names:
        if name not in found:
            problems.append(f"asset '{name}' does not exist or is disabled")
    actions = {a.app_id: a for a in AppAction.objects.filter(app__in={a.app_id for a in found.values()}, name=action_run.action)}
    chosen = []
    for asset in sorted(found.values(), key=lambda a: a.name):
        if tags and not tags & set(asset.tags):
            continue
        action = actions.get(asset.app_id)
        if action is None:
            if names:
                problems.append(f"asset '{asset.name}' (app {asset.app.name}) has no action '{action_run.action}'")
            continue
        chosen.append((asset, action))
    if not chosen and not problems:
        problems.append(f"no asset can run '{action_run.action}'" + (f" with app '{app_name}'" if app_name else ""))
    return chosen, problems


_READS: dict[tuple[int, str], tuple[str, ...]] = {}


def read_datapaths(version_id: int | None, block: str) -> tuple[str, ...]:
    """`action_result.…` datapaths the run's playbook reads from `block` (also through
    `filtered-data:`), for the simulator to answer beyond the app's declared outputs."""
    if version_id is None or not block:
        return ()
    key = (version_id, block)
    if key not in _READS:
        from engine.execution.runs import cached_source

        pattern = re.compile(rf"(?<![\w]){re.escape(block)}:(action_result\.[A-Za-z0-9_.*]+)")
        found = dict.fromkeys(m.group(1) for m in pattern.finditer(cached_source(version_id)))
        if len(_READS) > 4096:
            _READS.clear()
        _READS[key] = tuple(p.rstrip(".") for p in found)
    return _READS[key]


def run_action_step(step: RunStep, worker: str) -> str:
    from engine.apps.dispatch import run_app_run
    from engine.catalogue import appdef_for, handler_for_asset

    action_run = step.action_run
    assert action_run is not None
    ActionRun.objects.filter(pk=action_run.pk).update(status="running", update_time=timezone.now())
    events: list[tuple[str, dict[str, Any]]] = []
    target = (action_run.targets or [{}])[0]
    parameters = target.get("parameters") or []
    chosen, problems = select_assets(action_run)
    any_success = False
    for asset, app_action in chosen:
        appdef = appdef_for(asset.app)
        actiondef = appdef.action(app_action.name)
        simulate = bool(step.run.simulate_writes and actiondef is not None and actiondef.is_write)
        started = timezone.now()
        outcome: dict[str, Any]
        if actiondef is None:
            outcome = {"status": "failed", "message": f"app {asset.app.name} has no action '{app_action.name}'",
                       "summary": {"total_objects": 0, "total_objects_successful": 0}, "action_results": []}
        else:
            handler = handler_for_asset(asset, simulate=simulate,
                                        extra_outputs=read_datapaths(step.run.playbook_version_id, action_run.name))
            outcome = run_app_run(handler, actiondef, parameters, name=action_run.name, app=asset.app.name,
                                  asset=asset.name, timeout_s=min(ACTION_TIMEOUT_S, settings.SOAR_BLOCK_TIMEOUT_S))
        simulated = any(r.get("simulated") for r in outcome["action_results"]) or simulate
        AppRun.objects.create(
            action_run=action_run, app=asset.app, asset=asset, status=outcome["status"], message=outcome["message"],
            result_data=outcome["action_results"], result_summary=outcome["summary"], simulated=simulated,
            start_time=started, end_time=timezone.now(),
        )
        any_success = any_success or outcome["status"] == "success"
        events.append(("action.finished", {"action_run_id": action_run.pk, "name": action_run.name, "asset": asset.name,
                                           "status": outcome["status"], "message": outcome["message"],
                                           "summary": outcome["summary"], "simulated": simulated}))
    message = "; ".join(problems) if problems else ""
    status = "success" if any_success else "failed"
    ActionRun.objects.filter(pk=action_run.pk).update(status=status, message=message, update_time=timezone.now(),
                                                      close_time=timezone.now())
    if problems:
        events.append(("debug", {"level": "error", "message": f"{action_run.name}: {message}", "block": action_run.name}))
    from engine import events as run_events

    run_events.store(step.run_id, events)
    complete_async(step, worker)
    return status


