"""Running queued tasks: inline (`drain`), in worker threads of the server process
(embedded), or in `manage.py db_worker` processes anywhere; all claim the same way.

The embedded worker is plain threads: each claims a batch of tasks (`queue.claim`, a
compare-and-set in one statement) and executes it (`run_batch`), and sleeps on an event
when the queue is empty (`wake()` after an enqueue cuts the sleep short). Events they
publish to the in-memory channel layer are handed to the server's event loop
(`events.use_loop`).
"""
from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import logging
import threading
import time
from collections import deque
from queue import Empty, SimpleQueue
from typing import Any

from django.db import InterfaceError, OperationalError, close_old_connections, connection, transaction
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from engine import events
from engine.execution import actions, queue, readcache, rows
from engine.execution.enqueue import wake, work_ready
from engine.execution.loader import install_phantom
from engine.execution.outcomes import abandon_step, claim_now
from engine.execution.queue import Claimed
from engine.execution.steps import begin_step, continue_step
from engine.execution.tasks import WORKER_ID
from engine.models import RunStep

log = logging.getLogger(__name__)

_started = threading.Lock()
_running = False


def _continue(task: Claimed, step: RunStep, worker_id: str) -> None:
    try:
        continue_step(step, worker_id, task.id)
    except BaseException as exc:
        _record_failure(task, exc)
        if not isinstance(exc, Exception):
            raise


def _record_failure(task: Claimed, exc: BaseException) -> None:
    log.error("task %s (step %s) failed", task.id, task.args[:1], exc_info=exc)
    try:
        with queue.write_transaction():
            queue.fail(task.id, exc)
            abandon_step(int(task.args[0]), f"the engine failed executing this step: {type(exc).__name__}: {exc}")
    except Exception:
        log.exception("could not record the failure of task %s", task.id)


# Claimed steps whose slow part (an action's connector call, a custom function) is still to
# run; any worker thread of this process takes them before claiming more.
_later: SimpleQueue[tuple[Claimed, RunStep | None]] = SimpleQueue()


# A batch claims up to BATCH tasks and follows up to FOLLOW steps they enqueue for their own
# runs: at most 64 steps under one commit (tens of milliseconds of simulated runs), for
# events that reach the browser at most that much later. Claiming fewer and following more
# finishes the runs a batch starts instead of leaving their later steps to the queue: a
# followed step is handed over from memory, a claimed one is read back (readcache).
BATCH = 8
FOLLOW = 56


_UNGUARDED = contextlib.nullcontext()


class _BackToQueue(Exception):
    """A followed step turned out slow (an action with a real connector): undo taking it,
    so its task commits READY for any worker."""


def run_batch(worker_id: str = WORKER_ID, limit: int = BATCH, defer: bool = False,
              queues: tuple[str, ...] = (queue.QUEUE,), backend: str = queue.BACKEND, follow: int = FOLLOW) -> int:
    """Claim up to `limit` tasks and execute them; returns how many were claimed (steps
    the batch followed come on top).

    The claim and every code step of the batch share one transaction, each step
    in its own savepoint (an engine error in one undoes only that one, which then fails
    its run): a commit is the most expensive statement of a step, and SQLite has one
    writer at a time anyway. Actions the simulator answers finish inside the batch too;
    connector calls and custom functions (which may take long) run after the commit,
    never inside it, and with `defer` go to whichever worker thread is free.
    PostgreSQL takes one task per transaction: a batch would lock several runs' rows in
    whatever order its tasks came, and two such batches could wait on each other.
    Up to `follow` more steps that the batch's steps enqueue for their own runs run in
    the same transaction (`queue.Chain`).

    A batch first runs without a savepoint per step (`_Replay`): two statements and
    Django's savepoint bookkeeping per step were a sixth of a run's cost, and an engine
    error is rare. When one happens, the whole batch rolls back (its claims too, so its
    tasks are READY again) and runs again at once with a savepoint per step, where the
    error undoes and fails only its own step. Playbook code of the steps before the
    error runs twice then, as after a worker crash; none of it had reached the database
    or any connector (connector calls and custom functions run after the commit).
    """
    try:
        return _run_batch(worker_id, limit, defer, queues, backend, follow, isolate=False)
    except _Replay:
        return _run_batch(worker_id, limit, defer, queues, backend, follow, isolate=True)


class _Replay(Exception):
    """A step of a batch run without savepoints failed: roll the whole batch back."""


class _BrokenTransaction(Exception):
    """A database error inside a step was caught (by playbook code, say) but left the
    transaction unusable (`needs_rollback`): the step must fail, not commit half done."""


def _run_batch(worker_id: str, limit: int, defer: bool, queues: tuple[str, ...], backend: str, follow: int,
               isolate: bool) -> int:
    if connection.vendor != "sqlite":
        limit = 1
    later: list[tuple[Claimed, RunStep | None]] = []
    try:
        with rows.bound_connection() as conn, queue.write_transaction(), readcache.batch_reads(conn), \
                queue.chaining(worker_id, follow) as chain, queue.finishing_together() as finished, \
                events.stored_together() as stored:
            tasks = queue.claim(worker_id, limit, queues, backend)
            work = deque(tasks)
            while work:
                task = work.popleft()
                if task.task_path != queue.TASK_PATH:
                    later.append((task, None))
                    continue
                mark, stored_mark = len(finished), len(stored)
                chain.next_task()
                try:
                    with transaction.atomic() if isolate else _UNGUARDED:
                        begun = begin_step(int(task.args[0]), worker_id, task.id, lazy=True)
                        if not isinstance(begun, str) and begun.kind == "action":
                            # Simulated actions take milliseconds: finish them here too.
                            prepared = actions.prepare(begun)
                            if prepared.simulated_only(begun.run):
                                begun = actions.run_action_step(begun, worker_id, task.id, prepared)
                            elif task.chained:
                                # Nothing is written before this point (the claim is lazy,
                                # prepare only reads), so no savepoint is needed to undo it.
                                raise _BackToQueue
                        if not isinstance(begun, str):
                            claim_now(begun)  # its slow part runs after the commit
                        if conn.needs_rollback:
                            raise _BrokenTransaction("a database error inside this step left its transaction unusable")
                except _BackToQueue:
                    del finished[mark:], stored[stored_mark:]
                    chain.taken.discard(task.id)
                    continue
                except Exception as exc:
                    if not isolate:
                        raise _Replay from exc
                    # Rolled back with the step's savepoint (and so are the steps it enqueued).
                    del finished[mark:], stored[stored_mark:]
                    with transaction.atomic():
                        _record_failure(task, exc)
                    continue
                if not isinstance(begun, str):
                    later.append((task, begun))
                work.extend(chain.take())
    except (OperationalError, InterfaceError) as exc:
        if isinstance(exc, OperationalError) and is_locked_database_exception(exc):
            return 0
        # A connection the database dropped: start over with a new one next time.
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        raise
    for item in later:
        if defer:
            _later.put(item)
            wake()
            _nudge()
        else:
            _run_later(*item, worker_id)
    return len(tasks)


def _run_later(task: Claimed, step: RunStep | None, worker_id: str) -> None:
    if step is None:
        _run_foreign(task)
    else:
        _continue(task, step, worker_id)


def _run_foreign(task: Claimed) -> None:
    """A task some other code enqueued on our queue: run it the way django-tasks-db does."""
    db_result = DBTaskResult.objects.get(pk=task.id)
    try:
        value = db_result.task.call(*task.args, **task.kwargs)
        db_result.set_successful(value)
    except BaseException as exc:
        log.exception("task %s failed", task.id)
        db_result.set_failed(exc)


def drain(max_tasks: int = 100_000, until: Any = None, idle_timeout: float = 30.0) -> int:
    """Run ready tasks in this thread until none is left (or `until()` is true).

    With `until`, wait up to `idle_timeout` seconds for deferred tasks to become ready,
    and execute one task at a time so nothing runs after `until()` became true."""
    done = 0
    idle_since = None
    while done < max_tasks:
        if until is not None and until():
            break
        claimed = run_batch(limit=BATCH if until is None else 1, follow=FOLLOW if until is None else 0)
        if not claimed:
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
        done += claimed
    return done


# On SQLite one thread of the process claims at a time and keeps that role while there is
# work: SQLite has one writer anyway, and threads taking turns only traded a warm
# connection (its page cache, which every other connection's commit invalidates) for a
# lock handoff per batch, about a tenth of the throughput. The other threads run the slow
# parts batches defer (connector calls, custom functions) and take the role over when it
# is free. On PostgreSQL every thread claims.
_claiming = threading.Lock()
_changed = threading.Condition()  # a deferred step was queued, or the claiming role came free


def _nudge() -> None:
    with _changed:
        _changed.notify()


def _release_claiming() -> None:
    _claiming.release()
    _nudge()


def work_forever(worker_id: str = WORKER_ID, idle_wait: float = 0.5, stop: threading.Event | None = None,
                 batch: int = BATCH) -> None:
    """One worker thread: claim, execute, repeat; wait for `wake()` (or `idle_wait`) when idle."""
    one_claimer = connection.vendor == "sqlite"
    claiming = False
    try:
        while stop is None or not stop.is_set():
            try:
                item = _later.get_nowait()
            except Empty:
                item = None
            if item is not None:
                if claiming:  # a slow part: let another thread claim meanwhile
                    claiming = False
                    _release_claiming()
                _run_later(*item, worker_id)
                continue
            if one_claimer and not claiming:
                if not _claiming.acquire(blocking=False):
                    with _changed:
                        _changed.wait_for(lambda: not _later.empty() or not _claiming.locked()
                                          or (stop is not None and stop.is_set()), timeout=idle_wait)
                    continue
                claiming = True
            try:
                claimed = run_batch(worker_id, batch, defer=True)
            except Exception:
                log.exception("the worker could not claim a task")
                claimed = 0
                time.sleep(idle_wait)
            if not claimed and _later.empty():
                if claiming:
                    claiming = False
                    _release_claiming()
                work_ready.clear()
                # Deferred tasks and tasks other processes enqueue arrive without a wake().
                work_ready.wait(idle_wait)
                try:
                    close_old_connections()
                except Exception:
                    log.exception("the worker could not check its database connection")
    finally:
        if claiming:
            _release_claiming()
        connection.close()


# What a worker executes that its own imports do not load (engine.execution.actions
# imports the connector dispatch inside a function): imported at start-up, so the first
# runs after a start do not pay for it while they hold the database's write lock
# (measured: 7% of a 300-run `make bench`, a one-time cost), and it is frozen with the rest.
_WORKER_MODULES = ("engine.apps.dispatch", "editor.compiler")


def settle_heap() -> None:
    """Import what a worker executes, then move everything loaded so far (Django, apps,
    URL confs, the catalogue, the phantom runtime) out of the garbage collector's view: a
    worker allocates thousands of short-lived objects per run, and each full collection
    otherwise walks that whole start-up heap again."""
    for name in _WORKER_MODULES:
        importlib.import_module(name)
    install_phantom()
    gc.collect()
    gc.freeze()


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
    settle_heap()
    for n in range(threads):
        threading.Thread(target=work_forever, name=f"embedded-worker-{n}", daemon=True).start()
    log.info("embedded worker started with %d threads", threads)
    return True
