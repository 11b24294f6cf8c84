"""Running queued tasks: inline (`drain`), or embedded in the server process.

The embedded worker is an asyncio task on the server's event loop that hands each task to
a thread (`sync_to_async(thread_sensitive=False)`); code in those threads that publishes
to the in-memory channel layer is routed back to the server's loop by asgiref, which is
what lets the embedded mode stream events without Redis. Separate machines use
`manage.py db_worker` from django-tasks-db instead; both claim tasks the same way.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

from asgiref.sync import sync_to_async
from django.db import OperationalError, close_old_connections
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from engine.execution.tasks import WORKER_ID

log = logging.getLogger(__name__)

_loop: asyncio.AbstractEventLoop | None = None
_wakeup: asyncio.Event | None = None
_started = threading.Lock()
_running = False


def claim_next(worker_id: str = WORKER_ID) -> DBTaskResult | None:
    """Claim the next ready task (SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite)."""
    close_old_connections()
    tasks = DBTaskResult.objects.ready()
    try:
        with exclusive_transaction(tasks.db):
            result = tasks.get_locked()
            if result is not None:
                result.claim(worker_id)
            return result
    except OperationalError as exc:
        if is_locked_database_exception(exc):
            return None
        raise


def run_claimed(db_result: DBTaskResult) -> None:
    try:
        task_result = db_result.task_result
        value = db_result.task.call(*task_result.args, **task_result.kwargs)
        db_result.set_successful(value)
    except BaseException as exc:  # the task failed; the worker goes on
        log.exception("task %s failed", db_result.pk)
        db_result.set_failed(exc)
    finally:
        close_old_connections()


def drain(max_tasks: int = 100_000, until: Any = None, idle_timeout: float = 30.0) -> int:
    """Run ready tasks in this thread until none is left (or `until()` is true).

    With `until`, wait up to `idle_timeout` seconds for deferred tasks to become ready."""
    done = 0
    idle_since = None
    while done < max_tasks:
        if until is not None and until():
            break
        claimed = claim_next()
        if claimed is None:
            # Deferred tasks (run_after) become ready later; wait briefly for them only
            # when the caller is waiting for a condition.
            if until is None:
                break
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > idle_timeout:
                break
            time.sleep(0.05)
            continue
        idle_since = None
        run_claimed(claimed)
        done += 1
    return done


def wake() -> None:
    """Tell the embedded worker there is work (called after enqueueing)."""
    loop, event = _loop, _wakeup
    if loop is not None and event is not None and not loop.is_closed():
        loop.call_soon_threadsafe(event.set)


async def _worker_loop(threads: int) -> None:
    global _wakeup
    assert _wakeup is not None
    slots = asyncio.Semaphore(threads)
    claim = sync_to_async(claim_next, thread_sensitive=False)
    run = sync_to_async(run_claimed, thread_sensitive=False)

    async def one(result: DBTaskResult) -> None:
        try:
            await run(result)
        finally:
            slots.release()

    while True:
        await slots.acquire()
        try:
            result = await claim()
        except Exception:
            log.exception("embedded worker could not claim a task")
            result = None
        if result is None:
            slots.release()
            _wakeup.clear()
            try:
                await asyncio.wait_for(_wakeup.wait(), timeout=0.5)
            except TimeoutError:
                pass
            continue
        asyncio.ensure_future(one(result))


def start_embedded(threads: int) -> bool:
    """Start the embedded worker on the running event loop, once per process."""
    global _loop, _wakeup, _running
    with _started:
        if _running:
            return False
        _loop = asyncio.get_running_loop()
        _wakeup = asyncio.Event()
        _running = True
    asyncio.ensure_future(_worker_loop(threads))
    log.info("embedded worker started with %d threads", threads)
    return True
