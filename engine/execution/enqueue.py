"""Enqueueing pending steps, and waking this process's idle worker threads for them.

Below every module that enqueues (runs, outcomes, steps) and below the worker that waits
for the wake-up, so dependencies inside engine/execution point one way.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable

from django.db import transaction

from engine.execution import queue, readcache, rows
from engine.models import RunStep

# Set when there is work for this process's worker threads (engine.execution.worker waits
# on it when idle).
work_ready = threading.Event()


def wake() -> None:
    """Tell idle worker threads of this process there is work (called after enqueueing)."""
    work_ready.set()


def enqueue_steps(steps: Iterable[RunStep]) -> None:
    """Enqueue pending steps: their task rows are written in the current transaction, so a
    step and its task become visible together (a worker never sees one without the other)
    and are lost together if that transaction rolls back.

    A batch worker may follow the new steps of the run it is executing (`queue.Chain`)."""
    pending = [s for s in steps if s.status == "pending"]
    if not pending:
        return
    ids = queue.insert([(s.pk, s.not_before) for s in pending])
    readcache.remember_steps(pending)
    queue.offer(ids, [(s.pk, s.run_id, s.kind, s.not_before) for s in pending])
    _wake_on_commit()


def _wake_on_commit() -> None:
    """Wake idle workers when this transaction commits: once per transaction (a batch
    enqueues dozens of steps), unless a savepoint holds the earlier request."""
    conn = rows.db()
    # Entries are (savepoint ids, function, robust).
    if conn.in_atomic_block and any(entry[1] is wake and not entry[0] for entry in conn.run_on_commit):
        return
    transaction.on_commit(wake)
