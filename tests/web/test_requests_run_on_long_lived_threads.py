"""HTTP requests' Django code runs on a fixed set of long-lived threads (soar.request_threads),
so a request does not start a thread, nor open a database connection, of its own."""
from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.db import connection
from django.db.backends.signals import connection_created

from soar.request_threads import PooledASGIHandler, RequestThreads


def _thread_of_sync_code() -> int:
    return threading.get_ident()


async def _request(threads: RequestThreads, hold: asyncio.Event | None = None) -> int:
    async with threads.context():
        ident = await sync_to_async(_thread_of_sync_code)()
        if hold is not None:
            await hold.wait()
        return ident


def test_one_request_after_another_runs_on_the_same_thread() -> None:
    threads = RequestThreads(3)

    async def both() -> tuple[int, int]:
        return await _request(threads), await _request(threads)

    first, second = asyncio.run(both())
    assert first == second


def test_a_request_waiting_does_not_hold_up_the_next_one() -> None:
    threads = RequestThreads(2)

    async def overlapping() -> tuple[int, int]:
        hold = asyncio.Event()
        waiting = asyncio.create_task(_request(threads, hold))
        await asyncio.sleep(0.05)
        other = await _request(threads)
        hold.set()
        return await waiting, other

    waiting, other = asyncio.run(overlapping())
    assert waiting != other


async def _get(app: Any, path: str) -> int:
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(b"host", b"127.0.0.1")], "http_version": "1.1", "scheme": "http",
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000), "root_path": ""}
    communicator = ApplicationCommunicator(app, scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(10)
    await communicator.receive_output(10)
    await communicator.wait(10)
    return int(start["status"])


@pytest.mark.django_db(transaction=True)
def test_requests_reuse_their_threads_database_connection() -> None:
    app = PooledASGIHandler(threads=2)
    opened: list[int] = []

    def count(sender: Any, connection: Any, **_: Any) -> None:
        opened.append(threading.get_ident())

    connection_created.connect(count)
    try:
        async def three() -> list[int]:
            return [await _get(app, "/healthz") for _ in range(3)]

        assert asyncio.run(three()) == [200, 200, 200]
    finally:
        connection_created.disconnect(count)
    assert len(set(opened)) <= 1, "the requests' connections were opened on different threads"
    if connection.settings_dict["CONN_MAX_AGE"] is None:  # kept (SQLite); PostgreSQL's come from a pool
        assert len(opened) <= 1, f"a connection was opened {len(opened)} times for 3 requests"


@pytest.mark.django_db(transaction=True)
def test_a_request_crosses_to_its_thread_a_few_times_not_once_per_middleware(monkeypatch: pytest.MonkeyPatch) -> None:
    # Django's ASGI handler runs each middleware that can be async in async mode, two
    # sync_to_async hops per middleware; loaded sync, the chain is entered once. The rest:
    # request_started, request_finished (response.close) and the response's logging.
    from asgiref import sync

    hops: list[str] = []
    real_call = sync.SyncToAsync.__call__

    async def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await real_call(self, *args, **kwargs)

    monkeypatch.setattr(sync.SyncToAsync, "__call__", counting)
    app = PooledASGIHandler(threads=2)
    assert asyncio.run(_get(app, "/healthz")) == 200
    assert len(hops) <= 4, hops
