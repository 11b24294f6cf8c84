"""The one task kind: execute a run step. Arguments are ids only; state is in the DB."""
from __future__ import annotations

import os
import socket
from collections.abc import Iterable

from django.db import transaction
from django.tasks import task

from engine.execution import queue, readcache, rows
from engine.models import RunStep

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


@task(queue_name="default")
def execute_step_task(step_id: int) -> str:
    """What django-tasks-db's own worker calls; the engine's workers take the faster
    `worker.run_batch` path to the same steps."""
    from engine.execution.steps import execute_step

    return execute_step(step_id, WORKER_ID)


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
    from engine.execution.worker import wake

    conn = rows.db()
    # Entries are (savepoint ids, function, robust).
    if conn.in_atomic_block and any(entry[1] is wake and not entry[0] for entry in conn.run_on_commit):
        return
    transaction.on_commit(wake)
