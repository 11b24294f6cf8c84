"""`manage.py engine_rqworker`: a worker of the Redis broker backend (SOAR_TASK_BACKEND=rq).

It takes django-tasks-rq's jobs (rq's `--job-class django_tasks_rq.Job`) from the engine's
queues and runs them one at a time in this process, moves jobs whose run_after has come
to their queue (rq's scheduler), calls engine.execution.recovery.sweep() at start and
every SOAR_LEASE_S / 3 seconds, and keeps the runner pool (engine.runner) started.

Start one per core on each machine, with the same DATABASE_URL, REDIS_URL / SOAR_RQ_URL
and SOAR_TASK_BACKEND=rq as the server. SIGTERM or Ctrl-C finishes the current job first.

Unlike `rq worker`, it forks nothing:
- jobs run in this process (rq's SimpleWorker), not in a process forked per job: the
  runner pool, the lease keeper and the database connection are this process's, and a
  fork per job would cost more than the job;
- rq's scheduler runs as a thread here instead of a forked process: a fork taken while the
  lease keeper or the sweep hold a database connection hands the child a copy of it, and a
  scheduler process outlives a worker killed with SIGKILL, keeping its lock and pipes.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connections
from django_tasks_rq import Job
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import SimpleWorker
from rq.job import Job as RQJob
from rq.queue import Queue
from rq.scheduler import RQScheduler

from engine import runner
from engine.execution import brokers, recovery

log = logging.getLogger(__name__)


class EngineRQWorker(SimpleWorker):
    """rq's in-process worker; each job starts and ends on a sound database connection."""

    def execute_job(self, job: RQJob, queue: Queue) -> None:
        # What Django does around a request: drop a connection that broke or aged out, so
        # one lost connection fails one job rather than every job after it.
        close_old_connections()
        try:
            super().execute_job(job, queue)
        finally:
            close_old_connections()

    def unsubscribe(self) -> None:
        # rq 3.0 unsubscribes first, then stops its pub/sub thread; once unsubscribed, that
        # thread waits up to 60 s for a new subscription before it looks at its stop flag,
        # and redis-py 8.2's stop() waits for it: every worker took a minute to exit.
        # Setting the flag first lets the unsubscribe reply end the thread's wait.
        if self.pubsub_thread is not None:
            self.pubsub_thread.stop(timeout=0)
            self.pubsub.unsubscribe()
            self.pubsub_thread.join(timeout=1)


def every(interval: float, stop: threading.Event, action: Callable[[], object], name: str) -> threading.Thread:
    """Run `action` now and then every `interval` seconds until `stop`, in a daemon thread
    that logs failures and carries on, and holds no database connection between turns."""

    def loop() -> None:
        while not stop.is_set():
            try:
                action()
            except Exception:
                log.exception("%s failed", name)
            finally:
                connections.close_all()  # this thread's connections only
            stop.wait(interval)

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return thread


class Scheduler:
    """rq's scheduler, driven from a thread: the worker holding a queue's lock moves that
    queue's due jobs (run_after) to it every second; the others try to take the locks over
    as rq's own scheduler process does (after rq's fallback period)."""

    def __init__(self, queues: list[Queue]) -> None:
        self.rq = RQScheduler(queues, connection=queues[0].connection, logging_level=logging.WARNING)

    def start(self) -> None:
        self.rq.acquire_locks()
        self.rq.register_birth()

    def turn(self) -> None:
        if self.rq.should_reacquire_locks:
            self.rq.acquire_locks()
        self.rq.heartbeat()
        self.rq.enqueue_scheduled_jobs()

    def stop(self) -> None:
        self.rq.stop()  # releases the locks and unregisters


class Command(BaseCommand):
    help = ("Run an rq worker on the engine's queues (SOAR_TASK_BACKEND=rq), with rq's scheduler, the "
            "recovery sweep and the runner pool; one per core.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("queues", nargs="*", help="queues to take jobs from (default: all of the engine's)")
        parser.add_argument("--burst", action="store_true", help="run what is ready, then exit")
        parser.add_argument("--max-jobs", type=int, default=None, help="exit after this many jobs")
        parser.add_argument("--name", default=None, help="the worker's name in rq (default: a random one)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not brokers.using_rq():
            raise CommandError("engine_rqworker needs SOAR_TASK_BACKEND=rq (the default backend is django-tasks-db: "
                               "use `manage.py db_worker`)")
        names = options["queues"] or brokers.queue_names()
        unknown = sorted(set(names) - set(brokers.queue_names()))
        if unknown:
            raise CommandError(f"unknown queue(s) {', '.join(unknown)}: the engine's are {', '.join(brokers.queue_names())}")
        level = {0: "WARNING", 1: "INFO"}.get(options["verbosity"], "DEBUG")
        queues = [queue for queue in brokers.engine_queues() if queue.name in names]
        worker = EngineRQWorker(queues, connection=queues[0].connection, job_class=Job, name=options["name"])
        scheduler = Scheduler(queues)
        stop = threading.Event()
        threads: list[threading.Thread] = []
        try:
            scheduler.start()
            runner.start()
            if options["burst"]:
                # One turn each, in this thread, before the queues are drained.
                recovery.sweep()
                scheduler.turn()
            else:
                threads = [every(settings.SOAR_LEASE_S / 3, stop, recovery.sweep, "recovery-sweep"),
                           every(scheduler.rq.interval, stop, scheduler.turn, "rq-scheduler")]
            worker.work(burst=options["burst"], max_jobs=options["max_jobs"], logging_level=level)
        except RedisConnectionError as exc:
            raise CommandError(f"Redis at {settings.SOAR_RQ_URL} does not answer: {exc}") from exc
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
            runner.stop()
            try:
                scheduler.stop()
            except RedisConnectionError:
                pass  # its locks expire by themselves
