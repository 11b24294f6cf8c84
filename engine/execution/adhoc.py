"""Actions started outside any playbook run: SOAR's `POST /rest/action_run`.

An ad-hoc action run belongs to its container alone (no PlaybookRun, so every role sees
it: engine.visibility). Nobody waits on it: there is no callback and no run to wake. It
runs once per target and asset, each asset's parameter sets in one app run, as a
playbook's action does (engine.execution.actions).

The simulator answers in microseconds and touches nothing outside, so a run whose every
asset is simulated is executed at once, in the caller's transaction. A real connector is
slow and changes the world: the run is handed to a task of the "actions" queue when the
caller's transaction commits; the task claims it (pending -> running) so that it runs at
most once. A worker that dies inside the connector leaves the run "running" (there is no
lease to expire here, unlike a playbook's connector steps).

Targets are stored resolved (`ActionRun.targets`): `[{"app_id", "assets": [names],
"parameters": [...]}]`, which is what `plan` reads back.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from engine import redaction
from engine.apps import connector_class
from engine.apps.catalogue import ActionDef
from engine.apps.dispatch import run_app_run
from engine.catalogue import appdef_for, handler_for_asset
from engine.execution.actions import ACTION_TIMEOUT_S
from engine.models import ActionRun, AppRun, Asset

__all__ = ["PlannedAsset", "execute", "plan", "run_adhoc_action", "start"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlannedAsset:
    """One app run of an ad-hoc action: an asset, its app's action and the parameter sets."""

    asset: Asset
    action: ActionDef
    parameters: list[dict[str, Any]]

    @property
    def simulated(self) -> bool:
        return connector_class(appdef_for(self.asset.app).appid) is None


def plan(action_run: ActionRun) -> list[PlannedAsset]:
    """The app runs of `action_run`, from its resolved targets. An asset or action that
    went away since the run was posted is left out (its absence is reported by `execute`)."""
    targets = [t for t in action_run.targets or [] if isinstance(t, dict)]
    names = {str(n) for t in targets for n in t.get("assets") or []}
    assets = {a.name: a for a in Asset.objects.filter(name__in=names).select_related("app")}
    planned = []
    for target in targets:
        for name in target.get("assets") or []:
            asset = assets.get(str(name))
            if asset is None:
                continue
            actiondef = appdef_for(asset.app).action(action_run.action)
            if actiondef is not None:
                planned.append(PlannedAsset(asset, actiondef, list(target.get("parameters") or [])))
    return planned


def start(action_run: ActionRun, delay_s: int = 0) -> None:
    """Run a freshly created ad-hoc action run: now when the simulator answers every asset
    and nothing asks to wait, else in a task once the caller's transaction commits (after
    `delay_s` seconds: SOAR's exec_delay_secs)."""
    planned = plan(action_run)
    if not delay_s and all(p.simulated for p in planned):
        ActionRun.objects.filter(pk=action_run.pk).update(status="running", update_time=timezone.now())
        execute(action_run, planned)
        return
    pk = action_run.pk
    at = timezone.now() + timedelta(seconds=delay_s) if delay_s else None
    transaction.on_commit(lambda: (run_adhoc_action.using(run_after=at) if at else run_adhoc_action).enqueue(pk))


def execute(action_run: ActionRun, planned: list[PlannedAsset] | None = None) -> ActionRun:
    """Run every planned app run, store them and the action run's outcome."""
    planned = plan(action_run) if planned is None else planned
    app_runs: list[AppRun] = []
    with redaction.for_batch():  # one read of the asset secrets for all the results
        for item in planned:
            asset = item.asset
            started = timezone.now()
            handler = handler_for_asset(asset, simulate=False)
            outcome = run_app_run(handler, item.action, item.parameters, name=action_run.name or action_run.action,
                                  app=asset.app.name, asset=asset.name,
                                  timeout_s=min(ACTION_TIMEOUT_S, settings.SOAR_BLOCK_TIMEOUT_S))
            # A connector may echo its credentials: results are stored and shown, so masked first.
            outcome = redaction.scrub(outcome)
            simulated = item.simulated or any(r.get("simulated") for r in outcome["action_results"])
            app_runs.append(AppRun(action_run=action_run, app=asset.app, asset=asset, status=outcome["status"],
                                   message=outcome["message"], result_data=outcome["action_results"],
                                   result_summary=outcome["summary"], simulated=simulated, start_time=started,
                                   end_time=timezone.now()))
    succeeded = sum(1 for r in app_runs if r.status == "success")
    if not app_runs:
        status, message = "failed", "no asset of the action's targets can run it any more"
    else:
        status = "success" if succeeded else "failed"
        message = f"{succeeded} of {len(app_runs)} app runs succeeded"
    at = timezone.now()
    with transaction.atomic():
        AppRun.objects.bulk_create(app_runs)
        ActionRun.objects.filter(pk=action_run.pk).update(status=status, message=message, update_time=at,
                                                          close_time=at)
    action_run.status, action_run.message, action_run.update_time, action_run.close_time = status, message, at, at
    return action_run


@task(queue_name="actions")
def run_adhoc_action(action_run_id: int) -> str:
    """Run an ad-hoc action run that has real connectors, once (the claim is a compare-and-set)."""
    if not ActionRun.objects.filter(pk=action_run_id, status="pending").update(status="running",
                                                                               update_time=timezone.now()):
        return "not claimed"
    action_run = ActionRun.objects.get(pk=action_run_id)
    try:
        execute(action_run)
    except Exception as exc:
        # Nobody else would ever end it: say why it stopped rather than leave it running.
        log.exception("ad-hoc action run %s failed in the engine", action_run_id)
        at = timezone.now()
        ActionRun.objects.filter(pk=action_run_id).update(status="failed", update_time=at, close_time=at,
                                                          message=f"engine error: {type(exc).__name__}")
        return "failed"
    return action_run.status
