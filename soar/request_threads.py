"""Django's HTTP handler on a fixed set of long-lived request threads.

Django's ASGIHandler runs each request's sync code (middleware, DRF views, the ORM) in a
ThreadSensitiveContext of its own, and asgiref gives every such context a new
single-thread executor: a new OS thread per request. Database connections are per thread,
so every request also opened a new database connection (on SQLite: the file, WAL and
PRAGMAs) and left the old one for the garbage collector. Profiled under 50 concurrent
`GET /rest/container`, thread start and connection set-up were about a fifth of the
server's CPU.

Here each request still gets its own thread-sensitive context (its sync code runs on one
thread, as Django expects), but the context's executor comes from a fixed set, the least
busy one first (asgiref's ThreadSensitiveContext(executor=...)). The threads live as long
as the server, so their connections are kept (CONN_MAX_AGE) or pooled (PostgreSQL). A
request that waits long (a lock, a slow query) holds one thread; others take the rest.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler


class RequestThreads:
    """`size` single-thread executors. Used from the event loop's thread only, so the
    in-flight counts need no lock."""

    def __init__(self, size: int) -> None:
        self.executors = [ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"request-{i}") for i in range(size)]
        self.in_flight = [0] * size

    @asynccontextmanager
    async def context(self) -> AsyncIterator[None]:
        index = min(range(len(self.executors)), key=self.in_flight.__getitem__)
        self.in_flight[index] += 1
        try:
            async with ThreadSensitiveContext(executor=self.executors[index]):
                yield
        finally:
            self.in_flight[index] -= 1


class PooledASGIHandler(ASGIHandler):
    def __init__(self, threads: int) -> None:
        # ASGIHandler loads the middleware in async mode: each middleware that can run
        # either way then runs async, and calls its process_request and process_response
        # through sync_to_async, two thread hops per middleware (profiled: about a fifth
        # of the CPU of a trivial request). Every middleware and view here is sync, so the
        # chain is loaded sync, as under WSGI, and entered with one hop.
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        chain: Any = getattr(self, "_middleware_chain")  # noqa: B009  Django's, untyped
        self._middleware_chain = sync_to_async(chain, thread_sensitive=True)
        self.threads = RequestThreads(threads)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        async with self.threads.context():
            await self.handle(scope, receive, send)


def get_pooled_asgi_application() -> PooledASGIHandler:
    """django.core.asgi.get_asgi_application, on SOAR_REQUEST_THREADS request threads."""
    import django
    from django.conf import settings

    django.setup(set_prefix=False)
    return PooledASGIHandler(settings.SOAR_REQUEST_THREADS)
