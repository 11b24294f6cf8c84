"""Executing a custom function block: the function runs once per parameter dict, as user
code (engine.execution.code), and its results become one app run of its action run."""
from __future__ import annotations

from django.utils import timezone

from editor.models import CustomFunction
from engine import redaction
from engine.execution import batch, code, journal
from engine.execution.batch import Batch
from engine.execution.results import result_entry
from engine.models import ActionRun, AppRun, RunStep
from engine.runtime.context import StepContext


def find_custom_function(ref: str) -> CustomFunction | None:
    repo, _, name = ref.rpartition("/")
    found = CustomFunction.objects.filter(name=name)
    return (found.filter(repo=repo).first() if repo else None) or found.order_by("-builtin", "pk").first()


def run(step: RunStep, work: Batch) -> list[RunStep]:
    """Execute a custom function step of the run this worker holds, into its batch."""
    run = work.run
    if run.status in journal.TERMINAL_RUN:
        batch.cancel_step(work, step)
        return []
    action_run = step.action_run if RunStep.action_run.is_cached(step) else None
    assert step.action_run_id is not None
    action_run = action_run or ActionRun.objects.get(pk=step.action_run_id)
    ctx = StepContext(run=run, step=step, worker=work.worker, block=action_run.name, batch=work, run_data=work.run_data)
    parameters = ((action_run.targets or [{}])[0].get("parameters")) or [{}]
    definition = find_custom_function(action_run.action)
    started = timezone.now()
    if definition is None:
        results = [{"status": "failed", "success": False, "message": f"no custom function '{action_run.action}'",
                    "data": None, "parameter": p} for p in parameters]
    else:
        results = code.run_custom_function(ctx, definition.python, definition.name, parameters,
                                           builtin=definition.builtin)
    # A built-in function writes with the ORM directly (container_update, artifact_create...).
    work.forget_reads()
    results = redaction.scrub(results)  # what a custom function returns is stored and shown
    succeeded = sum(1 for r in results if r["success"])
    status = "success" if succeeded else "failed"
    message = next((r["message"] for r in results if r["message"]), "")
    ctx.emit("action.finished", {"action_run_id": action_run.pk, "name": action_run.name, "status": status,
                                 "message": message, "custom_function": action_run.action})
    summary = {"total_objects": len(results), "total_objects_successful": succeeded}
    app_run = AppRun(action_run=action_run, status=status, message=message, result_data=results,
                     result_summary=summary, start_time=started, end_time=timezone.now())
    entry = result_entry(action_run, app_run_id=None, status=status, message=message, data=results, summary=summary,
                         app_id=None, asset_id=None, app_name=None, asset_name=None)
    return batch.record_async(work, step, action_run, status=status, message=message, app_runs=[app_run],
                              results=[entry], events_before=ctx.events)
