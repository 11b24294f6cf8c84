"""Run events: stored with a per-run sequence number first, published to `run.<id>` after.

Storing before publishing means nothing depends on the channel layer being lossless: a
browser that reconnects replays the rows it missed (`?after=<seq>`).
"""
from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import connection, transaction
from django.utils import timezone

from engine.models import PlaybookRun, RunEvent

log = logging.getLogger(__name__)
PUBLISH_TIMEOUT_S = 5.0


def group_name(run_id: int) -> str:
    return f"run.{run_id}"


def container_group(container_id: int) -> str:
    return f"container.{container_id}"


_CONTAINER_KINDS = frozenset({"run.started", "run.finished"})


def store(run_id: int, events: list[tuple[str, dict[str, Any]]]) -> list[RunEvent]:
    """Store events in order with consecutive sequence numbers; publish them on commit.

    The sequence block is allocated with one UPDATE of the run row, which holds that row's
    lock until commit, so two writers can never take the same numbers.
    """
    if not events:
        return []
    with transaction.atomic():
        last = _allocate(run_id, len(events))
        first = last - len(events) + 1
        now = timezone.now()
        rows = RunEvent.objects.bulk_create([
            RunEvent(run_id=run_id, seq=first + i, kind=kind, payload=payload, created=now)
            for i, (kind, payload) in enumerate(events)
        ])
        transaction.on_commit(lambda: publish(run_id, rows))
    return rows


def _allocate(run_id: int, count: int) -> int:
    """Add `count` to the run's event_seq and return the new value, in one statement
    (UPDATE … RETURNING: SQLite ≥ 3.35 and PostgreSQL both have it)."""
    table = PlaybookRun._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{table}" SET "event_seq" = "event_seq" + %s WHERE "id" = %s RETURNING "event_seq"',
                       [count, run_id])
        row = cursor.fetchone()
    if row is None:
        raise PlaybookRun.DoesNotExist(f"no run {run_id}")
    return int(row[0])


def emit(run_id: int, kind: str, payload: dict[str, Any]) -> RunEvent:
    return store(run_id, [(kind, payload)])[0]


def as_message(event: RunEvent) -> dict[str, Any]:
    return {"seq": event.seq, "kind": event.kind, "payload": event.payload,
            "created": event.created.isoformat() if event.created else None}


_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


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
    # The in-memory layer's queues belong to the server's event loop, which async_to_sync
    # reaches from the embedded worker's threads; any other layer (Redis) works from any
    # loop, so it gets the long-lived one.
    if isinstance(layer, InMemoryChannelLayer):
        async_to_sync(layer.group_send)(group, message)
        return
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), _publisher_loop())
    future.result(timeout=PUBLISH_TIMEOUT_S)


def publish(run_id: int, events: list[RunEvent]) -> None:
    layer = get_channel_layer()
    if layer is None or not events:
        return
    message = {"type": "run.events", "run_id": run_id, "events": [as_message(e) for e in events]}
    try:
        _send(layer, group_name(run_id), message)
        for event in events:
            if event.kind in _CONTAINER_KINDS:
                container_id = PlaybookRun.objects.values_list("container_id", flat=True).get(pk=run_id)
                _send(layer, container_group(container_id), {
                    "type": "container.run", "run_id": run_id, "kind": event.kind, "payload": event.payload})
    except Exception:  # a lost live message is recovered from the stored rows
        log.warning("could not publish %d events of run %s", len(events), run_id, exc_info=True)
