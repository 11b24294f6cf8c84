"""Advancing a run: the unit of work every engine task comes down to.

A worker takes the run's lease (engine.execution.lease), reads the run's outstanding
steps and executes each that is due, one at a time, in order; every step's outcome joins
the holder's batch (engine.execution.batch), written to the journal in one short
transaction every few steps, after their code has run. Playbook code runs in an isolated
runner process (engine.execution.code) with no transaction open. A run with nothing ready (waiting on a connector, a prompt, a
child playbook or a timer) gives its lease back; whatever completes that work wakes it.

This is the run state machine. Step kinds:
- start / callback / finish: playbook code (code.run_step), then its journal entry;
- action: the simulator's answers are computed here and journaled like a code step; a
  real connector is handed to its own task (engine.execution.actions), the step marked
  running first so that a worker dying inside the connector is noticed;
- custom_function: user code in a runner, then the app run and the callback;
- prompt_timeout: the prompt's deadline (engine.execution.prompts).

If the previous holder died (its lease expired), what it left half done is recovered
first (engine.execution.recovery.take_over).
"""
from __future__ import annotations

import logging
from collections import deque
from datetime import datetime

from django.utils import timezone

from engine import redaction
from engine.execution import actions, batch, code, custom_functions, dispatch, faults, journal, lease, prompts, recovery
from engine.execution.batch import Batch, Conflict
from engine.execution.journal import TERMINAL_RUN
from engine.models import PlaybookRun, RunStep
from engine.runtime.context import StepContext

log = logging.getLogger(__name__)

CODE_STEPS = frozenset({"start", "callback", "finish"})


def advance(run_id: int, worker: str) -> str:
    """Advance the run as far as it can go now; returns what happened."""
    held = lease.take(run_id, worker)
    if held is None:
        # A live worker holds it: the wake-up that enqueued this task bumped the run's
        # wake_seq, so that worker will look again before it lets go.
        return "busy"
    try:
        # Everything the run writes while this worker holds it is redacted with one read of
        # the asset secrets.
        with redaction.for_batch():
            return _advance_held(held, run_id, worker)
    except BaseException:
        lease.abandon(held)
        raise


def _advance_held(held: lease.Lease, run_id: int, worker: str) -> str:
    if held.took_over:
        recovery.take_over(run_id)
    steps = 0
    while True:
        run = PlaybookRun.objects.filter(pk=run_id).first()
        if run is None:
            return "gone"
        seen = run.wake_seq
        outstanding = list(RunStep.objects.filter(run=run, status__in=journal.OUTSTANDING)
                           .select_related("action_run").order_by("id"))
        ready, later = _due(outstanding)
        if not ready:
            if lease.release(held, seen):
                if later is not None and run.status not in TERMINAL_RUN:
                    dispatch.advance_runs([run_id], later)  # a timer: a loop's delay, a prompt's deadline
                return f"advanced {steps} steps"
            continue  # woken meanwhile: look again
        work = Batch(run, worker, outstanding)
        queue = deque(ready)
        try:
            while queue:
                step = queue.popleft()
                if step.status != "pending":
                    continue  # cancelled by a step before it
                work.start()
                queue.extend(execute(step, work))
                steps += 1
                if work.due():
                    work.flush()
            work.flush()
        except Conflict as exc:
            # The run was cancelled (or its steps ended elsewhere) while this batch ran: its
            # records are dropped and the next look sees the run as it is.
            log.warning("%s: dropped this worker's unwritten steps", exc)


def _due(outstanding: list[RunStep]) -> tuple[list[RunStep], datetime | None]:
    """The pending steps that are due, in order, and when the next one falls due."""
    now = timezone.now()
    ready: list[RunStep] = []
    later: datetime | None = None
    for step in outstanding:
        if step.status != "pending":
            continue
        if step.not_before is not None and step.not_before > now:
            later = step.not_before if later is None or step.not_before < later else later
        else:
            ready.append(step)
    return ready, later


def execute(step: RunStep, work: Batch) -> list[RunStep]:
    """Execute one pending step of the run this worker holds, recording it in the batch;
    returns the run's new pending steps that are due now (the holder runs them next)."""
    run = work.run
    try:
        if step.kind in CODE_STEPS:
            created = _code_step(step, work)
        elif step.kind == "action":
            created = actions.start(step, work)
        elif step.kind == "custom_function":
            created = custom_functions.run(step, work)
        elif step.kind == "prompt_timeout":
            work.flush()  # the prompt's answer races it in the database
            created = work.adopt(prompts.expire(step, run))
            work.written(step, "done")
            work.reread([s for s in work.steps if s.kind == "prompt" and s.action_run_id == step.action_run_id])
        else:
            work.flush()
            journal.abandon_step(step, run, f"unknown step kind {step.kind!r}")
            created = []
    except Conflict:
        raise
    except Exception as exc:  # an engine error fails the step and its run, never the worker
        log.exception("run %s: step %s (%s) failed in the engine", run.pk, step.pk, step.kind)
        work.discard()
        journal.abandon_step(step, run, f"the engine failed executing this step: {type(exc).__name__}: {exc}")
        return []
    now = timezone.now()
    return [s for s in created if s.status == "pending" and (s.not_before is None or s.not_before <= now)]


def _code_step(step: RunStep, work: Batch) -> list[RunStep]:
    run = work.run
    if run.status in TERMINAL_RUN:
        batch.cancel_step(work, step)
        return []
    ctx = StepContext(run=run, step=step, worker=work.worker, batch=work, run_data=work.run_data)
    starting = run.status == "pending"
    if starting:
        run.status = "running"
        ctx.emit("run.started", {"run_id": run.pk, "playbook": code.playbook_name(run), "container": run.container_id,
                                 "scope": run.scope})
    error = code.run_step(ctx)
    faults.point("before_commit")
    return batch.record_code_step(work, ctx, error, starting=starting)
