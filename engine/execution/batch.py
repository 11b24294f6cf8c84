"""What the holder of a run's lease has done and not yet written, and what the run's code
reads of its own run meanwhile.

The holder executes the run's due steps one after another (engine.execution.advance);
each step's outcome (its status, the steps it created, the app runs of an action the
simulator answered, the run's status, its events) joins this batch, and the batch is
written to the journal in one short transaction (`flush`) every few steps, before the
run hands anything to another worker, and when nothing is due. Until then the run's
code reads its own run from here: its action runs with their results (`actions`), which
of its steps are still outstanding (`outstanding`, for joins and on_finish).

A worker that dies before a flush loses the batch: its steps are still pending in the
database and run again (the promise is the same as for a single step). The flush checks
that every step it ends was still what the batch loaded (a compare-and-set per status),
so a run cancelled meanwhile loses the batch instead of being resurrected.
"""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from engine import events, redaction
from engine.execution import journal
from engine.execution.results import RunAction, load_actions
from engine.models import ActionRun, AppRun, PlaybookRun, RunStep
from engine.runtime.context import StepContext

OUTSTANDING = journal.OUTSTANDING

# Steps written per flush at most: each flush is one transaction, and the live run view
# sees a batch's events when it commits.
MAX_STEPS = 32
MAX_AGE_S = 0.1


class Conflict(Exception):
    """A step the batch ended is no longer what the batch loaded (the run was cancelled)."""


class Batch:
    def __init__(self, run: PlaybookRun, worker: str, outstanding: list[RunStep]) -> None:
        self.run = run
        self.worker = worker
        self.steps: list[RunStep] = list(outstanding)
        self._loaded: dict[int, str] = {s.pk: s.status for s in outstanding}
        self._actions: dict[int, RunAction] | None = None
        # The run's data as its steps read and wrote it (phantom.save_run_data, formats,
        # filters): only the run's own code steps write it, one at a time, so it is read
        # once per key for the whole batch.
        self.run_data: dict[str, str | None] = {}
        # The run's container and its artifacts as the batch's steps read them, until a
        # step may have changed them (`forget_reads`: a call that writes them, a custom
        # function); other writers' changes are seen by the next batch.
        self.reads: dict[Any, Any] = {}
        self._clear()

    def _clear(self) -> None:
        self.ended: list[RunStep] = []
        self.app_runs: list[AppRun] = []
        self._entries: list[tuple[dict[str, Any], AppRun]] = []
        self.action_updates: dict[int, dict[str, Any]] = {}
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.run_values: dict[str, Any] = {}
        self.actions_counted = 0
        self.closed_child = False
        self.cancel_rest = False
        self.created_elsewhere = False  # steps of other runs or child playbook steps: flush soon
        self.count = 0
        self.since: float | None = None

    # What the run's code reads of its own run.

    def actions(self) -> dict[int, RunAction]:
        if self._actions is None:
            self._actions = load_actions(self.run.pk)
        return self._actions

    def action_created(self, action_run: ActionRun) -> None:
        if self._actions is not None:
            self._actions[action_run.pk] = RunAction(id=action_run.pk, name=action_run.name, action=action_run.action,
                                                     type=action_run.type, status=action_run.status,
                                                     message=action_run.message, results=[])

    def pending_callback(self, action_run_ids: set[int], other_than: RunStep) -> bool:
        """A callback of one of these action runs is still to run (the batch's view first;
        the database for callbacks created by others since the batch loaded)."""
        if any(s is not other_than and s.kind == "callback" and s.status == "pending" and s.action_run_id in action_run_ids
               for s in self.steps):
            return True
        known = [s.pk for s in self.steps if s.pk is not None]
        return RunStep.objects.filter(run_id=self.run.pk, status="pending", kind="callback",
                                      action_run_id__in=action_run_ids).exclude(pk__in=known).exists()

    def outstanding(self, other_than: RunStep) -> bool:
        """Something of the run has not ended yet (besides `other_than`)."""
        if any(s is not other_than and s.run_id == self.run.pk and s.status in OUTSTANDING for s in self.steps):
            return True
        known = [s.pk for s in self.steps if s.pk is not None]
        return RunStep.objects.filter(run_id=self.run.pk, status__in=OUTSTANDING).exclude(pk__in=known).exists()

    # What the run did.

    def start(self) -> None:
        if self.since is None:
            self.since = timezone.now().timestamp()

    def end_step(self, step: RunStep, status: str, error: str = "") -> None:
        at = timezone.now()
        step.status, step.error, step.end_time = status, error, at
        if step.start_time is None:
            step.start_time, step.worker = at, self.worker[:128]
        self.ended.append(step)
        self.count += 1

    def add_steps(self, new: list[RunStep]) -> list[RunStep]:
        """Steps a step created; returns those of this run that are pending."""
        for step in new:
            self.steps.append(step)
            if step.run_id != self.run.pk or step.kind == "playbook":
                self.created_elsewhere = True
        return [s for s in new if s.run_id == self.run.pk and s.status == "pending"]

    def set_run(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self.run, name, value)
        self.run_values.update(values)

    def record_action(self, action_run: ActionRun, status: str, message: str, app_runs: list[AppRun],
                      results: list[dict[str, Any]]) -> None:
        """An action (or custom function) finished with these app runs; `results` are
        their entries as a callback receives them (their app_run_id is filled in when the
        app runs are written: a callback in the same batch sees None)."""
        at = timezone.now()
        self.app_runs += app_runs
        self._entries += zip(results, app_runs, strict=True)
        self.action_updates[action_run.pk] = {"status": status, "message": message, "update_time": at,
                                              "close_time": at}
        known = self.actions().get(action_run.pk)
        if known is not None:
            known.status, known.message = status, message
            known.results.extend(results)

    def cancel_outstanding(self, current: RunStep) -> None:
        for step in self.steps:
            if step is not current and step.run_id == self.run.pk and step.status in OUTSTANDING:
                step.status, step.end_time = "cancelled", timezone.now()
                if step not in self.ended:
                    self.ended.append(step)
        self.cancel_rest = True  # and those the batch does not know of, when it is written

    def due(self) -> bool:
        """Time to write the batch."""
        if self.created_elsewhere or self.count >= MAX_STEPS:
            return True
        return self.since is not None and timezone.now().timestamp() - self.since >= MAX_AGE_S

    # Writing it.

    def flush(self) -> None:
        """Write the batch in one transaction (raises Conflict, writing nothing, when a
        step it ended was ended by someone else meanwhile)."""
        if not self.ended and not self.events and not self.run_values and not any(s.pk is None for s in self.steps):
            return
        with transaction.atomic():
            if self.cancel_rest:
                # The run's outstanding steps this batch does not know (it ended those it
                # knows itself), before the batch's own new steps are written.
                known = [s.pk for s in self.steps if s.pk is not None]
                RunStep.objects.filter(run_id=self.run.pk, status__in=OUTSTANDING).exclude(pk__in=known).update(
                    status="cancelled", end_time=timezone.now())
            self._write_steps()
            for action_run_id, values in self.action_updates.items():
                ActionRun.objects.filter(pk=action_run_id).update(**values)
            AppRun.objects.bulk_create(self.app_runs)
            values = dict(self.run_values)
            if self.actions_counted:
                values["action_count"] = F("action_count") + self.actions_counted
            if values:
                PlaybookRun.objects.filter(pk=self.run.pk).update(**values)
            events.store(self.run.pk, self.events)
            if self.closed_child:
                journal.resume_parent(self.run)
        for entry, app_run in self._entries:
            entry["app_run_id"] = app_run.pk
        self._loaded.update({s.pk: s.status for s in self.steps if s.pk is not None})
        self.steps = [s for s in self.steps if s.status in OUTSTANDING]
        self._clear()

    def adopt(self, steps: list[RunStep]) -> list[RunStep]:
        """Steps written by someone else meanwhile (a prompt's timeout): the batch knows
        them as written."""
        for step in steps:
            self._loaded[step.pk] = step.status
            self.steps.append(step)
        return steps

    def written(self, step: RunStep, status: str) -> None:
        """The step was written with `status` outside the batch (handed to its own task as
        running; a prompt's timeout, done)."""
        step.status = status
        self._loaded[step.pk] = status

    def reread(self, steps: list[RunStep]) -> None:
        """Read again what the database says of these steps (another writer ended them)."""
        found = dict(RunStep.objects.filter(pk__in=[s.pk for s in steps]).values_list("pk", "status"))
        for step in steps:
            if step.pk in found:
                self.written(step, found[step.pk])

    def discard(self) -> None:
        """Forget what is not written (after an engine error: the run is failed apart)."""
        self.steps = [s for s in self.steps if s.pk is not None]
        for step in self.steps:
            step.status = self._loaded.get(step.pk, step.status)
        self._actions = None
        self.run_data = {}
        self.reads = {}
        self._clear()

    def forget_reads(self) -> None:
        self.reads.clear()

    def _write_steps(self) -> None:
        new = [s for s in self.steps if s.pk is None]
        others = {s.run_id for s in new if s.run_id != self.run.pk and s.status == "pending"}
        for step in self.ended:
            if step.pk is None:
                continue  # created in this batch: inserted below as it ended
            before = self._loaded.get(step.pk, "pending")
            if not RunStep.objects.filter(pk=step.pk, status=before).update(
                    status=step.status, error=step.error, start_time=step.start_time, end_time=step.end_time,
                    worker=step.worker):
                raise Conflict(f"run {self.run.pk}: step {step.pk} is no longer {before}")
        if new:
            RunStep.objects.bulk_create(new)
        journal.wake(others)


# The run state machine's records, as the holder makes them.

def record_code_step(batch: Batch, ctx: StepContext, error: str | None, *, starting: bool = False) -> list[RunStep]:
    """A code step (start, callback, finish) ended; returns this run's new pending steps."""
    step = ctx.step
    if starting:
        batch.set_run(status="running", update_time=timezone.now())
    batch.actions_counted += ctx.actions_counted
    ready: list[RunStep] = []
    if error is None:
        batch.end_step(step, "done")
        if ctx.discontinued:
            batch.cancel_outstanding(step)
            ctx.new_steps = [s for s in ctx.new_steps if s.run_id != batch.run.pk]
            ctx.emit("debug", {"message": "phantom.discontinue(): the run stops here", "level": "info"})
        ready = batch.add_steps(ctx.new_steps)
        if step.kind == "finish":
            close_run(batch, ctx, "success", "")
        else:
            ready += maybe_finish(batch, ctx)
    else:
        batch.end_step(step, "failed", error)
        fail_run(batch, ctx, error)
    batch.events += ctx.events
    return ready


def record_async(batch: Batch, step: RunStep, action_run: ActionRun, *, status: str, message: str,
                 app_runs: list[AppRun], results: list[dict[str, Any]],
                 events_before: list[tuple[str, dict[str, Any]]]) -> list[RunStep]:
    """An action the simulator answered, or a custom function, finished in the holder;
    returns its callback (or on_finish) when due."""
    batch.end_step(step, "done")
    batch.record_action(action_run, status, message, app_runs, results)
    batch.events += events_before
    if batch.run.status in journal.TERMINAL_RUN:
        return []
    ctx = StepContext(run=batch.run, step=step, worker=batch.worker, batch=batch, run_data=batch.run_data)
    if step.function:
        callback = RunStep(run=batch.run, kind="callback", function=step.function, name=step.name,
                           action_run_id=step.action_run_id, handle=step.handle, payload=step.payload)
        return batch.add_steps([callback])
    ready = maybe_finish(batch, ctx)
    batch.events += ctx.events
    return ready


def cancel_step(batch: Batch, step: RunStep) -> None:
    batch.end_step(step, "cancelled", f"the run had already ended ({batch.run.status})")


def maybe_finish(batch: Batch, ctx: StepContext) -> list[RunStep]:
    """on_finish, once nothing of the run is outstanding."""
    if any(s.status in OUTSTANDING and s.run_id == batch.run.pk for s in ctx.new_steps):
        return []
    if batch.outstanding(ctx.step):
        return []
    return batch.add_steps([RunStep(run=batch.run, kind="finish", function="on_finish")])


def fail_run(batch: Batch, ctx: StepContext, error: str) -> None:
    """Fail the run: cancel what is outstanding, drop what the step created."""
    batch.cancel_outstanding(ctx.step)
    ctx.new_steps = []
    block = ctx.failed_block or ctx.block or ctx.step.function or ctx.step.name
    batch.set_run(failed_block=block[:256])
    close_run(batch, ctx, "failed", error)


def close_run(batch: Batch, ctx: StepContext, status: str, message: str) -> None:
    """End the run with `status` (its parent playbook's run resumes when this is written)."""
    message = redaction.scrub(message)  # an exception's text may quote what the code read
    at = timezone.now()
    batch.set_run(status=status, message=message, end_time=at, update_time=at)
    ctx.emit("run.finished", {"status": status, "message": message, "failed_block": batch.run.failed_block,
                              "outputs": batch.run.outputs})
    if batch.run.parent_run_id:
        batch.closed_child = True
