"""On SQLite the embedded worker's threads claim one at a time and a thread keeps claiming
while there is work; the others run the slow parts batches defer, and take claiming over
while the claiming thread is busy with one."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from engine.execution import worker
from engine.execution.runs import start_run
from engine.models import App, Asset, Container, PlaybookRun
from tests.engine.conftest import python_playbook
from tests.engine.test_actions_and_callbacks import geo_assets  # noqa: F401 - fixture
from tests.engine.test_followed_steps import CONNECTOR, SIMULATED, UTILITIES

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL threads all claim"),
]


class Threads:
    def __init__(self, count: int) -> None:
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=worker.work_forever, kwargs={"idle_wait": 0.05, "stop": self.stop},
                                         name=f"test-worker-{n}") for n in range(count)]

    def __enter__(self) -> Threads:
        for t in self.threads:
            t.start()
        worker.wake()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        worker.wake()
        for t in self.threads:
            t.join(10)


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, float, float, int]]]:
    """Every run_batch call of the worker threads: (thread, start, end, claimed)."""
    seen: list[tuple[str, float, float, int]] = []
    original = worker.run_batch

    def recorded(*args: Any, **kwargs: Any) -> int:
        started = time.monotonic()
        claimed = original(*args, **kwargs)
        seen.append((threading.current_thread().name, started, time.monotonic(), claimed))
        return claimed

    monkeypatch.setattr(worker, "run_batch", recorded)
    yield seen


def _wait_for(runs: list[PlaybookRun], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not PlaybookRun.objects.filter(pk__in=[r.pk for r in runs]).exclude(
                status__in=("success", "failed", "cancelled")).exists():
            return
        time.sleep(0.05)
    raise AssertionError("the runs did not finish")


def test_one_thread_claims_at_a_time_and_keeps_claiming_while_there_is_work(
        geo_assets: list[Asset], container: Container, batches: list[tuple[str, float, float, int]]) -> None:  # noqa: F811
    playbook = python_playbook("simulated", SIMULATED)
    runs = [start_run(playbook, container) for _ in range(120)]
    with Threads(4):
        _wait_for(runs)
    assert set(PlaybookRun.objects.filter(pk__in=[r.pk for r in runs]).values_list("status", flat=True)) == {"success"}
    spans = sorted((start, end) for _, start, end, _ in batches)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False))
    working = [name for name, _, _, claimed in sorted(batches, key=lambda b: b[1]) if claimed]
    assert len(working) >= 4
    # The batches that claimed work came from one thread (nothing deferred made it hand over).
    assert len(set(working)) == 1


def test_another_thread_claims_while_the_claiming_one_runs_a_slow_part(
        geo_assets: list[Asset], container: Container, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        batches: list[tuple[str, float, float, int]]) -> None:
    Asset.objects.create(name="utils", app=App.objects.get(appid=UTILITIES))
    slow_started = threading.Event()
    original = worker._run_later

    def slow(task: Any, step: Any, worker_id: str) -> None:
        slow_started.set()
        time.sleep(1.5)  # a connector call that takes a while
        original(task, step, worker_id)

    monkeypatch.setattr(worker, "_run_later", slow)
    slow_run = start_run(python_playbook("connector", CONNECTOR), container)
    with Threads(2):
        assert slow_started.wait(10)
        started = time.monotonic()
        playbook = python_playbook("simulated", SIMULATED)
        quick = [start_run(playbook, container) for _ in range(3)]
        worker.wake()
        _wait_for(quick)
        # Claimed and finished while one thread was still inside the slow part.
        assert time.monotonic() - started < 1.4
        _wait_for([slow_run])
    assert PlaybookRun.objects.get(pk=slow_run.pk).status == "success"
    assert {name for name, _, _, claimed in batches if claimed} == {"test-worker-0", "test-worker-1"}
