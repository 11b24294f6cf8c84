"""Run events: stored with a per-run sequence number first, published to `run.<id>` after.

Storing before publishing means nothing depends on the channel layer being lossless: a
browser that reconnects replays the rows it missed (`?after=<seq>`).
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime
import functools
import logging
import threading
from collections.abc import Iterator
from typing import Any, NamedTuple

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

from engine import redaction
from engine.execution import jsontext
from engine.execution.rows import db, raw, stamp
from engine.execution.rows import now as rows_now
from engine.models import PlaybookRun, RunEvent

log = logging.getLogger(__name__)
PUBLISH_TIMEOUT_S = 5.0


def group_name(run_id: int) -> str:
    return f"run.{run_id}"


def container_group(container_id: int) -> str:
    return f"container.{container_id}"


_CONTAINER_KINDS = frozenset({"run.started", "run.finished"})


class Stored(NamedTuple):
    """A stored event as published (a RunEvent row without the model around it: runs
    store dozens per step, and a model instance, or a frozen dataclass, costs more than
    the row's INSERT)."""

    run_id: int
    seq: int
    kind: str
    payload: dict[str, Any]
    created: datetime.datetime


def store(run_id: int, events: list[tuple[str, dict[str, Any]]]) -> list[Stored]:
    """Store events in order with consecutive sequence numbers; publish them on commit.

    The sequence block is allocated with one UPDATE of the run row, which holds that row's
    lock until commit, so two writers can never take the same numbers. The rows go in with
    one multi-row INSERT: a step stores a dozen events, thousands of steps a second.
    """
    if not events:
        return []
    together = getattr(_batch, "pending", None)
    if together is not None:
        together.append((run_id, list(events)))
        return []
    if not db().in_atomic_block:
        with transaction.atomic():
            return _write({run_id: events})
    return _write({run_id: events})


_batch = threading.local()


@contextlib.contextmanager
def stored_together() -> Iterator[list[tuple[int, list[tuple[str, dict[str, Any]]]]]]:
    """Collect this thread's `store()` calls and store them when the block ends, in the
    caller's transaction: one sequence allocation per run and one INSERT for all (a batch
    worker's steps store a few events each). A caller that rolls back part of its work
    drops the entries that part added (the yielded list). Nothing is returned to the
    collected `store()` calls: the engine does not use their rows."""
    pending: list[tuple[int, list[tuple[str, dict[str, Any]]]]] = []
    _batch.pending = pending
    # The batch's steps write notes and results too: all of it is redacted with one read
    # of the asset secrets.
    with redaction.for_batch():
        try:
            yield pending
        finally:
            _batch.pending = None
        by_run: dict[int, list[tuple[str, dict[str, Any]]]] = {}
        for run_id, events in pending:
            by_run.setdefault(run_id, []).extend(events)
        if by_run:
            _write(by_run)


def _write(by_run: dict[int, list[tuple[str, dict[str, Any]]]]) -> list[Stored]:
    """Number each run's events, insert them all in one statement and publish each run's
    on commit (in the current transaction). Every event, debug lines included, is stored
    and published with asset secrets masked (engine.redaction)."""
    now = rows_now()
    mask = redaction.current().value
    stored: list[Stored] = []
    for run_id, events in by_run.items():
        last = _allocate(run_id, len(events))
        first = last - len(events) + 1
        rows = [Stored(run_id, first + i, kind, mask(payload), now) for i, (kind, payload) in enumerate(events)]
        stored += rows
        transaction.on_commit(functools.partial(publish, run_id, rows))
    _insert(stored)
    return stored


def _insert(rows: list[Stored]) -> None:
    conn = db()
    table = conn.ops.quote_name(RunEvent._meta.db_table)
    columns = ", ".join(conn.ops.quote_name(c) for c in ("run_id", "seq", "kind", "payload", "created"))
    payload = RunEvent._meta.get_field("payload")
    encoder = getattr(payload, "encoder", None)
    created = stamp(rows[0].created, conn)  # one timestamp per batch
    params: list[Any] = []
    # What JSONField.get_db_prep_save does with a dict, without the field machinery.
    encode = jsontext.adapter(conn, encoder)
    for row in rows:
        params.extend((row.run_id, row.seq, row.kind, encode(row.payload), created))
    # SQLite allows 32,766 parameters per statement; 5 per row, so chunk well below that.
    per = 1000
    with raw(conn) as cursor:
        for start in range(0, len(rows), per):
            chunk = rows[start:start + per]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params[start * 5:(start + len(chunk)) * 5])


def _allocate(run_id: int, count: int) -> int:
    """Add `count` to the run's event_seq and return the new value, in one statement
    (UPDATE … RETURNING: SQLite ≥ 3.35 and PostgreSQL both have it)."""
    table = PlaybookRun._meta.db_table
    with raw() as cursor:
        cursor.execute(f'UPDATE "{table}" SET "event_seq" = "event_seq" + %s WHERE "id" = %s RETURNING "event_seq"',
                       [count, run_id])
        row = cursor.fetchone()
    if row is None:
        raise PlaybookRun.DoesNotExist(f"no run {run_id}")
    return int(row[0])


def emit(run_id: int, kind: str, payload: dict[str, Any]) -> Stored:
    return store(run_id, [(kind, payload)])[0]


def as_message(event: RunEvent | Stored) -> dict[str, Any]:
    return {"seq": event.seq, "kind": event.kind, "payload": event.payload,
            "created": event.created.isoformat() if event.created else None}


_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()
_server_loop: asyncio.AbstractEventLoop | None = None


def use_loop(loop: asyncio.AbstractEventLoop) -> None:
    """The server's event loop, which owns the in-memory channel layer's queues: events
    published from worker threads are handed to it (set when the embedded worker starts)."""
    global _server_loop
    _server_loop = loop


def _publisher_loop() -> asyncio.AbstractEventLoop:
    """One long-lived event loop (in a daemon thread) for publishing from sync code: a new
    loop per publish (async_to_sync) costs milliseconds and, with Redis, a new connection."""
    global _loop
    with _loop_lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="event-publisher", daemon=True).start()
            _loop = loop
        return _loop


def _send(layer: Any, group: str, message: dict[str, Any]) -> None:
    if isinstance(layer, InMemoryChannelLayer):
        # In-memory groups live in this process: nobody subscribed, nothing to deliver.
        if group not in layer.groups:
            return
        server = _server_loop
        if server is not None and not server.is_closed():
            # Handed over in order and not awaited: coroutines scheduled on one loop start
            # in the order they were scheduled, and group_send never yields before queueing.
            asyncio.run_coroutine_threadsafe(layer.group_send(group, message), server)
            return
        # No registered server loop (tests driving a communicator): asgiref routes this to
        # the loop that called into the current thread.
        async_to_sync(layer.group_send)(group, message)
        return
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), _publisher_loop())
    future.result(timeout=PUBLISH_TIMEOUT_S)


def publish(run_id: int, events: list[Stored]) -> None:
    layer = get_channel_layer()
    if layer is None or not events:
        return
    run_group = group_name(run_id)
    if isinstance(layer, InMemoryChannelLayer):
        # Its groups live in this process: build no message nobody here listens for.
        to_run = run_group in layer.groups
        to_containers = any(g.startswith("container.") for g in list(layer.groups))
    else:
        to_run = to_containers = True
    try:
        if to_run:
            _send(layer, run_group, {"type": "run.events", "run_id": run_id,
                                     "events": [as_message(e) for e in events]})
        if not to_containers:
            return
        container_id = None
        for event in events:
            if event.kind in _CONTAINER_KINDS:
                if container_id is None:
                    container_id = PlaybookRun.objects.values_list("container_id", flat=True).get(pk=run_id)
                _send(layer, container_group(container_id), {
                    "type": "container.run", "run_id": run_id, "kind": event.kind, "payload": event.payload})
    except Exception:  # a lost live message is recovered from the stored rows
        log.warning("could not publish %d events of run %s", len(events), run_id, exc_info=True)
