"""Handing work to the task engine (django.tasks): "advance run R" and "run action A".

The modules that record outcomes (engine.execution.journal) sit below the modules the
tasks execute (advance, actions), so they cannot import the tasks; the tasks module
registers how to enqueue them here when it loads (engine.config's ready() imports it).
The default backend is django-tasks-db; a broker backend (django-tasks-rq) takes the same
calls (soar.settings SOAR_TASK_BACKEND).
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import datetime

# Set when this process enqueued work, for its embedded worker threads to wake up
# (engine.execution.worker waits on it when idle).
work_ready = threading.Event()

Enqueue = Callable[[int, datetime | None], None]
_enqueue: dict[str, Enqueue] = {}


def register(kind: str, enqueue: Enqueue) -> None:
    _enqueue[kind] = enqueue


def _send(kind: str, ids: Iterable[int], at: datetime | None) -> None:
    enqueue = _enqueue.get(kind)
    if enqueue is None:
        raise RuntimeError(f"no task is registered for {kind!r} (engine.execution.tasks is not loaded)")
    for pk in ids:
        enqueue(pk, at)
    work_ready.set()


def advance_runs(run_ids: Iterable[int], at: datetime | None = None) -> None:
    """Enqueue "advance run R" for each run (at `at`, or now)."""
    _send("advance", run_ids, at)


def run_action(step_id: int) -> None:
    """Enqueue the connector action of a step that its run handed over."""
    _send("action", [step_id], None)
