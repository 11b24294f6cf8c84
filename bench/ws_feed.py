"""Server side of bench/bench_ws.py: set up a run, and produce its events at a fixed rate.

* ``python bench/ws_feed.py setup``: a viewer with an API token, a container and a run
  whose id is random and large (so a shared Redis never mixes two benchmarks' groups);
  prints ``{"run_id", "token"}``.
* ``python bench/ws_feed.py produce --run N --rate R --seconds S``: the scale-out shape,
  a separate process storing events (as ``manage.py db_worker`` does); with REDIS_URL they
  reach the server through Redis.
* ``daphne bench.ws_feed:application``: the real ASGI app plus ``POST /__bench__/produce``,
  which produces inside the server process in a worker thread, the way the embedded
  worker does, so the in-memory channel layer carries the events.

Each event's payload holds ``t``, the wall-clock time just before ``engine.events.store``
was called, so the client measures creation → receipt.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soar.settings")


def produce(run_id: int, rate: int, seconds: float) -> dict[str, Any]:
    """Store `rate × seconds` debug events, one `events.store` call each, on a fixed schedule."""
    from django.db import close_old_connections

    from engine import events

    total = int(rate * seconds)
    interval = 1.0 / rate
    started = time.perf_counter()
    late = 0
    try:
        for i in range(total):
            due = started + i * interval
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            elif wait < -0.005:
                late += 1  # the store itself could not keep up with the schedule
            events.store(run_id, [("debug", {"level": "debug", "message": f"bench {i}", "i": i, "t": time.time()})])
    finally:
        close_old_connections()
    took = time.perf_counter() - started
    return {"events": total, "seconds": round(took, 3), "rate": round(total / took, 1), "late": late}


def setup() -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    from editor.models import Playbook
    from engine.models import ApiToken, Container, PlaybookRun

    user, _ = User.objects.get_or_create(username="bench-viewer")
    user.groups.add(Group.objects.get_or_create(name="viewer")[0])
    playbook = Playbook(name=f"bench_ws_{random.randrange(10**9)}")
    playbook.save_version(json.dumps({"coa": {"data": {"nodes": {}, "edges": []}, "playbook_type": "automation"}}),
                          python="def on_start(container):\n    pass\n\ndef on_finish(container, summary):\n    pass\n")
    container = Container.objects.create(name="bench ws")
    run = PlaybookRun.objects.create(pk=random.randrange(10**8, 9 * 10**8), playbook=playbook, container=container,
                                     playbook_version=playbook.current(), status="running")
    return {"run_id": run.pk, "token": ApiToken.issue(user)[1]}


def _asgi() -> Any:
    from asgiref.sync import sync_to_async

    from soar.asgi import application as soar_application

    async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/__bench__/produce":
            import asyncio

            query = parse_qs(scope.get("query_string", b"").decode())
            args = (int(query["run"][0]), int(query.get("rate", ["1000"])[0]), float(query.get("seconds", ["10"])[0]))
            # A worker thread, as the embedded worker uses: its async_to_sync(group_send)
            # hops back onto this server loop, where the in-memory layer lives.
            asyncio.ensure_future(sync_to_async(produce, thread_sensitive=False)(*args))
            await send({"type": "http.response.start", "status": 202, "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": b'{"started": true}'})
            return
        await soar_application(scope, receive, send)

    return application


def __getattr__(name: str) -> Any:
    # daphne imports `bench.ws_feed:application`; building it imports Django, which the
    # `setup`/`produce` commands must not do before their environment is in place.
    if name == "application":
        return _asgi()
    raise AttributeError(name)


def main() -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup")
    p = sub.add_parser("produce")
    p.add_argument("--run", type=int, required=True)
    p.add_argument("--rate", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    if args.command == "setup":
        print(json.dumps(setup()))
    else:
        import django

        django.setup()
        print(json.dumps(produce(args.run, args.rate, args.seconds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
