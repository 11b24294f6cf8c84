"""Blocks and asynchronous work: act, custom_function, playbook, prompt, completed."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from engine.execution import api as execution
from engine.models import ActionRun, PlaybookRun, RunStep
from engine.runtime.context import StepContext, current, to_json


class PlaybookAPIError(ValueError):
    """A phantom.* call with arguments the engine cannot act on; the message says which."""


def _callback_name(api: str, callback: Any) -> str:
    if callback is None:
        return ""
    name = getattr(callback, "__name__", None)
    if not callable(callback) or not name or name == "<lambda>" or "<locals>" in getattr(callback, "__qualname__", ""):
        raise PlaybookAPIError(f"phantom.{api}: callback must be a top-level function of the playbook")
    return str(name)


def _parameter_list(api: str, parameters: Any) -> list[dict[str, Any]]:
    if parameters is None:
        return []
    if isinstance(parameters, dict):
        parameters = [parameters]
    if not isinstance(parameters, list) or not all(isinstance(p, dict) for p in parameters):
        raise PlaybookAPIError(f"phantom.{api}: parameters must be a list of dicts (one dict per invocation)")
    try:
        return execution.loads(execution.dumps(parameters, default=str))  # type: ignore[no-any-return]
    except (TypeError, ValueError) as exc:
        raise PlaybookAPIError(f"phantom.{api}: parameters are not JSON-serialisable: {exc}") from None


def _next_name(ctx: StepContext, base: str) -> str:
    count = ActionRun.objects.filter(playbook_run=ctx.run).count() + 1
    return f"{base.replace(' ', '_')}_{count}"


def _string_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int)):
        return [str(value)]
    return [str(v) for v in value]


def _count_action(ctx: StepContext, api: str) -> None:
    # The run row is this step's (its code steps hold the run): counted here, written once
    # when the step ends (steps._code_step).
    limit = ctx.run.action_limit
    ctx.run.action_count += 1
    ctx.actions_counted += 1
    if ctx.run.action_count > limit:
        raise PlaybookAPIError(f"phantom.{api}: the run exceeded its action limit of {limit} (phantom.set_action_limit raises it)")


def act(action: str, parameters: Any = None, assets: Any = None, tags: Any = None, callback: Callable[..., Any] | None = None,
        reviewer: Any = None, handle: Any = None, start_time: datetime | None = None, name: str | None = None,
        asset_type: Any = None, app: Any = None, parent_action: Any = None, loop_state: Any = None,
        **kwargs: Any) -> int:
    """Run an app action on assets, once per asset and parameter dict; returns the action run id.

    Returns at once: the action executes in its own task and, when every asset and every
    parameter set has finished, `callback` is called with action, success, container,
    results and handle.
    """
    ctx = current("act")
    if not isinstance(action, str) or not action.strip():
        raise PlaybookAPIError("phantom.act: the action name must be a non-empty string")
    params = _parameter_list("act", parameters)
    callback_name = _callback_name("act", callback)
    _count_action(ctx, "act")
    app_filter = app.get("name") if isinstance(app, dict) else app
    block = name or _next_name(ctx, action)
    action_run = ActionRun.objects.create(
        playbook_run=ctx.run, container_id=ctx.run.container_id, action=action, name=block, type="action",
        status="pending", callback=callback_name, handle=to_json(handle),
        targets=[{"assets": _string_list(assets), "parameters": params, "app": app_filter, "tags": _string_list(tags),
                  "reviewer": reviewer, "asset_type": asset_type,
                  "parent_action_run": (parent_action or {}).get("action_run_id") if isinstance(parent_action, dict) else None}],
        owner_id=ctx.run.owner_id,
    )
    execution.action_created(ctx, action_run)
    execution.new_step(ctx,
        kind="action", name=block, function=callback_name, action_run=action_run,
        handle=action_run.handle, payload=_loop_payload(loop_state),
        not_before=_aware(start_time) or _loop_not_before(loop_state),
    )
    ctx.emit("action.started", {"action_run_id": action_run.pk, "action": action, "name": block,
                                "assets": _string_list(assets), "parameters": len(params)})
    return action_run.pk


def _loop_payload(loop_state: Any) -> dict[str, Any]:
    """The loop state travels with the pending operation and comes back to the callback
    as ``loop_state_json``."""
    if not loop_state:
        return {}
    return {"loop_state": loop_state if isinstance(loop_state, str) else to_json(loop_state)}


def _loop_not_before(loop_state: Any) -> datetime | None:
    """Iterations after the first wait the loop's delay_time (pause between iterations)."""
    from engine.runtime.phantom._loop import loop_delay

    delay = loop_delay(loop_state)
    return timezone.now() + timedelta(seconds=delay) if delay > 0 else None


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return timezone.make_aware(value, timezone.get_current_timezone()) if timezone.is_naive(value) else value


def custom_function(custom_function: str | None = None, parameters: Any = None, name: str | None = None,
                    callback: Callable[..., Any] | None = None, loop_state: Any = None, **kwargs: Any) -> int:
    """Run a custom function ("repo/name") once per parameter dict; returns its run id.

    Results are addressed as `<name>:custom_function_result.data.<key>`; `callback` is
    called when every invocation has finished.
    """
    ctx = current("custom_function")
    if not isinstance(custom_function, str) or not custom_function.strip():
        raise PlaybookAPIError("phantom.custom_function: custom_function must be 'repo/name'")
    params = _parameter_list("custom_function", parameters)
    callback_name = _callback_name("custom_function", callback)
    block = name or _next_name(ctx, custom_function.split("/")[-1])
    action_run = ActionRun.objects.create(
        playbook_run=ctx.run, container_id=ctx.run.container_id, action=custom_function, name=block,
        type="custom_function", status="pending", callback=callback_name, targets=[{"parameters": params}],
    )
    execution.action_created(ctx, action_run)
    execution.new_step(ctx, kind="custom_function", name=block, function=callback_name, action_run=action_run,
                       payload=_loop_payload(loop_state), not_before=_loop_not_before(loop_state))
    ctx.emit("action.started", {"action_run_id": action_run.pk, "custom_function": custom_function, "name": block,
                                "parameters": len(params)})
    return action_run.pk


def playbook(playbook: Any = None, container: Any = None, handle: Any = None, show_debug: bool = False,
             callback: Callable[..., Any] | None = None, inputs: Any = None, name: str | None = None,
             loop_state: Any = None, **kwargs: Any) -> int:
    """Start a child playbook ("repo/name" or id) on a container; returns the child run id.

    With `callback` the branch waits for the child and the callback receives its outputs
    through `<name>:playbook_output:<key>`; without it the child runs on its own.
    """
    ctx = current("playbook")
    target = execution.find_playbook(playbook)
    callback_name = _callback_name("playbook", callback)
    container_id = container.get("id") if isinstance(container, dict) else (container or ctx.run.container_id)
    if inputs is not None and not isinstance(inputs, dict):
        raise PlaybookAPIError("phantom.playbook: inputs must be a dict of input name -> value(s)")
    block = name or f"playbook_{target.name}_{ActionRun.objects.filter(playbook_run=ctx.run).count() + 1}"
    try:
        cid = int(container_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PlaybookAPIError(f"phantom.playbook: container must be a container dict or id, not {container!r}") from None
    child = execution.start_child_run(ctx, target, cid, inputs or {}, block)
    # A synchronous child is outstanding work of this run until it finishes; an
    # asynchronous one is recorded (for completed()) but not waited for.
    execution.new_step(ctx,
        kind="playbook", name=block, function=callback_name, child_run=child,
        status="waiting" if callback_name else "done", handle=to_json(handle), payload=_loop_payload(loop_state),
    )
    ctx.emit("playbook.started", {"child_run_id": child.pk, "playbook": target.name, "name": block,
                                  "synchronous": bool(callback_name)})
    return child.pk


def completed(action_names: Any = None, playbook_names: Any = None, custom_function_names: Any = None,
              trace: bool = False) -> bool:
    """True once every named action, child playbook and custom function of this run has
    finished, successfully or not, and its completion has been delivered. A name that
    never started keeps it False.

    "Delivered" means its callback is running or has run: callbacks of a run execute one
    at a time, so when two parents finish together the join fires in the later callback
    only, exactly once. (The running callback's own step may still read as pending: its
    claim is written with its outcome.)
    """
    ctx = current("completed")
    wanted = set(_string_list(action_names) + _string_list(custom_function_names))
    if wanted:
        named = [a for a in execution.action_runs(ctx).values() if a.name in wanted]
        if {a.name for a in named if a.status in ("success", "failed")} != wanted:
            return False
        # Undelivered: a callback of one of them still pending. The snapshot names the
        # action runs, so the steps need no join (and no IN list, which SQLite builds a
        # temporary index for on every execution).
        ids = {a.id for a in named}
        if execution.pending_callback(ctx, ids):
            return False
    children = set(_string_list(playbook_names))
    if children:
        done = set(
            RunStep.objects.filter(run=ctx.run, kind="playbook", name__in=children,
                                   child_run__status__in=("success", "failed", "cancelled"))
            .values_list("name", flat=True)
        )
        undelivered = set(
            RunStep.objects.filter(run=ctx.run, kind="callback", status="pending", name__in=children,
                                   child_run__isnull=False).exclude(pk=ctx.step.pk).values_list("name", flat=True)
        )
        if done != children or undelivered:
            return False
    return True


def actions_done(action_names: Any = None) -> bool:
    """Deprecated predecessor of completed(action_names=...)."""
    return completed(action_names=action_names)


def playbook_block() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator factory SOAR 5.4+ puts on every block: records the block for run events."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        def block(*args: Any, **kwargs: Any) -> Any:
            from engine.runtime.context import _current

            ctx = _current.get()
            if ctx is None:
                return fn(*args, **kwargs)
            outer, ctx.block = ctx.block, fn.__name__
            ctx.emit("block.started", {"block": fn.__name__})
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:
                ctx.failed_block = ctx.failed_block or fn.__name__
                ctx.emit("block.finished", {"block": fn.__name__, "status": "failed", "error": f"{type(exc).__name__}: {exc}"})
                raise
            finally:
                ctx.block = outer
            ctx.emit("block.finished", {"block": fn.__name__, "status": "success"})
            return result

        # functools.wraps' assignments, spelled out: the module is executed afresh for
        # every step, so this runs for every block of every step (wraps costs 5x more).
        block.__module__, block.__name__, block.__qualname__ = fn.__module__, fn.__name__, fn.__qualname__
        block.__doc__, block.__wrapped__ = fn.__doc__, fn  # type: ignore[attr-defined]
        block.__annotations__ = fn.__annotations__
        if fn.__dict__:
            block.__dict__.update(fn.__dict__)
        return block

    return decorate


def discontinue() -> None:
    """Stop the run: no further callbacks are scheduled; pending work is cancelled."""
    ctx = current("discontinue")
    ctx.discontinued = True


def set_action_limit(limit: int) -> None:
    """Raise (or lower) the number of actions this run may start."""
    ctx = current("set_action_limit")
    if not isinstance(limit, int) or limit < 1:
        raise PlaybookAPIError("phantom.set_action_limit: limit must be a positive integer")
    ctx.run.action_limit = limit
    PlaybookRun.objects.filter(pk=ctx.run.pk).update(action_limit=limit)
