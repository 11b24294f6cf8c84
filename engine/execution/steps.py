"""Executing one step of a run. This module is the run state machine.

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
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone

from engine import events, redaction
from engine.execution import jsontext, loader, queue, readcache, rows
from engine.execution.rows import raw
from engine.execution.runs import cached_playbook
from engine.execution.timeouts import BlockTimeout, time_limit
from engine.models import ActionRun, PlaybookRun, RunStep
from engine.runtime.context import StepContext, bind, unbind

log = logging.getLogger(__name__)

CODE_STEPS = frozenset({"start", "callback", "finish"})
OUTSTANDING = ("pending", "running", "waiting")
TERMINAL_RUN = ("success", "failed", "cancelled")


def _now() -> Any:
    return rows.stamp(rows.now())


# The statuses a statement compares with are literals, not parameters: "engine_runstep"
# has a partial index on a status, and SQLite prepares a statement again, every time it
# runs, when a parameter it binds could decide whether such an index applies (that made
# these statements about three times dearer).
_CLAIM_SQL = ('UPDATE "engine_runstep" SET "status" = %s, "worker" = %s, "start_time" = %s, '
              '"attempts" = "attempts" + 1 WHERE "id" = %s AND "status" = \'pending\'')
_FINISH_SQL = 'UPDATE "engine_runstep" SET "status" = %s, "error" = %s, "end_time" = %s WHERE "id" = %s'
_FINISH_CLAIMED_SQL = ('UPDATE "engine_runstep" SET "status" = %s, "error" = %s, "end_time" = %s, "worker" = %s, '
                       '"start_time" = %s, "attempts" = "attempts" + 1 WHERE "id" = %s AND "status" = \'pending\'')
# Writes to a run row that the code issuing them also makes on the run's instance.
_RUN_STARTED_SQL = 'UPDATE "engine_playbookrun" SET "status" = %s, "update_time" = %s WHERE "id" = %s'
_ACTIONS_COUNTED_SQL = 'UPDATE "engine_playbookrun" SET "action_count" = "action_count" + %s WHERE "id" = %s'
_RUN_CLOSED_SQL = ('UPDATE "engine_playbookrun" SET "status" = %s, "message" = %s, "end_time" = %s, '
                   '"update_time" = %s WHERE "id" = %s')
readcache.KEEPS.update({
    _CLAIM_SQL: readcache.drops_step(3), _FINISH_SQL: readcache.drops_step(-1),
    _FINISH_CLAIMED_SQL: readcache.drops_step(-1), _RUN_STARTED_SQL: readcache.keeps_runs,
    _ACTIONS_COUNTED_SQL: readcache.keeps_runs, _RUN_CLOSED_SQL: readcache.keeps_runs,
})


def _write_claim(step_id: int, worker: str, start: Any) -> bool:
    """Compare-and-set pending → running with who claimed it and when; True if this won."""
    with raw() as cursor:
        cursor.execute(_CLAIM_SQL, ["running", worker, start, step_id])
        return cursor.rowcount == 1


def claim(step_id: int, worker: str) -> bool:
    """Compare-and-set pending → running (committed on its own); True for exactly one caller."""
    with queue.sqlite_writer():
        return _write_claim(step_id, worker[:128], _now())


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
    (`_finish_step`), saving a statement per step. Only for a step executed entirely
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
    step.status = "running"
    # The claim to write (worker, start time), kept on the instance until its outcome
    # or `claim_now` writes it.
    step.__dict__[_CLAIM] = (worker[:128], _now())
    return step


_CLAIM = "_soar_unwritten_claim"


def claim_now(step: RunStep) -> None:
    """Write a lazily taken claim (the step's slow part is about to run after the commit)."""
    claimed = step.__dict__.pop(_CLAIM, None)
    if claimed is not None and not _write_claim(step.pk, *claimed):
        raise RuntimeError(f"step {step.pk} was claimed by another worker")


def _task_done(task_id: str | None, value: str) -> None:
    """Mark the step's task successful; inside the step's transaction when there is one."""
    if task_id is None:
        return
    with queue.sqlite_writer():
        queue.finish(task_id, value)


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
            _task_done(task_id, "not claimed")
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
    if step.kind == "action":
        from engine.execution.actions import run_action_step

        return run_action_step(step, worker, task_id)
    if step.kind == "custom_function":
        from engine.execution.custom_functions import run_custom_function_step

        return run_custom_function_step(step, worker, task_id)
    if step.kind == "prompt_timeout":
        from engine.execution.prompts import expire_prompt

        outcome = expire_prompt(step)
    else:
        _finish_step(step, "failed", f"unknown step kind {step.kind!r}")
        outcome = "failed"
    _task_done(task_id, outcome)
    return outcome


def _lock_run(run_id: int) -> PlaybookRun:
    known = readcache.known_run(run_id)
    if known is not None:
        return known  # type: ignore[no-any-return]
    run = rows.get(PlaybookRun, run_id, for_update=True)
    if run is None:
        raise PlaybookRun.DoesNotExist(f"no run {run_id}")
    return readcache.remember_run(run)  # type: ignore[no-any-return]


def _finish_step(step: RunStep, status: str, error: str = "") -> None:
    claimed = step.__dict__.pop(_CLAIM, None)
    with raw() as cursor:
        if claimed is None:
            cursor.execute(_FINISH_SQL, [status, error, _now(), step.pk])
        else:
            cursor.execute(_FINISH_CLAIMED_SQL, [status, error, _now(), *claimed, step.pk])
            if cursor.rowcount != 1:
                raise RuntimeError(f"step {step.pk} was claimed by another worker")
    step.status = status


def _code_step(step: RunStep, worker: str, task_id: str | None = None, run: PlaybookRun | None = None) -> str:
    from engine.execution.tasks import enqueue_steps

    with queue.write_transaction():
        run = run or _lock_run(step.run_id)
        rows.relate(step, "run", run)
        if run.status in TERMINAL_RUN:
            _finish_step(step, "cancelled", f"the run had already ended ({run.status})")
            _task_done(task_id, "cancelled")
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
            _finish_step(step, "done")
            if ctx.discontinued:
                _cancel_outstanding(run, step)
                ctx.emit("debug", {"message": "phantom.discontinue(): the run stops here", "level": "info"})
            if step.kind == "finish":
                _close_run(ctx, "success", "")
            else:
                _maybe_finish(ctx)
        else:
            _finish_step(step, "failed", outcome)
            _fail_run(ctx, outcome)
        events.store(run.pk, ctx.events)
        enqueue_steps(ctx.new_steps)
        result = "done" if outcome is None else "failed"
        _task_done(task_id, result)
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
    from engine.execution.results import callback_arguments

    args, extra = callback_arguments(ctx)
    loader.call_callback(fn, extra=extra, **args)


def _cancel_outstanding(run: PlaybookRun, current: RunStep) -> None:
    RunStep.objects.filter(run=run, status__in=OUTSTANDING).exclude(pk=current.pk).update(
        status="cancelled", end_time=timezone.now()
    )


_OUTSTANDING_SQL = ('SELECT 1 FROM "engine_runstep" WHERE "run_id" = %s AND "status" IN '
                    f'({", ".join(repr(s) for s in OUTSTANDING)}) AND "id" <> %s LIMIT 1')


def _maybe_finish(ctx: StepContext) -> None:
    """Enqueue on_finish once nothing of the run is outstanding (called under the run lock)."""
    run = ctx.run
    # new_steps also holds the start steps of child runs launched here; only this run's
    # own new work keeps it open (an asynchronous child does not).
    if any(s.status in OUTSTANDING and s.run_id == run.pk for s in ctx.new_steps):
        return
    if readcache.knows_pending_step_of(run.pk):
        return  # e.g. the other callbacks of actions this batch ran
    with raw() as cursor:
        cursor.execute(_OUTSTANDING_SQL, [run.pk, ctx.step.pk])
        if cursor.fetchone() is not None:
            return
    ctx.new_steps.append(rows.insert(rows.new(RunStep, run=run, kind="finish", function="on_finish")))


def _fail_run(ctx: StepContext, error: str) -> None:
    _cancel_outstanding(ctx.run, ctx.step)
    ctx.new_steps = []
    block = ctx.failed_block or ctx.block or ctx.step.function or ctx.step.name
    PlaybookRun.objects.filter(pk=ctx.run.pk).update(failed_block=block[:256])
    ctx.run.failed_block = block
    _close_run(ctx, "failed", error)


def _close_run(ctx: StepContext, status: str, message: str) -> None:
    run = ctx.run
    message = redaction.scrub(message)  # an exception's text may quote what the code read
    now = rows.now()
    stamp = rows.stamp(now)
    with raw() as cursor:
        cursor.execute(_RUN_CLOSED_SQL, [status, message, stamp, stamp, run.pk])
    run.status, run.message, run.end_time, run.update_time = status, message, now, now
    ctx.emit("run.finished", {"status": status, "message": message, "failed_block": run.failed_block,
                              "outputs": run.outputs})
    if run.parent_run_id:
        _resume_parent(run, ctx)


def _resume_parent(child: PlaybookRun, ctx: StepContext) -> None:
    """A finished child playbook completes the parent's waiting playbook step."""
    waiting = RunStep.objects.filter(run_id=child.parent_run_id, kind="playbook", child_run=child, status="waiting").first()
    if waiting is None:
        return
    if RunStep.objects.filter(pk=waiting.pk, status="waiting").update(status="done", end_time=timezone.now()) != 1:
        return
    parent = PlaybookRun.objects.get(pk=waiting.run_id)
    if parent.status in TERMINAL_RUN:
        return
    ctx.new_steps.append(RunStep.objects.create(
        run=parent, kind="callback", function=waiting.function, name=waiting.name, child_run=child,
        handle=waiting.handle, payload={**waiting.payload, "child_run_id": child.pk},
    ))


def complete_async(step: RunStep, worker: str, task_id: str | None = None,
                   events_before: list[tuple[str, dict[str, Any]]] | None = None,
                   record: Callable[[], None] | None = None, current_run: PlaybookRun | None = None) -> None:
    """Record that an asynchronous operation finished: enqueue its callback, or finish
    the run when nothing else is outstanding.

    `record` writes what the operation produced (app runs, the action run's status) and
    `events_before` are its events; both go into the same transaction as the completion,
    so a callback never runs on half-recorded results. `current_run` is the run's row
    when the caller read it in this same transaction (and it cannot have changed since)."""
    from engine.execution.tasks import enqueue_steps

    with queue.write_transaction():
        run = current_run or _lock_run(step.run_id)
        if record is not None:
            record()
        _finish_step(step, "done")
        _task_done(task_id, "done")
        if run.status in TERMINAL_RUN:
            events.store(run.pk, events_before or [])
            return
        ctx = StepContext(run=run, step=step, worker=worker)
        if step.function:
            ctx.new_steps.append(rows.insert(rows.new(RunStep,
                run=run, kind="callback", function=step.function, name=step.name, action_run_id=step.action_run_id,
                handle=step.handle, payload=step.payload,
            )))
        else:
            _maybe_finish(ctx)
        events.store(run.pk, [*(events_before or []), *ctx.events])
        enqueue_steps(ctx.new_steps)


def _app_run_summary(app_run_id: int, status: str, result_summary: Any, result_data: Any) -> dict[str, Any]:
    # SOAR gives each app run's `parameter` as one dict (community code calls .items() on
    # it); an app run here may cover several parameter sets, so all of them are in
    # `parameters` and the first is `parameter`.
    params = [r.get("parameter") or {} for r in result_data or [] if isinstance(r, dict)]
    return {"app_run_id": app_run_id, "status": status, "summary": result_summary,
            "parameter": params[0] if params else {}, "parameters": params}


def summary(ctx: StepContext) -> dict[str, Any]:
    """What phantom.get_summary() returns and on_finish receives (as JSON)."""
    from engine.execution.results import snapshot

    result = []
    for ar in snapshot(ctx).values():
        result.append({
            "name": ar.name, "action": ar.action, "action_run_id": ar.id, "status": ar.status, "message": ar.message,
            "app_runs": [_app_run_summary(r["app_run_id"], r["status"], r["summary"], r["action_results"])
                         for r in ar.results],
        })
    return {"result": result, "status": ctx.run.status, "message": ctx.run.message}


def abandon_step(step_id: int, error: str) -> None:
    """Fail a step the engine could not execute (and its run, which could not go on)."""
    from engine.execution.tasks import enqueue_steps

    with queue.write_transaction():
        step = RunStep.objects.filter(pk=step_id).first()
        if step is None:
            return
        run = _lock_run(step.run_id)
        _finish_step(step, "failed", error)
        if run.status in TERMINAL_RUN:
            return
        ctx = StepContext(run=run, step=step)
        ctx.failed_block = step.function or step.name or step.kind
        _fail_run(ctx, error)
        events.store(run.pk, ctx.events)
        enqueue_steps(ctx.new_steps)
