"""Run-stream latency: event creation (`engine.events.store`) → receipt by a websocket client.

A real daphne server on a fresh SQLite database, a real websocket client (autobahn, over
TCP), 1,000 events/s for 10 s (BENCH_WS_RATE, BENCH_WS_SECONDS):

- embedded: in-memory channel layer; events are stored in a worker thread of the server
  process, as the embedded worker does;
- redis: REDIS_URL (default redis://127.0.0.1:6379/0) channel layer, events stored in a
  worker thread of the server (a web node that also runs the embedded worker);
- redis_db_worker: the same layer, events stored by a separate process, as
  `manage.py db_worker` does (its achieved rate is reported: `*_produced_per_s`).
Both Redis modes are skipped when Redis does not answer.

Besides p50/p99/max latency it checks exactly-once, in-order delivery: every seq from 1 to
N received once, in increasing order (`*_lost`, `*_duplicated`, `*_out_of_order` must be 0).
"""
from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RATE = int(os.environ.get("BENCH_WS_RATE", "1000"))
SECONDS = float(os.environ.get("BENCH_WS_SECONDS", "10"))
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
PY = sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(var_dir: str, redis: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"SOAR_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "soar.settings", "DEBUG": "0",
                "SOAR_EMBEDDED_WORKER": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(ROOT)})
    if redis:
        env["REDIS_URL"] = redis
    return env


def _redis_up(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:  # any failure means: no Redis to measure against
        return False


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def _receive(url: str, origin: str, expected: int, deadline_s: float, ready: asyncio.Event) -> list[tuple[int, float, float]]:
    """(seq, created, received) per event, until `expected` arrived or the deadline."""
    from autobahn.asyncio.websocket import WebSocketClientFactory, WebSocketClientProtocol

    got: list[tuple[int, float, float]] = []
    done = asyncio.get_running_loop().create_future()

    class Client(WebSocketClientProtocol):  # type: ignore[misc]
        def onOpen(self) -> None:  # noqa: N802 (autobahn's name)
            ready.set()

        def onMessage(self, payload: bytes, is_binary: bool) -> None:  # noqa: N802
            now = time.time()
            frame = json.loads(payload)
            for ev in frame.get("events", []):
                got.append((ev["seq"], float(ev["payload"].get("t", now)), now))
            if len(got) >= expected and not done.done():
                done.set_result(None)

        def onClose(self, was_clean: bool, code: int | None, reason: str | None) -> None:  # noqa: N802
            if not done.done():
                done.set_result(None)

    factory = WebSocketClientFactory(url, origin=origin)
    factory.protocol = Client
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    transport, _ = await asyncio.get_running_loop().create_connection(factory, host, int(port))
    try:
        await asyncio.wait_for(done, timeout=deadline_s)
    except TimeoutError:
        pass
    finally:
        transport.close()
    return got


def _measure(mode: str, var_dir: str, redis: str | None) -> dict[str, Any]:
    env = _env(var_dir, redis)
    subprocess.run([PY, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True, capture_output=True)
    setup = json.loads(subprocess.run([PY, str(ROOT / "bench" / "ws_feed.py"), "setup"], cwd=ROOT, env=env, check=True,
                                      capture_output=True, text=True).stdout.strip().splitlines()[-1])
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([PY, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "bench.ws_feed:application"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    producer: subprocess.Popen[str] | None = None
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("daphne exited: " + (server.stderr.read().decode()[-800:] if server.stderr else "")) from None
                time.sleep(0.2)
        run_id, expected = setup["run_id"], int(RATE * SECONDS)
        url = f"ws://127.0.0.1:{port}/ws/runs/{run_id}/?after=0&token={setup['token']}"

        async def go() -> list[tuple[int, float, float]]:
            nonlocal producer
            ready = asyncio.Event()
            receiving = asyncio.ensure_future(_receive(url, base, expected, SECONDS * 5 + 30, ready))
            await asyncio.wait_for(ready.wait(), timeout=10)
            await asyncio.sleep(0.3)  # the consumer has joined the group and replayed nothing
            if mode != "redis_db_worker":
                req = urllib.request.Request(f"{base}/__bench__/produce?run={run_id}&rate={RATE}&seconds={SECONDS}", method="POST")
                await asyncio.to_thread(urllib.request.urlopen, req, None, 5)
            else:
                producer = subprocess.Popen([PY, str(ROOT / "bench" / "ws_feed.py"), "produce", "--run", str(run_id),
                                             "--rate", str(RATE), "--seconds", str(SECONDS)],
                                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            return await receiving

        got = asyncio.run(go())
        produced: dict[str, Any] = {}
        if producer is not None:
            out, err = producer.communicate(timeout=120)
            produced = json.loads(out.strip().splitlines()[-1]) if out.strip() else {"error": err[-400:]}
    finally:
        if producer is not None and producer.poll() is None:
            producer.kill()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return _figures(mode, got, expected, produced)


def _figures(mode: str, got: list[tuple[int, float, float]], expected: int, produced: dict[str, Any]) -> dict[str, Any]:
    seqs = [s for s, _, _ in got]
    unique = set(seqs)
    latencies = [(received - created) * 1000 for _, created, received in got]
    span = (got[-1][1] - got[0][1]) if len(got) > 1 else 0.0
    out: dict[str, Any] = {
        f"ws_{mode}_events_expected": expected,
        f"ws_{mode}_events_received": len(seqs),
        f"ws_{mode}_lost": len(set(range(1, expected + 1)) - unique),
        f"ws_{mode}_duplicated": len(seqs) - len(unique),
        f"ws_{mode}_out_of_order": sum(1 for a, b in zip(seqs, seqs[1:], strict=False) if b <= a),
        f"ws_{mode}_produced_per_s": round(len(got) / span, 1) if span else 0.0,
    }
    if latencies:
        out.update({
            f"ws_{mode}_latency_p50_ms": round(statistics.median(latencies), 2),
            f"ws_{mode}_latency_p99_ms": round(_percentile(latencies, 0.99), 2),
            f"ws_{mode}_latency_max_ms": round(max(latencies), 2),
        })
    if produced.get("late"):
        out[f"ws_{mode}_producer_late_events"] = produced["late"]
    return out


def run() -> dict[str, Any]:
    """Figures for both layers; `ws_latency_p50_ms`/`ws_latency_p99_ms` are the embedded ones."""
    figures: dict[str, Any] = {"ws_rate_events_per_s": RATE, "ws_seconds": SECONDS}
    with tempfile.TemporaryDirectory(prefix="bench-ws-") as tmp:
        figures.update(_measure("embedded", tmp, None))
    if _redis_up(REDIS_URL):
        for mode in ("redis", "redis_db_worker"):
            with tempfile.TemporaryDirectory(prefix=f"bench-ws-{mode}-") as tmp:
                figures.update(_measure(mode, tmp, REDIS_URL))
    else:
        figures["ws_redis"] = f"skipped: no Redis at {REDIS_URL}"
    figures["ws_latency_p50_ms"] = figures.get("ws_embedded_latency_p50_ms")
    figures["ws_latency_p99_ms"] = figures.get("ws_embedded_latency_p99_ms")
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, sort_keys=True))
