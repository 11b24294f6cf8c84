"""Prompts: a branch waits for a person's answer or for the response time to run out.

The answer and the timeout race for the same compare-and-set on the prompt's step
(waiting → done, in journal.complete_async), so exactly one of them completes the prompt
and creates its callback.
"""
from __future__ import annotations

from typing import Any

from django.utils import timezone

from engine.execution import journal
from engine.models import ActionRun, AppRun, PlaybookRun, RunStep


class PromptError(Exception):
    pass


def _settle(step: RunStep, status: str, message: str, responses: list[Any], user: Any = None, *,
            wake_run: bool) -> RunStep | None | bool:
    """Complete the prompt; False when the answer or the timeout came first."""
    action_run = step.action_run
    assert action_run is not None
    params = step.payload.get("parameter", {})
    result = {"status": status, "message": message, "parameter": params,
              "data": [{"responses": responses}] if responses else [],
              "summary": {"responses": responses, "response": responses[0] if responses else None,
                          "responder": getattr(user, "username", None)}}

    def record() -> None:
        at = timezone.now()
        AppRun.objects.create(action_run=action_run, status=status, message=message, result_data=[result],
                              result_summary={"total_objects": 1, "total_objects_successful": int(status == "success")},
                              start_time=action_run.create_time, end_time=at)
        ActionRun.objects.filter(pk=action_run.pk).update(status=status, message=message, close_time=at)
        # The timeout step has nothing left to do once the prompt is settled either way.
        RunStep.objects.filter(run_id=step.run_id, kind="prompt_timeout", action_run_id=action_run.pk,
                               status="pending").update(status="done", end_time=at)

    kind = "prompt.answered" if status == "success" else "prompt.expired"
    events = [(kind, {"action_run_id": action_run.pk, "name": action_run.name, "responses": responses,
                      "user": getattr(user, "username", None)})]
    run = PlaybookRun.objects.get(pk=step.run_id)
    before = step.status
    created = journal.complete_async(step, run, events_before=events, record=record, from_status="waiting",
                                     wake_run=wake_run)
    if created is None and step.status == before:
        return False
    return created


def expire(timeout_step: RunStep, run: PlaybookRun) -> list[RunStep]:
    """A prompt's deadline (its timeout step, run by the run's holder): fail the prompt
    unless it was answered."""
    step = RunStep.objects.select_related("action_run").filter(action_run_id=timeout_step.action_run_id,
                                                               kind="prompt").first()
    RunStep.objects.filter(pk=timeout_step.pk, status="pending").update(status="done", start_time=timezone.now(),
                                                                        end_time=timezone.now())
    if step is None:
        return []
    minutes = step.payload.get("respond_in_mins")
    created = _settle(step, "failed", f"the prompt was not answered within {minutes} minutes", [], wake_run=False)
    return [created] if isinstance(created, RunStep) else []


def answer_prompt(action_run: ActionRun, user: Any, responses: list[Any]) -> None:
    """Record a person's answer; raises PromptError when it cannot be taken."""
    step = RunStep.objects.select_related("action_run").filter(action_run=action_run, kind="prompt").first()
    if step is None or action_run.type != "prompt":
        raise PromptError(f"action run {action_run.pk} is not a prompt")
    expected = step.payload.get("questions", 1)
    if not isinstance(responses, list) or len(responses) != expected:
        raise PromptError(f"the prompt expects {expected} response(s)")
    if _settle(step, "success", "responded", responses, user, wake_run=True) is False:
        raise PromptError("the prompt was already answered or has expired")
