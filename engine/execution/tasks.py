"""The one task kind: execute a run step. Arguments are ids only; state is in the DB."""
from __future__ import annotations

import os
import socket
from collections.abc import Iterable

from django.db import transaction
from django.tasks import task

from engine.models import RunStep

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


@task(queue_name="default")
def execute_step_task(step_id: int) -> str:
    from engine.execution.steps import execute_step

    return execute_step(step_id, WORKER_ID)


def enqueue_steps(steps: Iterable[RunStep]) -> None:
    """Enqueue pending steps once the transaction that created them commits, so no
    worker can pick a step up before its rows are visible."""
    pending = [(s.pk, s.not_before) for s in steps if s.status == "pending"]
    if not pending:
        return

    def send() -> None:
        for step_id, not_before in pending:
            if not_before is not None:
                execute_step_task.using(run_after=not_before).enqueue(step_id)
            else:
                execute_step_task.enqueue(step_id)
        from engine.execution.worker import wake

        wake()

    transaction.on_commit(send)
