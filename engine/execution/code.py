"""Running a step's playbook code: the module a run's version stores, one function of it.

The code runs with no database transaction open; what it asks of the platform goes
through the phantom runtime (engine.runtime), whose writes the step's journal entry
completes (engine.execution.journal).
"""
from __future__ import annotations

import traceback
from typing import Any

from django.conf import settings

from engine.execution import faults, jsontext, loader
from engine.execution.custom_results import invocation_result
from engine.execution.results import callback_arguments, run_summary
from engine.execution.runs import cached_playbook
from engine.execution.timeouts import BlockTimeout, time_limit
from engine.models import PlaybookRun
from engine.runtime.context import StepContext, bind, unbind


def playbook_name(run: PlaybookRun) -> str:
    assert run.playbook_version_id is not None
    return cached_playbook(run.playbook_version_id)[1]


def run_step(ctx: StepContext) -> str | None:
    """Call the step's playbook function; None on success, else the error text."""
    step, run = ctx.step, ctx.run
    token = bind(ctx)
    try:
        assert run.playbook_version_id is not None
        source, name = cached_playbook(run.playbook_version_id)
        module = loader.load_module(source, name)
        fn = loader.function(module, step.function)
        ctx.block = step.function
        faults.point("code_step")
        with time_limit(settings.SOAR_BLOCK_TIMEOUT_S):
            if step.kind == "start":
                fn(ctx.container())
            elif step.kind == "finish":
                fn(ctx.container(), jsontext.dumps(run_summary(ctx)))
            else:
                _call(ctx, fn)
        return None
    except BlockTimeout:
        ctx.failed_block = ctx.failed_block or step.function
        return f"block {ctx.failed_block} exceeded its time limit of {settings.SOAR_BLOCK_TIMEOUT_S} s"
    except Exception as exc:  # user code: any error fails the block, never the worker
        ctx.failed_block = ctx.failed_block or step.function
        trace = traceback.format_exc(limit=-8)
        ctx.emit("debug", {"level": "error", "message": trace, "block": ctx.failed_block})
        return f"{type(exc).__name__} in {ctx.failed_block}: {exc}"
    finally:
        unbind(token)


def run_custom_function(ctx: StepContext, source: str, name: str,
                        parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Call a custom function once per parameter dict; one result entry each."""
    token = bind(ctx)
    try:
        module = loader.load_module(source, f"custom function {name}")
        fn = loader.function(module, name)
    except Exception as exc:
        unbind(token)
        return [invocation_result(p, error=f"{type(exc).__name__}: {exc}") for p in parameters]
    try:
        return [_invoke(fn, p) for p in parameters]
    finally:
        unbind(token)


def _invoke(fn: Any, params: dict[str, Any]) -> dict[str, Any]:
    try:
        with time_limit(settings.SOAR_BLOCK_TIMEOUT_S):
            value = fn(**params)
        jsontext.dumps(value, default=str)
        return invocation_result(params, value)
    except BlockTimeout:
        return invocation_result(params, error="Timed out while waiting for the result")
    except Exception as exc:  # a failing invocation is a failed result, never a dead worker
        return invocation_result(params, error=f"{type(exc).__name__}: {exc}", trace=traceback.format_exc(limit=-5))


def _call(ctx: StepContext, fn: Any) -> None:
    args, extra = callback_arguments(ctx)
    loader.call_callback(fn, extra=extra, **args)
