"""Prompts: a branch waits for a person's answer or for the response time to run out.

The answer and the timeout race for the same compare-and-set (waiting → done), so exactly
one of them completes the prompt and enqueues its callback.
"""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from engine import events as run_events
from engine.execution.outcomes import complete_async
from engine.models import ActionRun, AppRun, RunStep


class PromptError(Exception):
    pass


def _settle(step: RunStep, status: str, message: str, responses: list[Any], user: Any = None) -> bool:
    if RunStep.objects.filter(pk=step.pk, status="waiting").update(status="running") != 1:
        return False
    action_run = step.action_run
    assert action_run is not None
    params = step.payload.get("parameter", {})
    result = {"status": status, "message": message, "parameter": params, "data": [{"responses": responses}] if responses else [],
              "summary": {"responses": responses, "response": responses[0] if responses else None,
                          "responder": getattr(user, "username", None)}}
    AppRun.objects.create(action_run=action_run, status=status, message=message, result_data=[result],
                          result_summary={"total_objects": 1, "total_objects_successful": int(status == "success")},
                          start_time=action_run.create_time, end_time=timezone.now())
    ActionRun.objects.filter(pk=action_run.pk).update(status=status, message=message, close_time=timezone.now())
    # The timeout step has nothing left to do once the prompt is settled either way.
    RunStep.objects.filter(run_id=step.run_id, kind="prompt_timeout", payload__prompt_step=step.pk,
                           status__in=("pending", "running")).update(status="done", end_time=timezone.now())
    kind = "prompt.answered" if status == "success" else "prompt.expired"
    run_events.emit(step.run_id, kind, {"action_run_id": action_run.pk, "name": action_run.name,
                                        "responses": responses, "user": getattr(user, "username", None)})
    complete_async(step, "")
    return True


def expire_prompt(timeout_step: RunStep) -> str:
    """Run a prompt's deferred timeout step: fail the prompt unless it was answered."""
    step = RunStep.objects.select_related("action_run").get(pk=timeout_step.payload["prompt_step"])
    minutes = step.payload.get("respond_in_mins")
    done = _settle(step, "failed", f"the prompt was not answered within {minutes} minutes", [])
    RunStep.objects.filter(pk=timeout_step.pk).update(status="done", end_time=timezone.now())
    return "expired" if done else "already answered"


def answer_prompt(action_run: ActionRun, user: Any, responses: list[Any]) -> None:
    """Record a person's answer; raises PromptError when it cannot be taken."""
    step = RunStep.objects.filter(action_run=action_run, kind="prompt").first()
    if step is None or action_run.type != "prompt":
        raise PromptError(f"action run {action_run.pk} is not a prompt")
    expected = step.payload.get("questions", 1)
    if not isinstance(responses, list) or len(responses) != expected:
        raise PromptError(f"the prompt expects {expected} response(s)")
    with transaction.atomic():
        if not _settle(step, "success", "responded", responses, user):
            raise PromptError("the prompt was already answered or has expired")
