"""Recording what a step did, under its run's lock: the step's status and its task's, the
callback an asynchronous operation enqueues, and the run's end (success, failure, the
parent playbook it resumes).

Code steps (engine.execution.steps) and asynchronous operations (actions, custom
functions, prompts) both record their outcome here, so this module sits below all of
them and imports none of them.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from engine import events, redaction
from engine.execution import enqueue, queue, readcache, rows
from engine.execution.rows import raw
from engine.models import PlaybookRun, RunStep
from engine.runtime.context import StepContext

OUTSTANDING = ("pending", "running", "waiting")
TERMINAL_RUN = ("success", "failed", "cancelled")


def now() -> Any:
    """The current time as the database stores it (rows.stamp)."""
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
_RUN_CLOSED_SQL = ('UPDATE "engine_playbookrun" SET "status" = %s, "message" = %s, "end_time" = %s, '
                   '"update_time" = %s WHERE "id" = %s')
readcache.KEEPS.update({
    _CLAIM_SQL: readcache.drops_step(3), _FINISH_SQL: readcache.drops_step(-1),
    _FINISH_CLAIMED_SQL: readcache.drops_step(-1), _RUN_CLOSED_SQL: readcache.keeps_runs,
})


def write_claim(step_id: int, worker: str, start: Any) -> bool:
    """Compare-and-set pending → running with who claimed it and when; True if this won."""
    with raw() as cursor:
        cursor.execute(_CLAIM_SQL, ["running", worker, start, step_id])
        return cursor.rowcount == 1


# The claim a step's outcome or `claim_now` is still to write (worker, start time), kept
# on the step's instance under this key (see steps._claim_with_outcome).
_CLAIM = "_soar_unwritten_claim"


def defer_claim(step: RunStep, worker: str) -> None:
    """Mark a pending step running in memory and keep its claim to write later."""
    step.status = "running"
    step.__dict__[_CLAIM] = (worker[:128], now())


def claim_now(step: RunStep) -> None:
    """Write a lazily taken claim (the step's slow part is about to run after the commit)."""
    claimed = step.__dict__.pop(_CLAIM, None)
    if claimed is not None and not write_claim(step.pk, *claimed):
        raise RuntimeError(f"step {step.pk} was claimed by another worker")


def task_done(task_id: str | None, value: str) -> None:
    """Mark the step's task successful; inside the step's transaction when there is one."""
    if task_id is None:
        return
    with queue.sqlite_writer():
        queue.finish(task_id, value)


def lock_run(run_id: int) -> PlaybookRun:
    """The run's row, locked for this transaction (or as this batch already holds it)."""
    known = readcache.known_run(run_id)
    if known is not None:
        return known  # type: ignore[no-any-return]
    run = rows.get(PlaybookRun, run_id, for_update=True)
    if run is None:
        raise PlaybookRun.DoesNotExist(f"no run {run_id}")
    return readcache.remember_run(run)  # type: ignore[no-any-return]


def finish_step(step: RunStep, status: str, error: str = "") -> None:
    """Write the step's end (and its claim, when that was deferred)."""
    claimed = step.__dict__.pop(_CLAIM, None)
    with raw() as cursor:
        if claimed is None:
            cursor.execute(_FINISH_SQL, [status, error, now(), step.pk])
        else:
            cursor.execute(_FINISH_CLAIMED_SQL, [status, error, now(), *claimed, step.pk])
            if cursor.rowcount != 1:
                raise RuntimeError(f"step {step.pk} was claimed by another worker")
    step.status = status


def cancel_outstanding(run: PlaybookRun, current: RunStep) -> None:
    """Cancel the run's other steps that have not ended."""
    RunStep.objects.filter(run=run, status__in=OUTSTANDING).exclude(pk=current.pk).update(
        status="cancelled", end_time=timezone.now()
    )


OUTSTANDING_SQL = ('SELECT 1 FROM "engine_runstep" WHERE "run_id" = %s AND "status" IN '
                   f'({", ".join(repr(s) for s in OUTSTANDING)}) AND "id" <> %s LIMIT 1')


def maybe_finish(ctx: StepContext) -> None:
    """Enqueue on_finish once nothing of the run is outstanding (called under the run lock)."""
    run = ctx.run
    # new_steps also holds the start steps of child runs launched here; only this run's
    # own new work keeps it open (an asynchronous child does not).
    if any(s.status in OUTSTANDING and s.run_id == run.pk for s in ctx.new_steps):
        return
    if readcache.knows_pending_step_of(run.pk):
        return  # e.g. the other callbacks of actions this batch ran
    with raw() as cursor:
        cursor.execute(OUTSTANDING_SQL, [run.pk, ctx.step.pk])
        if cursor.fetchone() is not None:
            return
    ctx.new_steps.append(rows.insert(rows.new(RunStep, run=run, kind="finish", function="on_finish")))


def fail_run(ctx: StepContext, error: str) -> None:
    """Fail the step's run: cancel what is outstanding, drop what the step enqueued."""
    cancel_outstanding(ctx.run, ctx.step)
    ctx.new_steps = []
    block = ctx.failed_block or ctx.block or ctx.step.function or ctx.step.name
    PlaybookRun.objects.filter(pk=ctx.run.pk).update(failed_block=block[:256])
    ctx.run.failed_block = block
    close_run(ctx, "failed", error)


def close_run(ctx: StepContext, status: str, message: str) -> None:
    """End the step's run with `status` (and resume its parent playbook's run)."""
    run = ctx.run
    message = redaction.scrub(message)  # an exception's text may quote what the code read
    at = rows.now()
    stamp = rows.stamp(at)
    with raw() as cursor:
        cursor.execute(_RUN_CLOSED_SQL, [status, message, stamp, stamp, run.pk])
    run.status, run.message, run.end_time, run.update_time = status, message, at, at
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
    with queue.write_transaction():
        run = current_run or lock_run(step.run_id)
        if record is not None:
            record()
        finish_step(step, "done")
        task_done(task_id, "done")
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
            maybe_finish(ctx)
        events.store(run.pk, [*(events_before or []), *ctx.events])
        enqueue.enqueue_steps(ctx.new_steps)


def abandon_step(step_id: int, error: str) -> None:
    """Fail a step the engine could not execute (and its run, which could not go on)."""
    with queue.write_transaction():
        step = RunStep.objects.filter(pk=step_id).first()
        if step is None:
            return
        run = lock_run(step.run_id)
        finish_step(step, "failed", error)
        if run.status in TERMINAL_RUN:
            return
        ctx = StepContext(run=run, step=step)
        ctx.failed_block = step.function or step.name or step.kind
        fail_run(ctx, error)
        events.store(run.pk, ctx.events)
        enqueue.enqueue_steps(ctx.new_steps)
