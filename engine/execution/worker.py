"""Executing the engine's tasks: in worker threads of the server process (embedded), in
`manage.py db_worker` processes anywhere, inline (`drain`, for tests and commands), or in
rq workers (`manage.py engine_rqworker`, engine.execution.brokers).

django-tasks-db claims and finishes the task rows (its own Worker's code); this module
only changes how an idle worker waits (on a wake-up from this process's enqueues rather
than a fixed sleep) and adds the periodic recovery sweep every engine worker runs.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from engine import events
from engine.execution import brokers, recovery
from engine.execution.dispatch import work_ready
from engine.execution.tasks import WORKER_ID

log = logging.getLogger(__name__)

BACKEND = "default"


class PeriodicSweep:
    """Calls recovery.sweep() at the first call and then at most every third of the lease
    span; a failed sweep is logged, never raised into the worker's loop."""

    def __init__(self) -> None:
        self._swept: float | None = None

    def __call__(self) -> None:
        now = time.monotonic()
        if self._swept is None or now - self._swept >= settings.SOAR_LEASE_S / 3:
            self._swept = now
            try:
                recovery.sweep()
            except Exception:
                log.exception("the recovery sweep failed")


class EngineWorker(Worker):
    """django-tasks-db's worker, waiting for wake-ups and sweeping for dead workers' runs."""

    def __init__(self, *, idle_wait: float = 1.0, stop: threading.Event | None = None, **kwargs: object) -> None:
        defaults: dict[str, object] = {
            "queue_names": ["*"], "interval": idle_wait, "batch": False, "backend_name": BACKEND,
            "startup_delay": False, "max_tasks": None, "worker_id": WORKER_ID, "excluded_queue_names": []}
        defaults.update(kwargs)
        super().__init__(**defaults)  # type: ignore[arg-type]
        self.stop = stop
        self.sweep_now_and_then = PeriodicSweep()

    def run_one(self) -> bool | None:
        """Claim and run one ready task; True if one ran, False if none was ready, None if
        the database was busy."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None
            raise
        if task_result is None:
            return False
        self.run_task(task_result)
        self._run_tasks += 1
        return True

    def run(self) -> None:
        log.info("engine worker %s started", self.worker_id)
        while self.running and not (self.stop is not None and self.stop.is_set()):
            self.sweep_now_and_then()
            try:
                ran = self.run_one()
            except Exception:
                log.exception("worker %s could not claim or run a task", self.worker_id)
                ran = None
            if self.batch and ran is False:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if not ran:
                work_ready.clear()
                # Tasks other processes enqueue (and deferred ones) arrive without a wake-up.
                work_ready.wait(self.interval)
                close_old_connections()
        connection.close()


def drain(max_tasks: int = 100_000, until: Callable[[], bool] | None = None, idle_timeout: float = 30.0) -> int:
    """Run ready tasks in this thread until none is left (or `until()` is true).

    With `until`, wait up to `idle_timeout` seconds for deferred tasks to become ready,
    and execute one task at a time so nothing runs after `until()` became true."""
    worker = EngineWorker()
    done = 0
    idle_since = None
    while done < max_tasks:
        if until is not None and until():
            break
        if brokers.using_rq():
            # Without `until` nothing needs to stop between jobs: one rq worker runs every ready
            # job (setting one up costs several Redis round trips).
            ran_rq = brokers.work_rq_once(max_jobs=1 if until is not None else max_tasks - done)
            ran: bool | None = ran_rq > 0
            done += max(ran_rq - 1, 0)
        else:
            ran = worker.run_one()
        if not ran:
            if until is None and ran is False:
                break
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > idle_timeout:
                break
            time.sleep(0.02)
            continue
        idle_since = None
        done += 1
    return done


_started = threading.Lock()
_running = False


def start_embedded(threads: int) -> bool:
    """Start the embedded worker threads, once per process (call from the server's loop)."""
    global _running
    with _started:
        if _running:
            return False
        _running = True
    try:
        events.use_loop(asyncio.get_running_loop())
    except RuntimeError:
        pass
    rq = brokers.using_rq()
    for n in range(threads):
        target = RQEmbeddedWorker(idle_wait=0.5).run if rq else EngineWorker(worker_id=f"{WORKER_ID}:{n}", idle_wait=0.5).run
        threading.Thread(target=target, name=f"embedded-worker-{n}", daemon=True).start()
    log.info("embedded worker started with %d threads (%s)", threads, "rq" if rq else "django-tasks-db")
    return True


class RQEmbeddedWorker:
    """An embedded worker thread on the Redis broker backend (SOAR_TASK_BACKEND=rq): runs
    ready jobs in this thread (brokers.work_rq_once, which also moves due run_after jobs
    to their queue) and sweeps for dead workers' runs as EngineWorker does."""

    def __init__(self, *, idle_wait: float = 1.0, stop: threading.Event | None = None) -> None:
        self.idle_wait = idle_wait
        self.stop = stop
        self.sweep_now_and_then = PeriodicSweep()

    def run(self) -> None:
        log.info("embedded rq worker %s started", threading.current_thread().name)
        while not (self.stop is not None and self.stop.is_set()):
            self.sweep_now_and_then()
            try:
                ran = brokers.work_rq_once() > 0
            except Exception:  # Redis down or a broken connection: wait and try again
                log.exception("embedded rq worker could not take or run a job")
                ran = False
            if not ran:
                work_ready.clear()
                # Jobs other processes enqueue, and deferred ones, arrive without a wake-up;
                # the rq scheduler inside work_rq_once moves due ones when we look again.
                work_ready.wait(self.idle_wait)
                close_old_connections()
        connection.close()
