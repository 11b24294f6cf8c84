"""A run's journal: the run's rows, which say what each step did.

Its steps (pending → done/failed/cancelled, with the steps each one created), its action
and app runs, its events (numbered per run) and the run row itself. The holder of the
run's lease writes what its steps did in batches (engine.execution.batch); this module
records what others complete for the run, each in one short transaction: a connector
action's outcome, a prompt's answer or timeout, a step the engine could not execute.
Waking a run (its holder, or the next worker to take it) happens on commit (`wake`).
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from engine import events, redaction
from engine.execution import dispatch
from engine.models import PlaybookRun, RunStep
from engine.runtime.context import StepContext

OUTSTANDING = ("pending", "running", "waiting")
TERMINAL_RUN = ("success", "failed", "cancelled")


def wake(run_ids: Iterable[int], at: datetime | None = None) -> None:
    """Tell the workers these runs have work (now, or at `at`): counted on the run rows in
    this transaction, dispatched when it commits."""
    ids = sorted(set(run_ids))
    if not ids:
        return
    PlaybookRun.objects.filter(pk__in=ids).update(wake_seq=F("wake_seq") + 1)
    transaction.on_commit(functools.partial(dispatch.advance_runs, ids, at))


def finish_step(step: RunStep, status: str, error: str = "", worker: str = "") -> None:
    """Record the step's end; a step that was never marked running gets its start too."""
    at = timezone.now()
    values: dict[str, Any] = {"status": status, "error": error, "end_time": at}
    if step.start_time is None:
        values.update(start_time=at, worker=worker[:128])
    RunStep.objects.filter(pk=step.pk).update(**values)
    step.status = status


def cancel_outstanding(run: PlaybookRun, current: RunStep | None) -> None:
    """Cancel the run's steps that have not ended (but the current one)."""
    found = RunStep.objects.filter(run=run, status__in=OUTSTANDING)
    if current is not None:
        found = found.exclude(pk=current.pk)
    found.update(status="cancelled", end_time=timezone.now())


def maybe_finish(ctx: StepContext) -> None:
    """Add on_finish once nothing of the run is outstanding."""
    run = ctx.run
    # new_steps also holds the start steps of child runs launched here; only this run's
    # own new work keeps it open (an asynchronous child does not).
    if any(s.status in OUTSTANDING and s.run_id == run.pk for s in ctx.new_steps):
        return
    if RunStep.objects.filter(run=run, status__in=OUTSTANDING).exclude(pk=ctx.step.pk).exists():
        return
    finish = RunStep(run=run, kind="finish", function="on_finish")
    finish.save()
    ctx.created.append(finish)


def fail_run(ctx: StepContext, error: str) -> None:
    """Fail the step's run: cancel what is outstanding, drop what the step created."""
    cancel_outstanding(ctx.run, ctx.step)
    ctx.new_steps = []
    block = ctx.failed_block or ctx.block or ctx.step.function or ctx.step.name
    ctx.run.failed_block = block[:256]
    PlaybookRun.objects.filter(pk=ctx.run.pk).update(failed_block=block[:256])
    close_run(ctx, "failed", error)


def close_run(ctx: StepContext, status: str, message: str) -> None:
    """End the step's run with `status` (and resume its parent playbook's run)."""
    run = ctx.run
    message = redaction.scrub(message)  # an exception's text may quote what the code read
    at = timezone.now()
    PlaybookRun.objects.filter(pk=run.pk).update(status=status, message=message, end_time=at, update_time=at)
    run.status, run.message, run.end_time, run.update_time = status, message, at, at
    ctx.emit("run.finished", {"status": status, "message": message, "failed_block": run.failed_block,
                              "outputs": run.outputs})
    if run.parent_run_id:
        resume_parent(run)


def resume_parent(child: PlaybookRun) -> None:
    """A finished child playbook completes the parent's waiting playbook step."""
    waiting = RunStep.objects.filter(run_id=child.parent_run_id, kind="playbook", child_run=child, status="waiting").first()
    if waiting is None:
        return
    if RunStep.objects.filter(pk=waiting.pk, status="waiting").update(status="done", end_time=timezone.now()) != 1:
        return
    if PlaybookRun.objects.filter(pk=waiting.run_id, status__in=TERMINAL_RUN).exists():
        return
    RunStep.objects.create(run_id=waiting.run_id, kind="callback", function=waiting.function, name=waiting.name,
                           child_run=child, handle=waiting.handle, payload={**waiting.payload, "child_run_id": child.pk})
    wake([waiting.run_id])


def complete_async(step: RunStep, run: PlaybookRun, *, worker: str = "", events_before: list[tuple[str, dict[str, Any]]] | None = None,
                   record: Callable[[], None] | None = None, from_status: str | None = None,
                   wake_run: bool = True) -> RunStep | None:
    """Record that an asynchronous operation (action, custom function, prompt) finished,
    in one transaction: what it produced (`record`), its step's end and its callback (or
    on_finish when nothing else is outstanding); returns the new pending step, if any.

    `from_status`: finish the step only if it still has that status (a connector action
    another worker may have declared interrupted meanwhile); None when it did not.
    `wake_run`: wake the run for its new step (False when the caller holds the run's
    lease and runs the step itself)."""
    with transaction.atomic():
        if from_status is not None:
            claimed = RunStep.objects.filter(pk=step.pk, status=from_status)
            at = timezone.now()
            values: dict[str, Any] = {"status": "done", "end_time": at, "lease_expires": None}
            if from_status == "running":
                claimed = claimed.filter(worker=step.worker)
            else:
                values.update(start_time=at, worker=worker[:128])
            if not claimed.update(**values):
                transaction.set_rollback(True)
                return None
            step.status = "done"
        if record is not None:
            record()
        if from_status is None:
            finish_step(step, "done", worker=worker)
        if wake_run:  # not the run's holder, whose instance is current: read what it did
            run.refresh_from_db(fields=["status", "message", "failed_block", "outputs", "end_time", "update_time"])
        if run.status in TERMINAL_RUN:
            events.store(run.pk, events_before or [])
            return None
        ctx = StepContext(run=run, step=step, worker=worker)
        created: RunStep | None = None
        if step.function:
            created = RunStep.objects.create(run=run, kind="callback", function=step.function, name=step.name,
                                             action_run_id=step.action_run_id, handle=step.handle, payload=step.payload)
        else:
            maybe_finish(ctx)
            created = ctx.created[0] if ctx.created else None
        events.store(run.pk, [*(events_before or []), *ctx.events])
        if created is not None and wake_run:
            wake([run.pk])
        return created


def abandon_step(step: RunStep, run: PlaybookRun, error: str) -> None:
    """Fail a step the engine could not execute (and its run, which cannot go on)."""
    with transaction.atomic():
        finish_step(step, "failed", error)
        run.refresh_from_db(fields=["status"])
        if run.status in TERMINAL_RUN:
            return
        ctx = StepContext(run=run, step=step)
        ctx.failed_block = step.function or step.name or step.kind
        fail_run(ctx, error)
        events.store(run.pk, ctx.events)
