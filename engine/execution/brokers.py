"""The Redis broker backend (SOAR_TASK_BACKEND=rq): django-tasks-rq's jobs on rq queues.

Worker processes are `manage.py engine_rqworker`. This module is what the rest of the
engine needs besides them: whether rq is the backend, running ready jobs in the calling
thread (engine.execution.worker.drain does, so runs driven inline work on either
backend), and emptying the queues between tests.

rq and django-rq are imported inside the functions: they take about 0.25 s to import
(redis.asyncio), which a process on the default backend (django-tasks-db) should not pay.
"""
from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from redis import Redis
    from rq import Queue

RQ_BACKEND = "django_tasks_rq.RQBackend"


def using_rq() -> bool:
    """True when django.tasks' default backend is django-tasks-rq (read per call, so a
    test's override_settings(TASKS=...) is honoured)."""
    return bool(settings.TASKS.get("default", {}).get("BACKEND") == RQ_BACKEND)


def queue_names() -> list[str]:
    """The engine's queues, in the order a worker takes from them."""
    return list(settings.TASKS["default"].get("QUEUES") or ["default"])


def engine_queues() -> list[Queue]:
    """The engine's rq queues, making django-tasks-rq's Job (it calls the django.tasks
    task, not a bare function)."""
    import django_rq.queues
    from django_tasks_rq import Job

    return list(django_rq.queues.get_queues(*queue_names(), job_class=Job))  # type: ignore[no-untyped-call]


def connection() -> Redis:
    """The connection of the engine's queues (django-rq requires they share one)."""
    return engine_queues()[0].connection


def work_rq_once(max_jobs: int = 1) -> int:
    """Run up to `max_jobs` ready jobs of the engine's queues in this thread; return how
    many ran (failed ones included: their error is in rq's failed registry and the log).

    Jobs whose run_after has come are moved to their queue first. rq keeps run_after in
    whole seconds: a job may become ready up to a second before the time it was given.
    """
    from django_tasks_rq import Job
    from rq.utils import now

    worker = _inline_worker_class()(engine_queues(), connection=connection(), job_class=Job)
    # The registries' clean-up (abandoned and expired jobs) is the long-lived workers' job;
    # a worker living for one call would redo it on every call.
    worker.last_cleaned_at = now()
    worker.work(burst=True, max_jobs=max_jobs, with_scheduler=True, logging_level="WARNING")
    return int(worker.ran)


def flush_rq() -> int:
    """Delete every job of the engine's queues, whatever its state (queued, scheduled for
    run_after, deferred, started, finished, failed, canceled); return how many. For tests."""
    from django_tasks_rq import Job
    from rq.scheduler import RQScheduler

    removed = 0
    redis = connection()
    for queue in engine_queues():
        registries = [queue.scheduled_job_registry, queue.deferred_job_registry, queue.started_job_registry,
                      queue.finished_job_registry, queue.failed_job_registry, queue.canceled_job_registry]
        ids = set(queue.get_job_ids())
        for registry in registries:
            ids.update(registry.get_job_ids(cleanup=False))
        for job in Job.fetch_many(sorted(ids), connection=redis):
            if job is not None:
                job.delete()
                removed += 1
        # Whatever is left names jobs whose hash already expired. The scheduler lock too: a
        # worker killed while it held it (the durability tests kill workers) would keep every
        # later run_after job waiting until the lock expired.
        redis.delete(queue.key, queue.intermediate_queue_key, *(registry.key for registry in registries),
                     RQScheduler.get_locking_key(queue.name))
    return removed


@cache
def _inline_worker_class() -> Any:
    """rq's SimpleWorker (no fork: the job runs in the caller's process, with its database
    connection and test transaction) bent to run in any thread of any process."""
    from rq import SimpleWorker
    from rq.job import Job
    from rq.timeouts import BaseDeathPenalty

    class NoTimeLimit(BaseDeathPenalty):
        # rq's time limit is SIGALRM, which only the main thread may set, and raising into
        # a job at an arbitrary point could leave a transaction half done; the engine
        # limits what may run long itself (runner pool, leases).
        def setup_death_penalty(self) -> None:
            pass

        def cancel_death_penalty(self) -> None:
            pass

    class InlineWorker(SimpleWorker):
        death_penalty_class = NoTimeLimit
        ran = 0

        def _install_signal_handlers(self) -> None:
            pass  # SIGINT/SIGTERM belong to the calling process (pytest, the server), not to us

        def subscribe(self) -> None:
            pass  # no pub/sub thread: nobody sends commands to a worker that lives for one call

        def unsubscribe(self) -> None:
            pass

        def execute_job(self, job: Job, queue: Queue) -> None:
            super().execute_job(job, queue)
            self.ran += 1

    return InlineWorker
