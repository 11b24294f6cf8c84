"""Reads shared by the steps of one SQLite batch: containers, artifacts, the assets actions
choose from, runs and the steps the batch itself enqueued.

A batch worker executes a dozen steps in one SQLite write transaction, and most of them
read the same container (its runs' steps follow each other) and its artifacts. While the
batch holds SQLite's write lock no other connection can change a row, so a row read once
stays true until this connection itself writes to its table. Every statement of this
connection is watched while the batch runs (Django's execute wrappers for the ORM, the
engine's raw cursor for the rest): any statement that is not a SELECT and names a table
drops what was read from it. Callers get copies: playbook code may change what it
receives.

Runs and new steps are the engine's own rows (`runs`, `steps`): a step the batch
enqueued and then follows is handed over as the instance it inserted instead of being
read back, and every step of a run in the batch shares one run instance. Statements the
engine mirrors on those instances itself are registered in `KEEPS` with what they do to
the cache; any other write to their tables drops them.

Not used on PostgreSQL, where other workers write concurrently.
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from engine.apps.base import JSON_SCALARS, copy_json
from engine.execution import jsontext

_local = threading.local()


class BatchReads:
    """What this batch has read, by table."""

    __slots__ = ("artifacts", "assets", "containers", "results", "runs", "steps")

    def __init__(self) -> None:
        self.containers: dict[int, dict[str, Any]] = {}
        self.artifacts: dict[Any, list[dict[str, Any]]] = {}
        # Rows of the asset query actions choose their assets with, by (sql, params).
        self.assets: dict[Any, list[tuple[Any, ...]]] = {}
        # PlaybookRun instances by id: the one instance every step of the run in this
        # batch works on, kept current by the engine's own (registered) writes.
        self.runs: dict[int, Any] = {}
        # Pending RunSteps this batch inserted and has not executed, by id (with the
        # action run they were created with, if any).
        self.steps: dict[int, Any] = {}
        # Rows of action-run snapshots (execution.results.snapshot) by run id.
        self.results: dict[int, list[tuple[Any, ...]]] = {}

    def wrote(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """A statement ran: forget what it may have changed."""
        effect = _EFFECTS.get(sql)
        if effect is None:
            effect = _effect(sql)
        if effect is _NONE:
            return
        if effect is _EVERYTHING:
            # A step undone to its savepoint may have changed anything it read since.
            self.containers.clear()
            self.artifacts.clear()
            self.assets.clear()
            self.results.clear()
            self.runs.clear()
            self.steps.clear()
            return
        containers, artifacts, assets, rows_only_added, runs, steps, results = effect
        if containers:
            self.containers.clear()
        if artifacts:
            self.artifacts.clear()
        if assets:
            self.assets.clear()
        if results:
            self.results.clear()  # a new action run changes its run's snapshot too
        if rows_only_added:
            return  # a new row changes none that was read
        keep = KEEPS.get(sql)
        if keep is not None and params is not None:
            keep(self, params)
            return
        if runs:
            self.runs.clear()
        if steps:
            self.steps.clear()

    def watch(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        """Django execute wrapper (ORM statements of this connection)."""
        self.wrote(sql)
        return execute(sql, params, many, context)


_Effect = tuple[bool, bool, bool, bool, bool, bool, bool]
_NONE: _Effect = (False, False, False, False, False, False, False)
_EVERYTHING: _Effect = (True, True, True, False, True, True, True)
# What a statement can change, by its text: the engine runs the same few dozen texts
# thousands of times a second, and each is looked at once.
_EFFECTS: dict[str, _Effect] = {}


def _effect(sql: str) -> _Effect:
    head = sql.lstrip()[:6].upper()
    if head == "SELECT" or head.startswith(("SAVEPO", "RELEAS")):
        effect = _NONE
    elif head.startswith("ROLLBA"):
        effect = _EVERYTHING
    else:
        assets = '"engine_asset"' in sql or '"engine_app"' in sql or '"engine_appaction"' in sql
        effect = ("engine_container" in sql, "engine_artifact" in sql,
                  # Quoted: "engine_apprun", written by every action, is not one of them.
                  assets,
                  head == "INSERT" and "ON CONFLICT" not in sql,
                  "engine_playbookrun" in sql, "engine_runstep" in sql or "engine_actionrun" in sql,
                  # Snapshots hold action runs, app runs and the names of apps and assets.
                  assets or "engine_actionrun" in sql or "engine_apprun" in sql)
        if effect == _NONE:
            effect = _NONE  # the shared object, which `wrote` tests by identity
    if len(_EFFECTS) > 4096:  # texts built per call (IN lists, multi-row inserts)
        _EFFECTS.clear()
    _EFFECTS[sql] = effect
    return effect


# Statements (exact text) whose effect the engine applies to its cached instances itself,
# with what each leaves of the cache; registered by the modules that issue them.
KEEPS: dict[str, Callable[[BatchReads, Sequence[Any]], None]] = {}


def keeps_runs(reads: BatchReads, params: Sequence[Any]) -> None:
    """A write to a run row that its writer also made on the batch's instance of it."""


def drops_step(position: int) -> Callable[[BatchReads, Sequence[Any]], None]:
    """A write to one step row (its id at `position` in the parameters)."""

    def drop(reads: BatchReads, params: Sequence[Any]) -> None:
        reads.steps.pop(params[position], None)

    return drop


def drops_steps_of_action_run(position: int) -> Callable[[BatchReads, Sequence[Any]], None]:
    """A write to one action run row (its id at `position`): the pending steps created
    with it would carry an outdated copy."""

    def drop(reads: BatchReads, params: Sequence[Any]) -> None:
        action_run_id = params[position]
        for step_id in [k for k, step in reads.steps.items() if step.action_run_id == action_run_id]:
            del reads.steps[step_id]

    return drop


def active() -> BatchReads | None:
    return getattr(_local, "reads", None)  # type: ignore[no-any-return]


@contextlib.contextmanager
def batch_reads(conn: Any) -> Iterator[BatchReads | None]:
    """Share reads between the steps of a batch on SQLite (None elsewhere)."""
    if conn.vendor != "sqlite":
        yield None
        return
    reads = BatchReads()
    _local.reads = reads
    try:
        with conn.execute_wrapper(reads.watch):
            yield reads
    finally:
        _local.reads = None


def _shared[T](cache: str, key: Any, load: Callable[[], T]) -> T:
    reads = active()
    if reads is None:
        return load()
    entries: dict[Any, Any] = getattr(reads, cache)
    found = entries.get(key)
    if found is None:
        value = load()
        found = entries[key] = (value, _copy_plan(value))
    return _copy(*found)  # type: ignore[no-any-return]


# Containers and artifacts are flat dicts of mostly scalars: each copy is the dict's own
# (C) copy with only the few values that are not scalars copied again, by keys listed when
# the batch read it (nothing changes the cached value: every step gets a copy).


def _copy_plan(value: Any) -> Any:
    if type(value) is dict:
        return [k for k, v in value.items() if type(v) not in JSON_SCALARS]
    if type(value) is list and all(type(v) is dict for v in value):
        return [_copy_plan(v) for v in value]
    return None


def _copy(value: Any, plan: Any) -> Any:
    if plan is None:
        return copy_json(value)
    if type(value) is dict:
        out = value.copy()
        for k in plan:
            out[k] = copy_json(out[k])
        return out
    return [_copy(v, p) for v, p in zip(value, plan, strict=True)]


def container(pk: int, load: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The container's dict, read once per batch (a copy each time)."""
    return _shared("containers", pk, load)


def artifacts(key: Any, load: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Artifact dicts for a (container, selection) key, read once per batch (copies)."""
    return _shared("artifacts", key, load)


def asset_rows(key: Any, load: Callable[[], list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    """The rows of an asset query, read once per batch (rows are tuples: nothing to copy)."""
    return _rows("assets", key, load)


def results(run_id: int, load: Callable[[], list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    """The rows of a run's action-run snapshot (execution.results), read once per batch
    until an action run, app run, app or asset is written. Rows are tuples of plain
    values; every step builds its own snapshot from them."""
    return _rows("results", run_id, load)


def _rows(cache: str, key: Any, load: Callable[[], list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    reads = active()
    if reads is None:
        return load()
    entries: dict[Any, list[tuple[Any, ...]]] = getattr(reads, cache)
    found = entries.get(key)
    if found is None:
        found = entries[key] = load()
    return found


def remember_run(run: Any) -> Any:
    """The batch's instance of this run: `run` itself, now shared by the run's steps."""
    reads = active()
    if reads is not None:
        reads.runs[run.pk] = run
    return run


def known_run(run_id: int) -> Any:
    """The batch's instance of a run, or None (read it, then `remember_run`)."""
    reads = active()
    return reads.runs.get(run_id) if reads is not None else None


def remember_steps(steps: Sequence[Any]) -> None:
    """Steps just inserted in this batch, which it may follow without reading them back."""
    reads = active()
    if reads is not None:
        for step in steps:
            reads.steps[step.pk] = step


def knows_pending_step_of(run_id: int) -> bool:
    """True when this batch inserted a step of the run that is still pending (the cache
    drops a step on any write it does not account for, so one it still holds is)."""
    reads = active()
    return reads is not None and any(step.run_id == run_id for step in reads.steps.values())


def knows_pending_callback(run_id: int, action_run_ids: Collection[int], other_than: int) -> bool:
    """True when this batch inserted a callback step of the run for one of these action
    runs, other than step `other_than`, that is still pending (see knows_pending_step_of)."""
    reads = active()
    return reads is not None and any(
        step.run_id == run_id and step.kind == "callback" and step.status == "pending"
        and step.action_run_id in action_run_ids and step.pk != other_than
        for step in reads.steps.values())


def take_step(step_id: int) -> Any:
    """A step this batch inserted, as the database holds it, with the batch's instance of
    its run (and its action run when it was created with one); None when the batch no
    longer knows it for certain."""
    reads = active()
    if reads is None:
        return None
    step = reads.steps.pop(step_id, None)
    if step is None:
        return None
    run = reads.runs.get(step.run_id)
    if run is None:
        return None
    # JSON columns as a read would return them: the instance may share them with the
    # code that created it, and a read never returns tuples or non-string keys.
    step.payload = _as_stored(step.payload)
    cache = step._state.fields_cache
    cache["run"] = run
    action_run = cache.get("action_run")
    if action_run is not None:
        action_run.targets = _as_stored(action_run.targets)
    return step


def _as_stored(value: Any) -> Any:
    if type(value) in (dict, list) and not value:
        return type(value)()  # the common case, without a round trip
    return jsontext.loads(jsontext.dumps(value))
