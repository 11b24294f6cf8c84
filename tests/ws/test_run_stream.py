"""The run websocket: replay, then live, exactly once and in order; refusals."""
from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User

from engine import events
from engine.models import Container, PlaybookRun
from soar.asgi import application
from tests.engine.conftest import python_playbook

pytestmark = [pytest.mark.django_db(transaction=True)]
HEADERS = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]


@database_sync_to_async
def make_run() -> PlaybookRun:
    container = Container.objects.create(name="case")
    playbook = python_playbook("p", "def on_start(container):\n    pass\n\ndef on_finish(container, summary):\n    pass\n")
    return PlaybookRun.objects.create(playbook=playbook, container=container, playbook_version=playbook.current())


@database_sync_to_async
def emit(run: PlaybookRun, n: int, start: int = 0) -> None:
    events.store(run.pk, [("debug", {"message": f"line {start + i}"}) for i in range(n)])


@database_sync_to_async
def token_for(user: User) -> str:
    from engine.models import ApiToken

    return ApiToken.issue(user)[1]


async def receive_all(comm: WebsocketCommunicator, count: int) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    while len(got) < count:
        frame = await comm.receive_json_from(timeout=5)
        got.extend(frame["events"])
    return got


def communicator(path: str, headers: list[tuple[bytes, bytes]] = HEADERS) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=headers)


async def test_it_replays_stored_events_then_streams_live_ones_in_order(viewer: User) -> None:
    run = await make_run()
    await emit(run, 5)
    comm = communicator(f"/ws/runs/{run.pk}/?token={await token_for(viewer)}")
    connected, _ = await comm.connect()
    assert connected
    replayed = await receive_all(comm, 5)
    await emit(run, 5, start=5)
    live = await receive_all(comm, 5)
    seqs = [e["seq"] for e in replayed + live]
    assert seqs == list(range(1, 11))
    assert [e["payload"]["message"] for e in replayed + live] == [f"line {i}" for i in range(10)]
    assert await comm.receive_nothing(timeout=0.2)
    await comm.disconnect()


async def test_reconnecting_with_after_delivers_exactly_the_missing_events(viewer: User) -> None:
    run = await make_run()
    await emit(run, 8)
    comm = communicator(f"/ws/runs/{run.pk}/?after=6&token={await token_for(viewer)}")
    assert (await comm.connect())[0]
    got = await receive_all(comm, 2)
    assert [e["seq"] for e in got] == [7, 8]
    assert await comm.receive_nothing(timeout=0.2)
    await comm.disconnect()


async def test_a_burst_is_coalesced_into_few_frames(viewer: User, monkeypatch: pytest.MonkeyPatch) -> None:
    # The window is a latency/frame-rate trade-off measured by bench/bench_ws.py; widened here
    # so the burst lands inside a few windows however slow the database makes the stores.
    from engine import consumers

    monkeypatch.setattr(consumers, "FLUSH_S", 0.2)
    run = await make_run()
    comm = communicator(f"/ws/runs/{run.pk}/?token={await token_for(viewer)}")
    assert (await comm.connect())[0]
    for i in range(20):
        await emit(run, 50, start=i * 50)
    frames = 0
    seen: list[int] = []
    while len(seen) < 1000:
        frame = await comm.receive_json_from(timeout=5)
        frames += 1
        seen.extend(e["seq"] for e in frame["events"])
    assert seen == list(range(1, 1001)) and frames < 20
    await comm.disconnect()


async def test_an_anonymous_connection_is_refused(db: Any) -> None:
    run = await make_run()
    comm = communicator(f"/ws/runs/{run.pk}/")
    connected, _ = await comm.connect()
    assert not connected


async def test_a_foreign_origin_is_refused(viewer: User) -> None:
    run = await make_run()
    comm = communicator(f"/ws/runs/{run.pk}/?token={await token_for(viewer)}",
                        headers=[(b"origin", b"http://evil.example"), (b"host", b"127.0.0.1:8000")])
    connected, _ = await comm.connect()
    assert not connected


async def test_a_user_without_a_role_is_refused(outsider: User) -> None:
    run = await make_run()
    comm = communicator(f"/ws/runs/{run.pk}/?token={await token_for(outsider)}")
    connected, _ = await comm.connect()
    assert not connected


