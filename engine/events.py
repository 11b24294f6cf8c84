"""Run events: stored with a per-run sequence number first, published to `run.<id>` after.

Storing before publishing means nothing depends on the channel layer being lossless: a
browser that reconnects replays the rows it missed (`?after=<seq>`).
"""
from __future__ import annotations

import asyncio
import datetime
import functools
import logging
import threading
from typing import Any, NamedTuple

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from engine import redaction
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

    The sequence block is allocated by adding to the run row's counter, which holds that
    row's lock until commit (SQLite: the write lock), so two writers can never take the
    same numbers and a rolled-back step gives its numbers back: no gaps, no duplicates.
    Every event, debug lines included, is stored and published with asset secrets
    masked (engine.redaction)."""
    if not events:
        return []
    # Part of the caller's transaction when there is one (a step's journal entry), without
    # a savepoint of its own: an error here fails that whole entry anyway.
    with transaction.atomic(savepoint=False):
        if not PlaybookRun.objects.filter(pk=run_id).update(event_seq=F("event_seq") + len(events)):
            raise PlaybookRun.DoesNotExist(f"no run {run_id}")
        last = PlaybookRun.objects.filter(pk=run_id).values_list("event_seq", flat=True).get()
        first = last - len(events) + 1
        now = timezone.now()
        mask = redaction.current().value
        rows = [Stored(run_id, first + i, kind, mask(payload), now) for i, (kind, payload) in enumerate(events)]
        RunEvent.objects.bulk_create([RunEvent(run_id=run_id, seq=r.seq, kind=r.kind, payload=r.payload, created=now)
                                      for r in rows])
        transaction.on_commit(functools.partial(publish, run_id, rows))
    return rows


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
