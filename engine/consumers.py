"""Websockets that stream runs: replay stored events, then live ones, exactly once, in order.

Every event is a stored RunEvent with a per-run sequence number before it is published,
so the consumer can always repair what the channel layer lost or reordered: it keeps the
last sequence number it sent and fetches any gap from the database. Events are sent in
batches (at most one frame per FLUSH_S) so a burst of thousands does not flood a browser;
the first event after a quiet spell goes out at once (throttle, not debounce).
"""
from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from rest_framework.exceptions import ValidationError

from engine.events import as_message, container_group, group_name
from engine.models import PlaybookRun, RunEvent
from engine.visibility import may_see_run
from soar.ids import int_param
from soar.roles import has_role

# ~66 frames/s at most: no browser paints faster, and a steady 1,000 events/s stream waits
# about FLUSH_S / 2 for its frame (bench/bench_ws.py measures creation → receipt).
FLUSH_S = 0.015
REPLAY_BATCH = 1000
SWEEP_S = 1.0
CLOSE_BAD_REQUEST = 4400
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


class RunConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    """`ws/runs/<run_id>/?after=<seq>`."""

    run_id: int
    last_sent: int
    pending: list[dict[str, Any]]

    async def connect(self) -> None:
        user = self.scope.get("user")
        self.run_id = int(self.scope["url_route"]["kwargs"]["run_id"])
        if not await self._allowed(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        # The same parser as every HTTP query parameter (soar.ids): a value that is not a
        # sequence number, or is beyond what the database stores, is refused with 4400
        # instead of being read as 0 (or reaching SQLite as an OverflowError).
        query = {k: v[0] for k, v in parse_qs(self.scope.get("query_string", b"").decode("latin-1")).items()}
        try:
            after = int_param(query, "after", 0)
        except ValidationError:
            await self.close(code=CLOSE_BAD_REQUEST)
            return
        self.last_sent = after
        self.pending = []
        self.last_flush = 0.0
        self.flusher: asyncio.Task[None] | None = None
        self.lock = asyncio.Lock()
        # Join before replaying so nothing published in between is missed; duplicates are
        # dropped by sequence number.
        await self.channel_layer.group_add(group_name(self.run_id), self.channel_name)
        await self.accept()
        async with self.lock:
            await self._catch_up(None)
        self.last_message = asyncio.get_running_loop().time()
        self.sweeper: asyncio.Task[None] | None = asyncio.ensure_future(self._sweep())

    @database_sync_to_async
    def _allowed(self, user: Any) -> bool:
        # A run of a team's playbook streams to that team's members (and admins) only.
        return has_role(user, "viewer") and may_see_run(user, self.run_id)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "run_id"):
            await self.channel_layer.group_discard(group_name(self.run_id), self.channel_name)
        if getattr(self, "flusher", None):
            self.flusher.cancel()  # type: ignore[union-attr]
        if getattr(self, "sweeper", None):
            self.sweeper.cancel()  # type: ignore[union-attr]

    async def _sweep(self) -> None:
        """A publish the channel layer dropped (Redis full or restarting) leaves a gap that
        only the next event would reveal; when the stream has been quiet for SWEEP_S, ask
        the database whether the run has stored events this socket has not sent."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(SWEEP_S)
            if loop.time() - self.last_message < SWEEP_S:
                continue
            if await self._latest_seq() > self.last_sent:
                async with self.lock:
                    await self._catch_up(None)

    @database_sync_to_async
    def _latest_seq(self) -> int:
        return int(PlaybookRun.objects.filter(pk=self.run_id).values_list("event_seq", flat=True).first() or 0)

    @database_sync_to_async
    def _stored(self, after: int, upto: int | None) -> list[dict[str, Any]]:
        rows = RunEvent.objects.filter(run_id=self.run_id, seq__gt=after)
        if upto is not None:
            rows = rows.filter(seq__lte=upto)
        return [as_message(e) for e in rows.order_by("seq")[:REPLAY_BATCH]]

    async def _catch_up(self, upto: int | None) -> None:
        """Send stored events after last_sent (up to `upto`), in batches."""
        while True:
            batch = await self._stored(self.last_sent, upto)
            if not batch:
                return
            await self._send(batch)
            if upto is not None and self.last_sent >= upto:
                return

    async def _send(self, events: list[dict[str, Any]]) -> None:
        fresh = [e for e in events if e["seq"] > self.last_sent]
        if fresh:
            self.last_sent = fresh[-1]["seq"]
            await self.send_json({"run_id": self.run_id, "events": fresh})

    async def run_events(self, message: dict[str, Any]) -> None:
        """A published batch: queue it and flush soon (coalescing bursts)."""
        self.last_message = asyncio.get_running_loop().time()
        self.pending.extend(message["events"])
        if self.flusher is None or self.flusher.done():
            wait = self.last_flush + FLUSH_S - asyncio.get_running_loop().time()
            self.flusher = asyncio.ensure_future(self._flush_later(max(wait, 0.0)))

    async def _flush_later(self, wait: float) -> None:
        await asyncio.sleep(wait)  # even 0 yields once, so messages of the same tick share a frame
        async with self.lock:
            self.last_flush = asyncio.get_running_loop().time()
            events, self.pending = sorted(self.pending, key=lambda e: e["seq"]), []
            if not events:
                return
            newest = events[-1]["seq"]
            if events[0]["seq"] > self.last_sent + 1 or any(b["seq"] != a["seq"] + 1 for a, b in zip(events, events[1:], strict=False)):
                await self._catch_up(newest)  # a gap: the database has everything
            else:
                await self._send(events)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong", "last_seq": self.last_sent})


class ContainerConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    """`ws/containers/<id>/`: run starts and finishes on a container, of the runs the user
    may see (the container is everyone's; a team playbook's runs on it are not)."""

    seen: dict[int, bool]

    async def connect(self) -> None:
        if not await database_sync_to_async(has_role)(self.scope.get("user"), "viewer"):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.container_id = int(self.scope["url_route"]["kwargs"]["container_id"])
        self.seen = {}
        await self.channel_layer.group_add(container_group(self.container_id), self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "container_id"):
            await self.channel_layer.group_discard(container_group(self.container_id), self.channel_name)

    async def container_run(self, message: dict[str, Any]) -> None:
        run_id = int(message["run_id"])
        if run_id not in self.seen:  # a run's teams are its playbook's: asked once per run
            self.seen[run_id] = await database_sync_to_async(may_see_run)(self.scope.get("user"), run_id)
        if not self.seen[run_id]:
            return
        await self.send_json({"container_id": self.container_id, "run_id": message["run_id"],
                              "kind": message["kind"], "payload": message["payload"]})
