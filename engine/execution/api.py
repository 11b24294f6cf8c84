"""What the playbook runtime (engine/runtime: the phantom API, the step context, the
datapath source) may use of the execution core, and all of it: the runtime imports
nothing else from engine.execution (tests/engine/test_the_runtime_uses_only_the_execution_api.py).

Thin functions over the core's modules, so the core can change behind them. Steps the
runtime creates are kept with the step (`new_step`) and written with its journal entry.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from editor.models import Playbook
from engine.execution import results, runs
from engine.execution.results import RunAction
from engine.models import ActionRun, PlaybookRun, RunStep
from engine.runtime.context import StepContext

__all__ = [
    "RunAction", "action_created", "action_runs", "dumps", "find_playbook", "loads", "new_step", "pending_callback", "run_summary",
    "start_child_run",
]


# JSON as the engine stores it.

def dumps(value: Any, *, default: Callable[[Any], Any] | None = None, sort_keys: bool = False) -> str:
    """The JSON text of `value`, as `json.dumps(value, default=..., sort_keys=...)` gives it."""
    return json.dumps(value, default=default, sort_keys=sort_keys)


def loads(text: str | bytes) -> Any:
    """The value a JSON text holds, as `json.loads` gives it."""
    return json.loads(text)


# The run's steps.

def new_step(ctx: StepContext, **values: Any) -> RunStep:
    """A step of the run (or of a child run) created by the current step: inserted with the
    current step's journal entry, so a step that does not finish leaves none behind."""
    values.setdefault("run", ctx.run)
    step = RunStep(**values)
    ctx.new_steps.append(step)
    return step


# What a run's playbook code sees of the run.

def action_runs(ctx: StepContext) -> dict[int, RunAction]:
    """Every action run (actions, prompts, custom functions) of the step's run by id, in
    order, each with its callback-shaped results; one read per step."""
    return results.snapshot(ctx)


def action_created(ctx: StepContext, action_run: ActionRun) -> None:
    """The step started an action, custom function or prompt: what it reads of the run's
    action runs from now on includes it."""
    ctx.results_snapshot = None
    if ctx.batch is not None:
        ctx.batch.action_created(action_run)


def pending_callback(ctx: StepContext, action_run_ids: set[int]) -> bool:
    """A callback of one of these action runs, other than the step's own, is still to run."""
    if ctx.batch is not None:
        return bool(ctx.batch.pending_callback(action_run_ids, ctx.step))
    return RunStep.objects.filter(run_id=ctx.run.pk, status="pending", kind="callback",
                                  action_run_id__in=action_run_ids).exclude(pk=ctx.step.pk).exists()


def run_summary(ctx: StepContext) -> dict[str, Any]:
    """What phantom.get_summary() returns and on_finish receives: the run's action runs
    with their app runs, its status and its message."""
    return results.run_summary(ctx)


# Child playbooks.

def find_playbook(ref: Any) -> Playbook:
    """The playbook `ref` names (id, "repo/name" or bare name); runs.RunError when none does."""
    return runs.find_playbook(ref)


def start_child_run(ctx: StepContext, playbook: Playbook, container_id: int, inputs: dict[str, Any],
                    block: str) -> PlaybookRun:
    """The child run of `playbook` on the container; its start step joins the step's new
    steps. runs.RunError when it cannot start."""
    return runs.start_child_run(ctx, playbook, container_id, inputs, block)
