"""Executing an action run: pick the assets, run the connector (or the simulator) once per
asset and parameter set, and store one app run per asset.

The simulator answers in microseconds and touches nothing outside, so the run's holder
computes its answers itself and journals them like a code step (`start`). A real
connector is slow and changes the world, so the step is handed to a task of its own
(`run_action_task`): it is marked running before the task is enqueued, the task claims
it with a lease the worker renews while the connector works, and its outcome is recorded
only if the step is still that worker's. A worker that dies inside the connector leaves
the step running with an expired lease; engine.execution.recovery then retries it or
records it as interrupted, by the action's type (`retryable`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from engine import redaction
from engine.apps import connector_class
from engine.apps.catalogue import ActionDef
from engine.apps.dispatch import run_app_run
from engine.catalogue import appdef_for, handler_for_asset
from engine.execution import batch, dispatch, faults, journal, lease
from engine.execution.batch import Batch
from engine.execution.results import result_entry
from engine.execution.runs import cached_source
from engine.models import ActionRun, AppAction, AppRun, Asset, PlaybookRun, RunStep

ACTION_TIMEOUT_S = 120.0

# Action types that only look things up: running one again after a worker died inside it
# is safe (SOAR's action metadata; issue 21). Any other type may have changed the world.
RETRYABLE_TYPES = frozenset({"investigate", "generic", "test"})


def retryable(actiondef: ActionDef | None) -> bool:
    return actiondef is not None and actiondef.type in RETRYABLE_TYPES


def select_assets(action_run: ActionRun) -> tuple[list[tuple[Asset, str]], list[str]]:
    """The assets an action runs on (with the app's name for the action), as phantom.act
    chooses them, and why others were not.

    Named assets must exist and their app must have the action; without names, every
    enabled asset whose app implements the action is used (narrowed by `app` and `tags`).
    """
    target: dict[str, Any] = (action_run.targets or [{}])[0]
    names: list[str] = [str(n) for n in target.get("assets") or []]
    app_name = target.get("app")
    tags = set(target.get("tags") or [])
    assets = Asset.objects.filter(disabled=False).select_related("app")
    if names:
        assets = assets.filter(name__in=names)
    found: dict[str, Asset] = {}
    for asset in assets:
        if app_name and asset.app.name.lower() != str(app_name).lower():
            continue
        found[asset.name] = asset
    having = dict(AppAction.objects.filter(app_id__in={a.app_id for a in found.values()}, name=action_run.action)
                  .values_list("app_id", "name"))
    problems = [f"asset '{name}' does not exist or is disabled" for name in names if name not in found]
    chosen = []
    for asset_name in sorted(found):
        asset = found[asset_name]
        if tags and not tags & set(asset.tags):
            continue
        action_name = having.get(asset.app_id)
        if action_name is None:
            if names:
                problems.append(f"asset '{asset.name}' (app {asset.app.name}) has no action '{action_run.action}'")
            continue
        chosen.append((asset, action_name))
    if not chosen and not problems:
        problems.append(f"no asset can run '{action_run.action}'" + (f" with app '{app_name}'" if app_name else ""))
    return chosen, problems


_READS: dict[tuple[str, str], tuple[str, ...]] = {}


def read_datapaths(version_id: int | None, block: str) -> tuple[str, ...]:
    """`action_result.…` datapaths the run's playbook reads from `block` (also through
    `filtered-data:`), for the simulator to answer beyond the app's declared outputs."""
    if version_id is None or not block:
        return ()
    source = cached_source(version_id)
    key = (source, block)
    if key not in _READS:
        pattern = re.compile(rf"(?<![\w]){re.escape(block)}:(action_result\.[A-Za-z0-9_.*]+)")
        found = dict.fromkeys(m.group(1) for m in pattern.finditer(source))
        if len(_READS) > 4096:
            _READS.clear()
        _READS[key] = tuple(p.rstrip(".") for p in found)
    return _READS[key]


@dataclass
class Plan:
    """An action step's action run and the assets it runs on."""

    action_run: ActionRun
    chosen: list[tuple[Asset, str]]
    problems: list[str]

    def simulated(self, run: PlaybookRun) -> bool:
        """True when the simulator answers every chosen asset (no connector runs)."""
        for asset, action_name in self.chosen:
            appdef = appdef_for(asset.app)
            actiondef = appdef.action(action_name)
            simulate = bool(run.simulate_writes and actiondef is not None and actiondef.is_write)
            if not simulate and connector_class(appdef.appid) is not None:
                return False
        return True

    def retryable(self) -> bool:
        """Every chosen asset's action only looks things up."""
        return all(retryable(appdef_for(asset.app).action(name)) for asset, name in self.chosen)


def plan(step: RunStep) -> Plan:
    assert step.action_run_id is not None
    action_run = step.action_run if RunStep.action_run.is_cached(step) else None
    action_run = action_run or ActionRun.objects.get(pk=step.action_run_id)
    return Plan(action_run, *select_assets(action_run))


def start(step: RunStep, work: Batch) -> list[RunStep]:
    """Execute an action step of the run this worker holds: the simulator's answers at
    once, into the holder's batch; a connector through its own task."""
    run = work.run
    if run.status in journal.TERMINAL_RUN:
        batch.cancel_step(work, step)
        return []
    planned = plan(step)
    if planned.simulated(run):
        done = _execute(run, planned)
        return batch.record_async(work, step, planned.action_run, status=done.status, message=done.message,
                                  app_runs=done.app_runs, results=done.results, events_before=done.events)
    work.flush()  # what led here is written before anything is handed over
    with transaction.atomic():
        # The task must claim it within a lease span, or recovery enqueues it again.
        if RunStep.objects.filter(pk=step.pk, status="pending").update(status="running", worker="",
                                                                       lease_expires=timezone.now() + lease.lease_span()):
            ActionRun.objects.filter(pk=planned.action_run.pk).update(status="running", update_time=timezone.now())
            transaction.on_commit(lambda: dispatch.run_action(step.pk))
            work.written(step, "running")
    return []


def run_action_task(step_id: int, worker: str) -> str:
    """Run the connector action of a step its run handed over; its outcome wakes the run."""
    if not lease.take_action(step_id, worker):
        return "not claimed"
    try:
        step = RunStep.objects.select_related("action_run", "run").get(pk=step_id)
        faults.point("connector_call")
        with redaction.for_batch():  # its results and events: one read of the asset secrets
            done = _execute(step.run, plan(step))
        faults.point("before_commit")
        action_run = step.action_run
        assert action_run is not None

        def record() -> None:
            AppRun.objects.bulk_create(done.app_runs)
            at = timezone.now()
            ActionRun.objects.filter(pk=action_run.pk).update(status=done.status, message=done.message,
                                                              update_time=at, close_time=at)

        step.worker = worker
        created = journal.complete_async(step, step.run, worker=worker, events_before=done.events, record=record,
                                         from_status="running", wake_run=True)
        return "done" if created is not None or step.status == "done" else "superseded"
    finally:
        lease.drop_action(step_id)


@dataclass
class Done:
    """What an action run produced: its app runs (one per asset), their entries as a
    callback receives them, its status, message and events."""

    status: str
    message: str
    app_runs: list[AppRun]
    results: list[dict[str, Any]]
    events: list[tuple[str, dict[str, Any]]]


def _execute(run: PlaybookRun, planned: Plan) -> Done:
    action_run, chosen, problems = planned.action_run, planned.chosen, planned.problems
    events: list[tuple[str, dict[str, Any]]] = []
    target = (action_run.targets or [{}])[0]
    parameters = target.get("parameters") or []
    any_success = False
    app_runs: list[AppRun] = []
    entries: list[dict[str, Any]] = []
    for asset, action_name in chosen:
        appdef = appdef_for(asset.app)
        actiondef = appdef.action(action_name)
        simulate = bool(run.simulate_writes and actiondef is not None and actiondef.is_write)
        started = timezone.now()
        outcome: dict[str, Any]
        if actiondef is None:
            outcome = {"status": "failed", "message": f"app {asset.app.name} has no action '{action_name}'",
                       "summary": {"total_objects": 0, "total_objects_successful": 0}, "action_results": []}
        else:
            handler = handler_for_asset(asset, simulate=simulate,
                                        extra_outputs=read_datapaths(run.playbook_version_id, action_run.name))
            outcome = run_app_run(handler, actiondef, parameters, name=action_run.name, app=asset.app.name,
                                  asset=asset.name, timeout_s=min(ACTION_TIMEOUT_S, settings.SOAR_BLOCK_TIMEOUT_S))
        # A connector may echo its credentials (an auth header, a URL with a key): the
        # results are stored and shown, so the asset secrets are masked first.
        outcome = redaction.scrub(outcome)
        simulated = any(r.get("simulated") for r in outcome["action_results"]) or simulate
        app_runs.append(AppRun(
            action_run=action_run, app=asset.app, asset=asset, status=outcome["status"], message=outcome["message"],
            result_data=outcome["action_results"], result_summary=outcome["summary"], simulated=simulated,
            start_time=started, end_time=timezone.now(),
        ))
        entries.append(result_entry(action_run, app_run_id=None, status=outcome["status"], message=outcome["message"],
                                    data=outcome["action_results"], summary=outcome["summary"], app_id=asset.app_id,
                                    asset_id=asset.pk, app_name=asset.app.name, asset_name=asset.name))
        any_success = any_success or outcome["status"] == "success"
        events.append(("action.finished", {"action_run_id": action_run.pk, "name": action_run.name,
                                           "asset": asset.name, "status": outcome["status"],
                                           "message": outcome["message"], "summary": outcome["summary"],
                                           "simulated": simulated}))
    message = "; ".join(problems) if problems else ""
    if problems:
        events.append(("debug", {"level": "error", "message": f"{action_run.name}: {message}", "block": action_run.name}))
    return Done("success" if any_success else "failed", message, app_runs, entries, events)


def interrupted(step: RunStep) -> str:
    """A connector action whose worker died (its lease expired): run it again if it only
    looks things up, else record it as failed without running it again."""
    assert step.action_run_id is not None
    action_run = ActionRun.objects.get(pk=step.action_run_id)
    planned = Plan(action_run, *select_assets(action_run))
    if planned.retryable():
        if RunStep.objects.filter(pk=step.pk, status="running", worker=step.worker).update(
                worker="", lease_expires=timezone.now() + lease.lease_span()):
            transaction.on_commit(lambda: dispatch.run_action(step.pk))
            return "retried"
        return "moved on"
    message = "interrupted: not retried (the worker running it stopped; the action may have changed something)"

    def record() -> None:
        at = timezone.now()
        ActionRun.objects.filter(pk=action_run.pk).update(status="failed", message=message, update_time=at,
                                                          close_time=at)

    events = [("action.finished", {"action_run_id": action_run.pk, "name": action_run.name, "status": "failed",
                                   "message": message, "summary": {}, "simulated": False})]
    run = PlaybookRun.objects.get(pk=step.run_id)
    done = journal.complete_async(step, run, events_before=events, record=record, from_status="running", wake_run=True)
    return "failed as interrupted" if done is not None or step.status == "done" else "moved on"
