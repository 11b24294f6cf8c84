"""Executing an action run: pick the assets, run the connector (or the simulator) once per
asset and parameter set, and store one app run per asset.

This is the slow part of a run (network calls), so it holds no run lock; only recording
the outcome does (outcomes.complete_async).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from engine import redaction
from engine.execution import readcache, rows
from engine.execution.outcomes import complete_async
from engine.execution.queue import sqlite_writer
from engine.execution.rows import raw
from engine.execution.runs import cached_source
from engine.models import ActionRun, App, AppRun, Asset, PlaybookRun, RunStep

ACTION_TIMEOUT_S = 120.0
_RECORD_SQL = ('UPDATE "engine_actionrun" SET "status" = %s, "message" = %s, "update_time" = %s, '
               '"close_time" = %s WHERE "id" = %s')
readcache.KEEPS[_RECORD_SQL] = readcache.drops_steps_of_action_run(-1)


def select_assets(action_run: ActionRun) -> tuple[list[tuple[Asset, str]], list[str]]:
    """The assets an action runs on (with the app's name for the action), as phantom.act
    chooses them, and why others were not.

    Named assets must exist and their app must have the action; without names, every
    enabled asset whose app implements the action is used (narrowed by `app` and `tags`).
    One query: assets with their app (its definition left out: `appdef_for` parses it once
    per app version) and whether the app has the action.
    """
    target: dict[str, Any] = (action_run.targets or [{}])[0]
    names: list[str] = [str(n) for n in target.get("assets") or []]
    app_name = target.get("app")
    tags = set(target.get("tags") or [])
    skip = ("definition",)
    sql = (f'SELECT {rows.columns(Asset, "a")}, {rows.columns(App, "p", skip)}, aa."name" FROM "engine_asset" a '
           f'JOIN "engine_app" p ON p."id" = a."app_id" '
           f'LEFT JOIN "engine_appaction" aa ON aa."app_id" = a."app_id" AND aa."name" = %s WHERE a."disabled" = %s')
    params: list[Any] = [action_run.action, False]
    if names:
        sql += f' AND a."name" IN ({", ".join(["%s"] * len(names))})'
        params += names

    def load() -> list[tuple[Any, ...]]:
        with raw() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    found_rows = readcache.asset_rows((sql, tuple(params)), load)
    split = rows.width(Asset)
    found: dict[str, tuple[Asset, str | None]] = {}
    for row in found_rows:
        asset = rows.instance(Asset, row[:split])
        app = rows.instance(App, row[split:-1], skip)
        if app_name and app.name.lower() != str(app_name).lower():
            continue
        asset.app = app
        found[asset.name] = (asset, row[-1])
    problems = []
    for name in names:
        if name not in found:
            problems.append(f"asset '{name}' does not exist or is disabled")
    chosen = []
    for asset_name in sorted(found):
        asset, action_name = found[asset_name]
        if tags and not tags & set(asset.tags):
            continue
        if action_name is None:
            if names:
                problems.append(f"asset '{asset.name}' (app {asset.app.name}) has no action '{action_run.action}'")
            continue
        chosen.append((asset, action_name))
    if not chosen and not problems:
        problems.append(f"no asset can run '{action_run.action}'" + (f" with app '{app_name}'" if app_name else ""))
    return chosen, problems


# By the module's text, not the version id (ids come back after a rollback): the same str
# object comes back from runs.cached_source every time, whose hash Python keeps.
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
class Prepared:
    """An action step's rows and chosen assets, loaded once (see `prepare`)."""

    action_run: ActionRun
    chosen: list[tuple[Asset, str]]
    problems: list[str]
    # Loaded inside the transaction that will also record the outcome, where nothing
    # else can change the run (SQLite's one writer; on PostgreSQL, begin_step has locked
    # the run's row in this transaction): the run row need not be read again.
    in_transaction: bool = False

    def simulated_only(self, run: PlaybookRun) -> bool:
        """True when the simulator answers every chosen asset: no network and a few
        milliseconds, so a worker may run it inside its transaction."""
        from engine.apps import connector_class
        from engine.catalogue import appdef_for

        for asset, action_name in self.chosen:
            appdef = appdef_for(asset.app)
            actiondef = appdef.action(action_name)
            simulate = bool(run.simulate_writes and actiondef is not None and actiondef.is_write)
            if not simulate and connector_class(appdef.appid) is not None:
                return False
        return True


def prepare(step: RunStep) -> Prepared:
    assert step.action_run_id is not None
    in_transaction = rows.db().in_atomic_block
    # begin_step read the action run with the step, in this transaction.
    action_run = (step.action_run if in_transaction and RunStep.action_run.is_cached(step)
                  else rows.get(ActionRun, step.action_run_id))
    # begin_step left the run it locked in this transaction (PostgreSQL) on the step.
    run = step.run if in_transaction and RunStep.run.is_cached(step) else rows.get(PlaybookRun, step.run_id)
    assert action_run is not None and run is not None
    rows.relate(step, "run", run)
    chosen, problems = select_assets(action_run)
    return Prepared(action_run, chosen, problems, in_transaction=in_transaction)


def run_action_step(step: RunStep, worker: str, task_id: str | None = None, prepared: Prepared | None = None) -> str:
    from engine.apps.dispatch import run_app_run
    from engine.catalogue import appdef_for, handler_for_asset

    prepared = prepared or prepare(step)
    action_run, chosen, problems = prepared.action_run, prepared.chosen, prepared.problems
    in_transaction = prepared.in_transaction and rows.db().in_atomic_block
    if not in_transaction:
        # Shown while the connector works; inside one transaction nobody could see it.
        with sqlite_writer(), raw() as cursor:
            cursor.execute('UPDATE "engine_actionrun" SET "status" = %s, "update_time" = %s WHERE "id" = %s',
                           ["running", rows.stamp(rows.now()), action_run.pk])
    events: list[tuple[str, dict[str, Any]]] = []
    target = (action_run.targets or [{}])[0]
    parameters = target.get("parameters") or []
    any_success = False
    app_runs: list[AppRun] = []
    for asset, action_name in chosen:
        appdef = appdef_for(asset.app)
        actiondef = appdef.action(action_name)
        simulate = bool(step.run.simulate_writes and actiondef is not None and actiondef.is_write)
        started = rows.now()
        outcome: dict[str, Any]
        if actiondef is None:
            outcome = {"status": "failed", "message": f"app {asset.app.name} has no action '{action_name}'",
                       "summary": {"total_objects": 0, "total_objects_successful": 0}, "action_results": []}
        else:
            handler = handler_for_asset(asset, simulate=simulate,
                                        extra_outputs=read_datapaths(step.run.playbook_version_id, action_run.name))
            outcome = run_app_run(handler, actiondef, parameters, name=action_run.name, app=asset.app.name,
                                  asset=asset.name, timeout_s=min(ACTION_TIMEOUT_S, settings.SOAR_BLOCK_TIMEOUT_S))
        # A connector may echo its credentials (an auth header, a URL with a key): the
        # results are stored and shown, so the asset secrets are masked first.
        outcome = redaction.scrub(outcome)
        simulated = any(r.get("simulated") for r in outcome["action_results"]) or simulate
        app_runs.append(rows.new(AppRun,
            action_run=action_run, app=asset.app, asset=asset, status=outcome["status"], message=outcome["message"],
            result_data=outcome["action_results"], result_summary=outcome["summary"], simulated=simulated,
            start_time=started, end_time=rows.now(),
        ))
        any_success = any_success or outcome["status"] == "success"
        events.append(("action.finished", {"action_run_id": action_run.pk, "name": action_run.name, "asset": asset.name,
                                           "status": outcome["status"], "message": outcome["message"],
                                           "summary": outcome["summary"], "simulated": simulated}))
    message = "; ".join(problems) if problems else ""
    status = "success" if any_success else "failed"
    if problems:
        events.append(("debug", {"level": "error", "message": f"{action_run.name}: {message}", "block": action_run.name}))

    def record() -> None:
        for app_run in app_runs:
            rows.insert(app_run)
        now = rows.stamp(rows.now())
        with raw() as cursor:
            cursor.execute(_RECORD_SQL, [status, message, now, now, action_run.pk])

    complete_async(step, worker, task_id, events_before=events, record=record,
                   current_run=step.run if in_transaction else None)
    return status
