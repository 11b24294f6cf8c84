"""The engine's tasks, dispatched by django.tasks (django-tasks-db by default, or a
broker backend): "advance run R" and "run the connector action of step S". Arguments are
ids only; all state is in the run's journal."""
from __future__ import annotations

import os
import socket
from datetime import datetime

from django.tasks import task

from engine.execution import actions, advance, dispatch

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


@task(queue_name="default")
def advance_run(run_id: int) -> str:
    return advance.advance(run_id, WORKER_ID)


@task(queue_name="actions")
def run_action(step_id: int) -> str:
    return actions.run_action_task(step_id, WORKER_ID)


def _enqueue_advance(run_id: int, at: datetime | None) -> None:
    (advance_run.using(run_after=at) if at is not None else advance_run).enqueue(run_id)


def _enqueue_action(step_id: int, at: datetime | None) -> None:
    run_action.enqueue(step_id)


dispatch.register("advance", _enqueue_advance)
dispatch.register("action", _enqueue_action)
