"""run_after through django-tasks-rq: the job waits in rq's scheduled registry until rq's
scheduler (in work_rq_once, and in engine_rqworker's scheduler thread) moves it to its
queue. rq keeps the time in whole seconds."""
from __future__ import annotations

from datetime import timedelta

import rq_helpers
from django.utils import timezone

from engine.execution.brokers import engine_queues, work_rq_once

pytestmark = rq_helpers.needs_rq


def _scheduled(name: str = "default") -> list[str]:
    queue = next(queue for queue in engine_queues() if queue.name == name)
    return list(queue.scheduled_job_registry.get_job_ids(cleanup=False))


def test_it_does_not_run_a_task_before_its_run_after() -> None:
    result = rq_helpers.note.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(1)

    assert work_rq_once(max_jobs=5) == 0

    assert rq_helpers.RAN == [] and _scheduled() == [result.id]


def test_it_runs_a_task_once_its_run_after_has_come() -> None:
    result = rq_helpers.note.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(2)
    # The hour passes: rq's own way of moving a scheduled job's time.
    queue = next(queue for queue in engine_queues() if queue.name == "default")
    job = queue.fetch_job(result.id)
    assert job is not None
    queue.scheduled_job_registry.schedule(job, timezone.now() - timedelta(seconds=1))

    assert work_rq_once(max_jobs=5) == 1

    assert rq_helpers.RAN == [2] and _scheduled() == []
