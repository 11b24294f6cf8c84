"""The task queue's hot path: django-tasks-db's table, written and claimed with plain SQL.

Every step of a run is still one django-tasks-db task row (READY → RUNNING → SUCCESSFUL or
FAILED), so `prune_db_task_results`, the admin and django-tasks-db's own `db_worker` keep
working on these rows. What this module changes is the cost of each transition:

- enqueueing inserts the rows in the transaction that created the steps (one statement
  for all of them), so a step and its task commit together or not at all;
- a claim is one `UPDATE … WHERE id IN (SELECT … [FOR UPDATE SKIP LOCKED] LIMIT n)
  RETURNING`, a compare-and-set on the status: a row is handed to exactly one claimer;
- finishing a step's task is one UPDATE inside the step's own transaction.

The ORM equivalents cost about a millisecond each (query building, `save()`, three
transactions per step); at thousands of steps a second that was most of the engine.
"""
from __future__ import annotations

import contextlib
import datetime
import os
import threading
import time
import traceback as tb
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django_tasks_db.models import DBTaskResult, get_date_max

from engine.execution import jsontext
from engine.execution.rows import db, raw, stamp
from engine.execution.rows import now as _now

TASK_PATH = "engine.execution.tasks.execute_step_task"
BACKEND = "default"
QUEUE = "default"

_COLUMNS = ("id", "status", "enqueued_at", "started_at", "finished_at", "args_kwargs", "priority", "task_path",
            "worker_ids", "queue_name", "backend_name", "run_after", "return_value", "exception_class_path",
            "traceback")


def _table(conn: BaseDatabaseWrapper) -> str:
    return conn.ops.quote_name(DBTaskResult._meta.db_table)


# The conversions the ORM applies to this table's columns (UUIDField, DateTimeField,
# JSONField without an encoder), done directly: `get_db_prep_save` per value was a
# noticeable share of a step.
_HEX_DIGITS = frozenset("0123456789abcdef")


def _uuid(conn: BaseDatabaseWrapper, value: uuid.UUID | str) -> Any:
    """A task id as the id column's parameter. Without a native UUID type (SQLite) the
    ids the engine itself writes and reads back, canonical text, need no `uuid.UUID`
    round trip (two per task and batch)."""
    if isinstance(value, str) and not conn.features.has_native_uuid_field:
        text = value
        if len(text) == 36 and text[8] == text[13] == text[18] == text[23] == "-":
            text = text.replace("-", "")
        if len(text) == 32 and _HEX_DIGITS.issuperset(text):
            return text
    value = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    return value if conn.features.has_native_uuid_field else value.hex


_random = threading.local()
# A forked child must not hand out the ids left in its parent's pool.
os.register_at_fork(after_in_child=lambda: _random.__dict__.clear())


def new_task_id() -> str:
    """A new task id: a version-7 UUID (RFC 9562) in canonical text, the time in
    milliseconds followed by 74 random bits (see `_new_id`)."""
    return _new_id()[0]


def _new_id() -> tuple[str, str]:
    """A new task id as canonical text and as the 32 hex digits SQLite stores.

    Ids that grow with time land at the end of the task table's primary-key index, so a
    batch that enqueues dozens of tasks writes one or two of its pages instead of one
    random page per task (random version-4 ids made that index most of what a commit
    wrote). The random bits come from `os.urandom`, read a page at a time."""
    pool: bytes = getattr(_random, "pool", b"")
    if len(pool) < 10:
        pool = os.urandom(4090)
    raw_id = bytearray((time.time_ns() // 1_000_000).to_bytes(6, "big") + pool[:10])
    _random.pool = pool[10:]
    raw_id[6] = (raw_id[6] & 0x0F) | 0x70  # version 7
    raw_id[8] = (raw_id[8] & 0x3F) | 0x80  # RFC 9562 variant
    h = raw_id.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}", h


_NEVER: dict[tuple[str, Any], Any] = {}


def _never(conn: BaseDatabaseWrapper) -> Any:
    """`run_after` of a task that may run at once (django-tasks-db's maximum date), as the
    connection's parameter: the same value for every task, made once."""
    key = (conn.vendor, conn.timezone)
    found = _NEVER.get(key)
    if found is None:
        found = _NEVER[key] = stamp(get_date_max(), conn)
    return found


def _json_value(conn: BaseDatabaseWrapper, value: Any) -> Any:
    return None if value is None else jsontext.adapt(conn, value)


class Claimed(NamedTuple):
    """A claimed task row: enough to execute it without loading the model (a named tuple:
    a batch makes dozens, and a frozen dataclass is slow to build)."""

    id: str
    task_path: str
    args: list[Any]
    kwargs: dict[str, Any]
    # Enqueued in the batch's own open transaction and taken by that batch (see `Chain`):
    # never visible as READY to anyone, so no claim is written; its start time and worker
    # are written with its outcome.
    chained: bool = False


def insert(step_ids: Iterable[tuple[int, datetime.datetime | None]]) -> list[str]:
    """Insert one READY task per (step id, not before) in the current transaction;
    returns their ids in the same order."""
    conn = db()
    now = stamp(_now(), conn)
    never = _never(conn)
    no_workers = _json_value(conn, [])
    ids = []
    rows = []
    native = conn.features.has_native_uuid_field
    for step_id, not_before in step_ids:
        task_id, hex_id = _new_id()
        ids.append(task_id)
        rows.append((uuid.UUID(hex_id) if native else hex_id, "READY", now, None, None,
                     _json_value(conn, {"args": [step_id], "kwargs": {}}), 0, TASK_PATH, no_workers, QUEUE, BACKEND,
                     stamp(not_before, conn) if not_before is not None else never, None, "", ""))
    if not rows:
        return ids
    sql = _INSERT_SQL.get(conn.vendor)
    if sql is None:
        columns = ", ".join(conn.ops.quote_name(c) for c in _COLUMNS)
        marks = ", ".join(["%s"] * len(_COLUMNS))
        sql = _INSERT_SQL[conn.vendor] = f"INSERT INTO {_table(conn)} ({columns}) VALUES ({marks})"
    with raw(conn) as cursor:
        if len(rows) == 1:
            cursor.execute(sql, rows[0])
        else:
            cursor.executemany(sql, rows)
    return ids


_INSERT_SQL: dict[str, str] = {}


def claim(worker_id: str, limit: int = 1, queues: Iterable[str] = (QUEUE,), backend: str = BACKEND) -> list[Claimed]:
    """Claim up to `limit` ready tasks, best first, in one statement (autocommit)."""
    conn = db()
    queues = list(queues)
    now = _now()
    skip_locked = " FOR UPDATE SKIP LOCKED" if conn.features.has_select_for_update_skip_locked else ""
    queue_filter = "" if "*" in queues else f' AND "queue_name" IN ({", ".join(["%s"] * len(queues))})'
    sql = (
        f'UPDATE {_table(conn)} SET "status" = %s, "started_at" = %s, "worker_ids" = %s WHERE "id" IN ('
        f'SELECT "id" FROM {_table(conn)} WHERE "status" = \'READY\' AND "backend_name" = %s{queue_filter}'
        f' AND ("run_after" = %s OR "run_after" <= %s)'
        f' ORDER BY "priority" DESC, "run_after" ASC, "enqueued_at" ASC LIMIT %s{skip_locked})'
        f' RETURNING "id", "task_path", "args_kwargs", "priority", "run_after", "enqueued_at"'
    )
    params = ["RUNNING", stamp(now, conn), _json_value(conn, [worker_id]), backend,
              *([] if "*" in queues else queues), _never(conn), stamp(now, conn), limit]
    with raw(conn) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # RETURNING gives no order; execute in the order the queue would have handed them out.
    rows.sort(key=lambda r: (-r[3], str(r[4]), str(r[5])))
    out = []
    for row in rows:
        args_kwargs = jsontext.column(row[2]) or {}
        out.append(Claimed(id=str(row[0]), task_path=row[1], args=list(args_kwargs.get("args") or []),
                           kwargs=dict(args_kwargs.get("kwargs") or {})))
    return out


_batch = threading.local()


@contextlib.contextmanager
def finishing_together() -> Iterator[list[tuple[str, Any]]]:
    """Collect `finish()` calls made in this thread and write them as one UPDATE per
    return value when the block ends (inside the caller's transaction): a batch worker
    finishes a dozen tasks per commit. A caller that rolls back part of its work drops
    the entries that part added (the yielded list)."""
    finished: list[tuple[str, Any]] = []
    _batch.finished = finished
    try:
        yield finished
    finally:
        _batch.finished = None
    chain: Chain | None = getattr(_chain, "current", None)
    taken = chain.taken if chain is not None else set()
    by_value: dict[tuple[str, bool], tuple[Any, list[str]]] = {}
    for task_id, value in finished:
        by_value.setdefault((jsontext.dumps(value), task_id in taken), (value, []))[1].append(task_id)
    for (_, chained), (value, ids) in by_value.items():
        _mark_successful(ids, value, chain.worker_id if chained and chain is not None else None)


def _mark_successful(task_ids: list[str], value: Any, chained_by: str | None = None) -> None:
    """Mark tasks successful; `chained_by`: tasks a batch took without a claim, whose
    start (their enqueue, which the batch followed at once) and worker are written now."""
    conn = db()
    claim = ""
    extra: list[Any] = []
    if chained_by is not None:
        claim = '"started_at" = "enqueued_at", "worker_ids" = %s, '
        extra = [_json_value(conn, [chained_by])]
    with raw(conn) as cursor:
        cursor.execute(
            f'UPDATE {_table(conn)} SET {claim}"status" = %s, "finished_at" = %s, "return_value" = %s, '
            f'"exception_class_path" = %s, "traceback" = %s WHERE "id" IN ({", ".join(["%s"] * len(task_ids))})',
            [*extra, "SUCCESSFUL", stamp(_now(), conn), _json_value(conn, value), "", "",
             *(_uuid(conn, i) for i in task_ids)],
        )


def finish(task_id: str, value: Any) -> None:
    """Mark a claimed task successful (call it inside the transaction that did its work)."""
    finished = getattr(_batch, "finished", None)
    if finished is not None:
        finished.append((task_id, value))
    else:
        _mark_successful([task_id], value)


class Chain:
    """Follow-on steps a batch runs itself instead of committing and claiming them back.

    A step that finishes inside a batch usually enqueues the next steps of its own run (a
    simulated action's callback, the next block, on_finish). Their task rows are inserted
    in the batch's open transaction, where no other worker can see them, so the batch may
    execute them next: one claim and one commit for a whole chain instead of one per step,
    and a run served by the simulator finishes in one transaction.

    Only the enqueuing step's own run is followed (on PostgreSQL this transaction already
    holds that run's row, so no second lock order appears), only steps that finish inside
    the transaction (code steps, simulated actions: the batch sends anything slower back
    to the queue), and at most `budget` of them per batch; the rest commit as READY."""

    FOLLOWED_KINDS = frozenset({"start", "callback", "finish", "action"})

    def __init__(self, worker_id: str, budget: int) -> None:
        self.worker_id = worker_id
        self.budget = budget
        self.run_id: int | None = None  # the run of the step being executed
        self.offered: list[Claimed] = []
        self.taken: set[str] = set()  # ids of the tasks it followed

    def next_task(self) -> None:
        self.run_id = None
        self.offered.clear()

    def take(self) -> list[Claimed]:
        """The offers of the step just finished that fit the budget (clears the offers)."""
        room = max(0, self.budget - len(self.taken))
        chosen, self.offered = self.offered[:room], []
        self.taken.update(task.id for task in chosen)
        return chosen


_chain = threading.local()


@contextlib.contextmanager
def chaining(worker_id: str, budget: int) -> Iterator[Chain]:
    """Collect, for the batch in this thread, the tasks its steps enqueue that it may follow."""
    chain = Chain(worker_id, budget)
    _chain.current = chain if budget > 0 else None
    try:
        yield chain
    finally:
        _chain.current = None


def following(run_id: int) -> None:
    """Tell the batch in this thread (if any) which run the step it executes belongs to;
    call it once the transaction holds that run."""
    chain: Chain | None = getattr(_chain, "current", None)
    if chain is not None:
        chain.run_id = run_id


def offer(task_ids: list[str], steps: list[tuple[int, int, str, datetime.datetime | None]]) -> None:
    """Offer just-enqueued tasks (step id, run id, kind, not before) to the batch running
    in this thread, if any: those of the run it is executing, ready now, of a followed kind."""
    chain: Chain | None = getattr(_chain, "current", None)
    if chain is None or chain.run_id is None:
        return
    for task_id, (step_id, step_run, kind, not_before) in zip(task_ids, steps, strict=True):
        if step_run == chain.run_id and not_before is None and kind in Chain.FOLLOWED_KINDS:
            chain.offered.append(Claimed(id=task_id, task_path=TASK_PATH, args=[step_id], kwargs={}, chained=True))


def fail(task_id: str, exc: BaseException) -> None:
    """Mark a claimed task failed with the exception's traceback (its own transaction)."""
    conn = db()
    with raw(conn) as cursor:
        cursor.execute(
            # A chained task (never claimed) has no start time of its own.
            f'UPDATE {_table(conn)} SET "status" = %s, "started_at" = COALESCE("started_at", "enqueued_at"), '
            f'"finished_at" = %s, "return_value" = NULL, '
            f'"exception_class_path" = %s, "traceback" = %s WHERE "id" = %s',
            ["FAILED", stamp(_now(), conn), f"{type(exc).__module__}.{type(exc).__qualname__}",
             "".join(tb.format_exception(exc)), _uuid(conn, task_id)],
        )


# SQLite has one writer at a time. Threads of one process that all BEGIN IMMEDIATE wait in
# SQLite's busy handler, which sleeps 1, 2, 5, 10 … ms between tries; queueing them on a
# Python lock instead hands the database over the moment it is free. PostgreSQL has row
# locks and needs none of this.
_sqlite_writer = threading.RLock()


class write_transaction:  # noqa: N801 - used like the function it replaced
    """`transaction.atomic()`, serialised per process on SQLite.

    Inside the caller's transaction it is part of that transaction, which an error
    leaving this block rolls back (or the caller's savepoint does): no savepoint of its
    own, which would cost two more statements, and no nested atomic, which costs
    bookkeeping on every step. A class, not a generator: it is entered several times per
    step."""

    __slots__ = ("_atomic", "_locked")

    def __enter__(self) -> None:
        conn = db()
        self._atomic: Any = None
        self._locked = False
        if conn.in_atomic_block:
            return
        if conn.vendor == "sqlite":
            _sqlite_writer.acquire()
            self._locked = True
        try:
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
        except BaseException:
            if self._locked:
                _sqlite_writer.release()
            raise

    def __exit__(self, *exc: Any) -> None:
        try:
            if self._atomic is not None:
                self._atomic.__exit__(*exc)
        finally:
            if self._locked:
                _sqlite_writer.release()


class sqlite_writer:  # noqa: N801 - used like the function it replaced
    """Hold this process's SQLite write turn around autocommit writes (no-op elsewhere)."""

    __slots__ = ("_locked",)

    def __enter__(self) -> None:
        conn = db()
        self._locked = conn.vendor == "sqlite" and not conn.in_atomic_block
        if self._locked:
            _sqlite_writer.acquire()

    def __exit__(self, *exc: Any) -> None:
        if self._locked:
            _sqlite_writer.release()
