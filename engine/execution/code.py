"""Running a step's playbook code, or a custom function, in a runner process (engine.runner).

The code runs in a separate process with no settings, no secrets and no database: every
platform call it makes comes back here and is executed by the phantom runtime
(engine.runtime) with the step bound (engine.runner.host). No database transaction is
open meanwhile; the step's journal entry is written after the code returned
(engine.execution.journal). A block over its time or memory limit, or whose runner dies,
fails with a message naming the block; its runner is replaced, other runs carry on.
"""
from __future__ import annotations

import json
import traceback
from typing import Any

from django.conf import settings

from engine import runner
from engine.execution import faults, loader
from engine.execution.custom_results import invocation_result
from engine.execution.results import callback_arguments, run_summary
from engine.execution.runs import cached_playbook
from engine.execution.timeouts import BlockTimeout, time_limit
from engine.models import PlaybookRun
from engine.runner import host
from engine.runtime.context import StepContext, bind, unbind
from engine.runtime.install import install_phantom

# Callbacks' keyword arguments beyond SOAR's first five (phantom-api.md §1.2).
CALLBACK_ARGS = ("action", "success", "container", "results", "handle")


def playbook_name(run: PlaybookRun) -> str:
    assert run.playbook_version_id is not None
    return cached_playbook(run.playbook_version_id)[1]


def _base_url() -> str:
    return str(getattr(settings, "SOAR_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def run_step(ctx: StepContext) -> str | None:
    """Call the step's playbook function in a runner; None on success, else the error text."""
    step, run = ctx.step, ctx.run
    # The runtime serving the runner's calls runs built-in custom functions that import
    # `phantom.rules` (container_merge, say): it resolves to the runtime in this process.
    install_phantom()
    assert run.playbook_version_id is not None
    source, name = cached_playbook(run.playbook_version_id)
    ctx.block = step.function
    common: dict[str, Any] = {"source": source, "filename": f"<playbook {name}>", "function": step.function,
                              "block": step.function, "time_limit_s": float(settings.SOAR_BLOCK_TIMEOUT_S),
                              "base_url": _base_url()}
    try:
        if step.kind == "start":
            job = runner.Job(kind="call", args=(ctx.container(),), **common)
        elif step.kind == "finish":
            job = runner.Job(kind="call", args=(ctx.container(), json.dumps(run_summary(ctx))), **common)
        else:
            args, extra = callback_arguments(ctx)
            job = runner.Job(kind="callback", args=tuple(args[k] for k in CALLBACK_ARGS), extra=extra, **common)
    except Exception as exc:  # the run's records no longer hold what the callback needs
        ctx.failed_block = step.function
        return f"{type(exc).__name__} in {step.function}: {exc}"
    faults.point("code_step")
    outcome = runner.execute(job, host.serve_with(ctx), host.events_into(ctx))
    if outcome.status == "ok":
        return None
    ctx.failed_block = ctx.failed_block or outcome.failed_block or step.function
    if outcome.traceback:
        ctx.emit("debug", {"level": "error", "message": outcome.traceback, "block": ctx.failed_block})
    return outcome.error or f"block {ctx.failed_block} failed ({outcome.status})"


def run_custom_function(ctx: StepContext, source: str, name: str, parameters: list[dict[str, Any]], *,
                        builtin: bool = False) -> list[dict[str, Any]]:
    """Call a custom function once per parameter dict in a runner; one result entry each.

    Playbook Studio's built-in custom functions (engine/custom_functions: the community
    repository's functions, written against our ORM) are platform code, not user code:
    they run in this process with the step bound, under the block time limit."""
    install_phantom()
    if builtin:
        return _run_builtin(ctx, source, name, parameters)
    results = []
    for params in parameters:
        job = runner.Job(kind="custom_function", source=source, filename=f"<custom function {name}>", function=name,
                         kwargs=dict(params), block=ctx.block, time_limit_s=float(settings.SOAR_BLOCK_TIMEOUT_S),
                         base_url=_base_url())
        outcome = runner.execute(job, host.serve_with(ctx), host.events_into(ctx))
        if outcome.status == "ok":
            results.append(invocation_result(params, outcome.value))
        elif outcome.status == "timeout":
            results.append(invocation_result(params, error="Timed out while waiting for the result"))
        else:
            results.append(invocation_result(params, error=outcome.error or outcome.status, trace=outcome.traceback))
    return results


def _run_builtin(ctx: StepContext, source: str, name: str, parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    token = bind(ctx)
    try:
        try:
            fn = loader.function(loader.load_module(source, f"custom function {name}"), name)
        except Exception as exc:
            return [invocation_result(p, error=f"{type(exc).__name__}: {exc}") for p in parameters]
        results = []
        for params in parameters:
            try:
                with time_limit(settings.SOAR_BLOCK_TIMEOUT_S):
                    value = fn(**params)
                json.dumps(value, default=str)
                results.append(invocation_result(params, value))
            except BlockTimeout:
                results.append(invocation_result(params, error="Timed out while waiting for the result"))
            except Exception as exc:  # a failing invocation is a failed result, never a dead worker
                results.append(invocation_result(params, error=f"{type(exc).__name__}: {exc}",
                                                 trace=traceback.format_exc(limit=-5)))
        return results
    finally:
        unbind(token)
