"""Executing one step of a run. This module is the run state machine; what a step's
outcome writes is in engine.execution.outcomes.

Code steps (start, callback, finish) run playbook code in one transaction that holds the
run row's lock, so callbacks of one run never interleave: `completed()` in a join and
`get_run_data` always see a consistent run. Asynchronous steps (action, custom function)
do their slow work without that lock and take it only to record the outcome and enqueue
the callback. Every claim is a compare-and-set on the step's status, so a step is executed
at most once even if two workers receive it.
"""
from __future__ import annotations

import logging
import traceback
from typing import Any

from django.conf import settings

from engine import events, redaction
from engine.execution import enqueue, jsontext, loader, outcomes, queue, readcache, rows
from engine.execution.actions import run_action_step
from engine.execution.custom_functions import run_custom_function_step
from engine.execution.outcomes import TERMINAL_RUN, claim_now, finish_step, task_done
from engine.execution.prompts import expire_prompt
from engine.execution.results import callback_arguments, snapshot
from engine.execution.rows import raw
from engine.execution.runs import cached_playbook
from engine.execution.timeouts import BlockTimeout, time_limit
from engine.models import ActionRun, PlaybookRun, RunStep
from engine.runtime.context import StepContext, bind, unbind

log = logging.getLogger(__name__)

CODE_STEPS = frozenset({"start", "callback", "finish"})

# Writes to a run row that the code issuing them also makes on the run's instance.
_RUN_STARTED_SQL = 'UPDATE "engine_playbookrun" SET "status" = %s, "update_time" = %s WHERE "id" = %s'
_ACTIONS_COUNTED_SQL = 'UPDATE "engine_playbookrun" SET "action_count" = "action_count" + %s WHERE "id" = %s'
readcache.KEEPS.update({_RUN_STARTED_SQL: readcache.keeps_runs, _ACTIONS_COUNTED_SQL: readcache.keeps_runs})


def claim(step_id: int, worker: str) -> bool:
    """Compare-and-set pending → running (committed on its own); True for exactly one caller."""
    with queue.sqlite_writer():
        return outcomes.write_claim(step_id, worker[:128], outcomes.now())


def _read_step(step_id: int, with_run: bool) -> RunStep | None:
    """The step row joined with its action run's and (`with_run`) its run's, as instances
    with those relations cached: the three reads a step starts with, in one statement."""
    conn = rows.db()
    key = (conn.vendor, with_run)
    sql = _READ_STEP.get(key)
    if sql is None:
        run_columns = f"{rows.columns(PlaybookRun, 'r')}, " if with_run else ""
        run_join = 'JOIN "engine_playbookrun" r ON r."id" = s."run_id" ' if with_run else ""
        sql = _READ_STEP[key] = (
            f'SELECT {rows.columns(RunStep, "s")}, {run_columns}{rows.columns(ActionRun, "a")} FROM "engine_runstep" s '
            f'{run_join}LEFT JOIN "engine_actionrun" a ON a."id" = s."action_run_id" WHERE s."id" = %s')
    with raw(conn) as cursor:
        cursor.execute(sql, [step_id])
        row = cursor.fetchone()
    if row is None:
        return None
    step_width, action_width = rows.width(RunStep), rows.width(ActionRun)
    step = rows.instance(RunStep, row[:step_width], conn=conn)
    # Cached the way assigning them would (their ids are the step's own columns), without
    # the descriptor's checks on every step.
    cache = step._state.fields_cache
    if with_run:
        run = rows.instance(PlaybookRun, row[step_width:len(row) - action_width], conn=conn)
        cache["run"] = readcache.remember_run(run)
    action = row[len(row) - action_width:]
    if action[0] is not None:
        cache["action_run"] = rows.instance(ActionRun, action, conn=conn)
    return step


_READ_STEP: dict[tuple[str, bool], str] = {}


def _claim_with_outcome(step_id: int, worker: str, with_run: bool = False) -> RunStep | None:
    """Read a pending step and leave its claim to the UPDATE that records its outcome
    (`outcomes.finish_step`), saving a statement per step. Only for a step executed entirely
    inside the current transaction, which holds what keeps other claimers out: SQLite's
    write lock, or on PostgreSQL the run's row lock every claimer takes first. The
    outcome's UPDATE still checks the status, so a lost claim fails loudly, never twice.

    The step comes with its action run and, with `with_run`, its run (one statement),
    or, when this SQLite batch enqueued it, as the instance it inserted (see readcache)."""
    step = readcache.take_step(step_id) if with_run else None
    if step is None:
        step = _read_step(step_id, with_run)
    if step is None or step.status != "pending":
        return None
    # The claim to write (worker, start time) is kept on the instance until its outcome
    # or `claim_now` writes it.
    outcomes.defer_claim(step, worker)
    return step


def execute_step(step_id: int, worker: str = "", task_id: str | None = None) -> str:
    """Execute a step if this worker wins its claim; returns what happened.

    With `task_id` (the engine's own workers), the task row is marked successful in the
    same transaction as the step's outcome."""
    begun = begin_step(step_id, worker, task_id)
    return begun if isinstance(begun, str) else continue_step(begun, worker, task_id)


def begin_step(step_id: int, worker: str = "", task_id: str | None = None, *,
               lazy: bool = False) -> str | RunStep:
    """Claim a step and execute it if it is a code step: returns what happened, or the
    claimed step whose slow part (an action, a custom function) `continue_step` runs
    outside any transaction. With `lazy` (the batch worker), a returned step's claim is
    not written yet: the caller runs it in this transaction or calls `claim_now`.

    The claim and a code step share one transaction (one commit per step). Where rows are
    locked (PostgreSQL), the run's row is locked before the step's, the order every writer
    of a run keeps, so two workers can never wait on each other.
    """
    with queue.write_transaction():
        run = None
        step: RunStep | None = None
        if rows.db().features.has_select_for_update:
            run = rows.select_one(
                PlaybookRun, '"id" = (SELECT "run_id" FROM "engine_runstep" WHERE "id" = %s) FOR UPDATE', [step_id])
            if run is not None:
                step = _claim_with_outcome(step_id, worker)
        else:
            # One writer at a time (SQLite): the run read with the step cannot change.
            step = _claim_with_outcome(step_id, worker, with_run=True)
            run = step.run if step is not None else None
        if step is None:
            task_done(task_id, "not claimed")
            return "not claimed"
        # This transaction holds the run (its row lock, or SQLite's write lock): a batch may
        # follow the steps it enqueues for this run.
        queue.following(step.run_id)
        if step.kind in CODE_STEPS:
            return _code_step(step, worker, task_id, run)
        if run is not None:
            rows.relate(step, "run", run)  # locked in this transaction: whoever finishes it here may reuse it
        if not lazy:
            claim_now(step)
    return step


def continue_step(step: RunStep, worker: str, task_id: str | None = None) -> str:
    """The part of a claimed step that runs outside the step's claim."""
    # Its result and its events are redacted with one read of the asset secrets.
    with redaction.for_batch():
        return _continue_step(step, worker, task_id)


def _continue_step(step: RunStep, worker: str, task_id: str | None) -> str:
    if step.kind == "action":
        return run_action_step(step, worker, task_id)
    if step.kind == "custom_function":
        return run_custom_function_step(step, worker, task_id)
    if step.kind == "prompt_timeout":
        outcome = expire_prompt(step)
    else:
        finish_step(step, "failed", f"unknown step kind {step.kind!r}")
        outcome = "failed"
    task_done(task_id, outcome)
    return outcome


def _code_step(step: RunStep, worker: str, task_id: str | None = None, run: PlaybookRun | None = None) -> str:
    with queue.write_transaction():
        run = run or outcomes.lock_run(step.run_id)
        rows.relate(step, "run", run)
        if run.status in TERMINAL_RUN:
            finish_step(step, "cancelled", f"the run had already ended ({run.status})")
            task_done(task_id, "cancelled")
            return "cancelled"
        ctx = StepContext(run=run, step=step, worker=worker)
        if run.status == "pending":
            run.status, run.update_time = "running", rows.now()
            with raw() as cursor:
                cursor.execute(_RUN_STARTED_SQL, ["running", rows.stamp(run.update_time), run.pk])
            ctx.emit("run.started", {"run_id": run.pk, "playbook": playbook_name(run), "container": run.container_id,
                                     "scope": run.scope})
        outcome = _invoke(ctx)
        if ctx.actions_counted:
            # run.action_count already counts them (phantom.act adds each to the instance).
            with raw() as cursor:
                cursor.execute(_ACTIONS_COUNTED_SQL, [ctx.actions_counted, run.pk])
        if outcome is None:
            finish_step(step, "done")
            if ctx.discontinued:
                outcomes.cancel_outstanding(run, step)
                ctx.emit("debug", {"message": "phantom.discontinue(): the run stops here", "level": "info"})
            if step.kind == "finish":
                outcomes.close_run(ctx, "success", "")
            else:
                outcomes.maybe_finish(ctx)
        else:
            finish_step(step, "failed", outcome)
            outcomes.fail_run(ctx, outcome)
        events.store(run.pk, ctx.events)
        enqueue.enqueue_steps(ctx.new_steps)
        result = "done" if outcome is None else "failed"
        task_done(task_id, result)
    return result


def playbook_name(run: PlaybookRun) -> str:
    assert run.playbook_version_id is not None
    return cached_playbook(run.playbook_version_id)[1]


def _invoke(ctx: StepContext) -> str | None:
    """Call the step's playbook function; None on success, else the error text."""
    step, run = ctx.step, ctx.run
    token = bind(ctx)
    try:
        assert run.playbook_version_id is not None
        source, name = cached_playbook(run.playbook_version_id)
        module = loader.load_module(source, name)
        fn = loader.function(module, step.function)
        ctx.block = step.function
        with time_limit(settings.SOAR_BLOCK_TIMEOUT_S):
            if step.kind == "start":
                fn(ctx.container())
            elif step.kind == "finish":
                fn(ctx.container(), jsontext.dumps(summary(ctx)))
            else:
                _call(ctx, fn)
        return None
    except BlockTimeout:
        ctx.failed_block = ctx.failed_block or step.function
        return f"block {ctx.failed_block} exceeded its time limit of {settings.SOAR_BLOCK_TIMEOUT_S} s"
    except Exception as exc:  # user code: any error fails the block, never the worker
        ctx.failed_block = ctx.failed_block or step.function
        trace = traceback.format_exc(limit=-8)
        ctx.emit("debug", {"level": "error", "message": trace, "block": ctx.failed_block})
        return f"{type(exc).__name__} in {ctx.failed_block}: {exc}"
    finally:
        unbind(token)


def _call(ctx: StepContext, fn: Any) -> None:
    args, extra = callback_arguments(ctx)
    loader.call_callback(fn, extra=extra, **args)


def _app_run_summary(app_run_id: int, status: str, result_summary: Any, result_data: Any) -> dict[str, Any]:
    # SOAR gives each app run's `parameter` as one dict (community code calls .items() on
    # it); an app run here may cover several parameter sets, so all of them are in
    # `parameters` and the first is `parameter`.
    params = [r.get("parameter") or {} for r in result_data or [] if isinstance(r, dict)]
    return {"app_run_id": app_run_id, "status": status, "summary": result_summary,
            "parameter": params[0] if params else {}, "parameters": params}


def summary(ctx: StepContext) -> dict[str, Any]:
    """What phantom.get_summary() returns and on_finish receives (as JSON)."""
    result = []
    for ar in snapshot(ctx).values():
        result.append({
            "name": ar.name, "action": ar.action, "action_run_id": ar.id, "status": ar.status, "message": ar.message,
            "app_runs": [_app_run_summary(r["app_run_id"], r["status"], r["summary"], r["action_results"])
                         for r in ar.results],
        })
    return {"result": result, "status": ctx.run.status, "message": ctx.run.message}
