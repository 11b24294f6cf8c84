"""Bringing the engine's timers forward in tests, on either task backend.

A timer is an "advance run R" task due later (engine.execution.tasks): a row with a future
run_after in django-tasks-db's table, or a job in an rq queue's scheduled registry with
django-tasks-rq. Tests that would otherwise wait minutes (a prompt's deadline, a loop's
pause) make those tasks due now."""
from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.utils import timezone

from engine.execution.brokers import engine_queues, using_rq


def make_timers_due(runs: Collection[int] | None = None, now: datetime | None = None) -> int:
    """Make the deferred "advance run" tasks of `runs` (of every run when None) due at `now`
    (default: now); returns how many it moved."""
    now = now or timezone.now()
    return _move_rq_timers(runs, now) if using_rq() else _move_db_timers(runs, now)


def _move_db_timers(runs: Collection[int] | None, now: datetime) -> int:
    from django_tasks_db.models import DBTaskResult

    moved = 0
    for task in DBTaskResult.objects.filter(status="READY", run_after__gt=now):
        if runs is None or task.args_kwargs.get("args", [None])[0] in runs:
            task.run_after = now
            task.save(update_fields=["run_after"])
            moved += 1
    return moved


def _move_rq_timers(runs: Collection[int] | None, now: datetime) -> int:
    from django_tasks_rq import Job

    moved = 0
    for queue in engine_queues():
        registry = queue.scheduled_job_registry
        for job in Job.fetch_many(registry.get_job_ids(), connection=queue.connection):
            if job is not None and (runs is None or (job.args and job.args[0] in runs)):
                # rq keeps whole seconds and its scheduler takes jobs due at or before now.
                registry.schedule(job, now)
                moved += 1
    return moved
