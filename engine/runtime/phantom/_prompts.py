"""prompt / prompt2: ask a person and wait (without holding a worker) for the answer."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from engine.execution import api as execution
from engine.models import ActionRun
from engine.runtime.context import current, to_json
from engine.runtime.phantom._flow import PlaybookAPIError, _callback_name, _next_name

MAX_MINUTES = 60 * 24 * 30


def _ask(api: str, *, user: Any, role: Any, message: Any, respond_in_mins: Any, callback: Any, name: Any,
         questions: list[dict[str, Any]], parameters: Any) -> int:
    ctx = current(api)
    if not user and not role:
        raise PlaybookAPIError(f"phantom.{api}: say who answers (user= or role=)")
    try:
        minutes = int(respond_in_mins or 30)
    except (TypeError, ValueError):
        raise PlaybookAPIError(f"phantom.{api}: respond_in_mins must be a number of minutes") from None
    if not 1 <= minutes <= MAX_MINUTES:
        raise PlaybookAPIError(f"phantom.{api}: respond_in_mins must be between 1 and {MAX_MINUTES}")
    text = str(message or "")
    if parameters:
        from engine.runtime.phantom import _data

        text = _data.format(container=ctx.container(), template=text, parameters=list(parameters), name=None)
    block = name or _next_name(ctx, "prompt")
    callback_name = _callback_name(api, callback)
    parameter = {"message": text, "to": user, "to_role": role, "mins_to_act": minutes, "response_types": questions}
    action_run = ActionRun.objects.create(
        playbook_run=ctx.run, container_id=ctx.run.container_id, action="prompt", name=block, type="prompt",
        status="pending", callback=callback_name, targets=[{"parameters": [parameter]}],
    )
    execution.action_created(ctx, action_run)
    execution.new_step(ctx,
        kind="prompt", name=block, function=callback_name, action_run=action_run, status="waiting",
        payload={"parameter": parameter, "questions": len(questions), "respond_in_mins": minutes, "user": user,
                 "role": role}, handle=to_json(None),
    )
    execution.new_step(ctx, kind="prompt_timeout", name=block, action_run=action_run,
                       not_before=timezone.now() + timedelta(minutes=minutes))
    ctx.emit("prompt.waiting", {"action_run_id": action_run.pk, "name": block, "message": text, "user": user,
                                "role": role, "questions": questions, "respond_in_mins": minutes})
    return action_run.pk


def prompt(container: Any = None, user: Any = None, message: Any = None, respond_in_mins: Any = None,
           callback: Callable[..., Any] | None = None, name: str | None = None, options: Any = None,
           parameters: Any = None, **kwargs: Any) -> int:
    """Ask `user` (a user or role name) one question; the callback gets the answer in
    `<name>:action_result.summary.response`. Returns the prompt's action run id."""
    question = {"prompt": str(message or ""), "options": options or {"type": "message"}}
    return _ask("prompt", user=user, role=None, message=message, respond_in_mins=respond_in_mins, callback=callback,
                name=name, questions=[question], parameters=parameters)


def prompt2(container: Any = None, user: Any = None, role: Any = None, message: Any = None,
            respond_in_mins: Any = None, callback: Callable[..., Any] | None = None, name: str | None = None,
            parameters: Any = None, response_types: Any = None, separator: Any = None, drop_none: Any = None,
            **kwargs: Any) -> int:
    """Ask one or more questions (`response_types`); answers arrive in
    `<name>:action_result.summary.responses` (one per question)."""
    questions = response_types if isinstance(response_types, list) and response_types else [
        {"prompt": "", "options": {"type": "message"}}]
    return _ask("prompt2", user=user, role=role, message=message, respond_in_mins=respond_in_mins, callback=callback,
                name=name, questions=questions, parameters=parameters)


def task(user: Any = None, message: Any = None, respond_in_mins: Any = None, name: str | None = None,
         callback: Callable[..., Any] | None = None, **kwargs: Any) -> int:
    """Legacy manual task: a prompt with a free-text answer."""
    return prompt(user=user, message=message, respond_in_mins=respond_in_mins, name=name, callback=callback)
