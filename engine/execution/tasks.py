"""The one task kind: execute a run step. Arguments are ids only; state is in the DB.
Steps are enqueued by engine.execution.enqueue."""
from __future__ import annotations

import os
import socket

from django.tasks import task

from engine.execution.steps import execute_step

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


@task(queue_name="default")
def execute_step_task(step_id: int) -> str:
    """What django-tasks-db's own worker calls; the engine's workers take the faster
    `worker.run_batch` path to the same steps."""
    return execute_step(step_id, WORKER_ID)
