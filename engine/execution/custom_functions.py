"""Executing a custom function block: the function runs once per parameter dict."""
from __future__ import annotations

import json
import traceback
from typing import Any

from django.conf import settings
from django.utils import timezone

from editor.models import CustomFunction
from engine import redaction
from engine.execution import loader
from engine.execution.outcomes import complete_async
from engine.execution.timeouts import BlockTimeout, time_limit
from engine.models import ActionRun, AppRun, RunStep
from engine.runtime.context import StepContext, bind, unbind


def find_custom_function(ref: str) -> CustomFunction | None:
    repo, _, name = ref.rpartition("/")
    qs = CustomFunction.objects.filter(name=name)
    return (qs.filter(repo=repo).first() if repo else None) or qs.order_by("-builtin", "pk").first()


def _invoke(fn: Any, params: dict[str, Any]) -> dict[str, Any]:
    try:
        with time_limit(settings.SOAR_BLOCK_TIMEOUT_S):
            value = fn(**params)
        json.dumps(value, default=str)
        return {"status": "success", "success": True, "message": "", "data": value, "parameter": params}
    except BlockTimeout:
        return {"status": "failed", "success": False, "message": "Timed out while waiting for the result",
                "data": None, "parameter": params}
    except Exception as exc:  # a failing invocation is a failed result, never a dead worker
        return {"status": "failed", "success": False, "message": f"{type(exc).__name__}: {exc}", "data": None,
                "parameter": params, "traceback": traceback.format_exc(limit=-5)}


def run_custom_function_step(step: RunStep, worker: str, task_id: str | None = None) -> str:
    action_run = step.action_run
    assert action_run is not None
    ctx = StepContext(run=step.run, step=step, worker=worker, block=action_run.name)
    parameters = ((action_run.targets or [{}])[0].get("parameters")) or [{}]
    definition = find_custom_function(action_run.action)
    started = timezone.now()
    if definition is None:
        results = [{"status": "failed", "success": False, "message": f"no custom function '{action_run.action}'",
                    "data": None, "parameter": p} for p in parameters]
    else:
        token = bind(ctx)
        try:
            module = loader.load_module(definition.python, f"custom function {definition.name}")
            fn = loader.function(module, definition.name)
            results = [_invoke(fn, p) for p in parameters]
        except Exception as exc:
            results = [{"status": "failed", "success": False, "message": f"{type(exc).__name__}: {exc}",
                        "data": None, "parameter": p} for p in parameters]
        finally:
            unbind(token)
    results = redaction.scrub(results)  # what a custom function returns is stored and shown
    succeeded = sum(1 for r in results if r["success"])
    status = "success" if succeeded else "failed"
    message = next((r["message"] for r in results if r["message"]), "")
    ctx.emit("action.finished", {"action_run_id": action_run.pk, "name": action_run.name, "status": status,
                                 "message": message, "custom_function": action_run.action})

    def record() -> None:
        AppRun.objects.create(
            action_run=action_run, status=status, message=message, result_data=results,
            result_summary={"total_objects": len(results), "total_objects_successful": succeeded},
            start_time=started, end_time=timezone.now(),
        )
        ActionRun.objects.filter(pk=action_run.pk).update(status=status, message=message, close_time=timezone.now(),
                                                          update_time=timezone.now())

    complete_async(step, worker, task_id, events_before=ctx.events, record=record)
    return status
