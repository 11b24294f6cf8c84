"""What the playbook runtime (engine/runtime: the phantom API, the step context, the
datapath source) may use of the execution core, and all of it: the runtime imports
nothing else from engine.execution (tests/engine/test_the_runtime_uses_only_the_execution_api.py).

Thin functions over the core's modules, so the core can change behind them. Reads go
through the current batch's shared reads where a function says so (readcache); writes
happen in the transaction of the step that runs the playbook code.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from django.db.models import Model

from editor.models import Playbook
from engine.execution import jsontext, readcache, results, rows, runs, steps
from engine.execution.results import RunAction
from engine.models import ActionRun, PlaybookRun
from engine.runtime.context import StepContext

__all__ = [
    "RunAction", "action_runs", "batch_artifacts", "batch_container", "callback_results", "cursor", "dumps",
    "find_playbook", "from_row", "get_row", "insert_row", "loads", "pending_callback_known",
    "run_summary", "select_columns", "start_child_run",
]


# JSON as the engine stores it.

def dumps(value: Any, *, default: Callable[[Any], Any] | None = None, sort_keys: bool = False) -> str:
    """The JSON text of `value`, as `json.dumps(value, default=..., sort_keys=...)` gives it."""
    return jsontext.dumps(value, default=default, sort_keys=sort_keys)


def loads(text: str | bytes) -> Any:
    """The value a JSON text holds, as `json.loads` gives it."""
    return jsontext.loads(text)


# Rows, read and written on the engine's connection.

def cursor() -> rows.raw:
    """A context manager giving a DB-API cursor on the engine's connection that takes `%s`
    placeholders on every database: `with cursor() as c: c.execute(sql, params)`."""
    return rows.raw()


def get_row[M: Model](model: type[M], pk: Any) -> M | None:
    """The `model` instance with primary key `pk`, or None when there is no such row."""
    return rows.get(model, pk)


def insert_row[M: Model](model: type[M], **values: Any) -> M:
    """A new `model` instance with `values` (and the fields' defaults), inserted: it has its id."""
    return rows.insert(rows.new(model, **values))


def select_columns(model: type[Model]) -> str:
    """The column list of a SELECT whose rows `from_row(model, row)` turns into instances."""
    return rows.columns(model)


def from_row[M: Model](model: type[M], row: Sequence[Any]) -> M:
    """The `model` instance a row selected with `select_columns(model)` holds."""
    return rows.instance(model, row)


# Reads the steps of one batch share.

def batch_container(container_id: int, load: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A copy of the container's dict, which `load` reads once per batch of steps."""
    return readcache.container(container_id, load)


def batch_artifacts(key: Any, load: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Copies of the artifact dicts of a (container, selection) `key`, which `load` reads
    once per batch of steps."""
    return readcache.artifacts(key, load)


def pending_callback_known(run_id: int, action_run_ids: Collection[int], other_than: int) -> bool:
    """True when this batch enqueued a callback step of the run, other than step
    `other_than`, for one of these action runs, and it is still pending. False says
    nothing: such a step may still be in the database."""
    return readcache.knows_pending_callback(run_id, action_run_ids, other_than)


# What a run's playbook code sees of the run.

def action_runs(ctx: StepContext) -> dict[int, RunAction]:
    """Every action run (actions, prompts, custom functions) of the step's run by id, in
    order, each with its callback-shaped results; one read per step."""
    return results.snapshot(ctx)


def callback_results(action_run: ActionRun) -> list[dict[str, Any]]:
    """The `results` a callback of `action_run` receives: one entry per app run (asset)."""
    return results.results_list(action_run)


def run_summary(ctx: StepContext) -> dict[str, Any]:
    """What phantom.get_summary() returns and on_finish receives: the run's action runs
    with their app runs, its status and its message."""
    return steps.summary(ctx)


# Child playbooks.

def find_playbook(ref: Any) -> Playbook:
    """The playbook `ref` names (id, "repo/name" or bare name); runs.RunError when none does."""
    return runs.find_playbook(ref)


def start_child_run(ctx: StepContext, playbook: Playbook, container_id: int, inputs: dict[str, Any],
                    block: str) -> PlaybookRun:
    """The child run of `playbook` on the container, created in the step's transaction;
    its start step joins `ctx.new_steps`. runs.RunError when it cannot start."""
    return runs.start_child_run(ctx, playbook, container_id, inputs, block)
