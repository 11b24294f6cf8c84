"""engine.execution.worker.RQEmbeddedWorker: what start_embedded runs in each worker thread
when the Redis broker backend is in use (SOAR_TASK_BACKEND=rq with SOAR_EMBEDDED_WORKER=1)."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import rq_helpers
from django.utils import timezone

from engine.execution import dispatch, worker
from engine.execution.brokers import engine_queues

pytestmark = rq_helpers.needs_rq


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """One embedded rq worker thread, stopped after the test; yields the sweeps it made."""
    sweeps: list[str] = []

    def sweep() -> dict[str, int]:
        sweeps.append("swept")
        return {}

    monkeypatch.setattr(worker.recovery, "sweep", sweep)
    stop = threading.Event()
    thread = threading.Thread(target=worker.RQEmbeddedWorker(idle_wait=0.05, stop=stop).run, daemon=True)
    thread.start()
    yield sweeps
    stop.set()
    dispatch.work_ready.set()
    thread.join(timeout=30)
    assert not thread.is_alive()


def _wait_for(ran: list[int], count: int) -> None:
    # A bound against hanging, not a time limit under test.
    deadline = time.monotonic() + 30
    while len(ran) < count and time.monotonic() < deadline:
        time.sleep(0.01)


def test_it_runs_jobs_enqueued_after_it_started(embedded: list[str]) -> None:
    rq_helpers.note.enqueue(1)
    rq_helpers.note.using(queue_name="actions").enqueue(2)

    _wait_for(rq_helpers.RAN, 2)

    assert sorted(rq_helpers.RAN) == [1, 2]
    assert all(queue.count == 0 for queue in engine_queues())


def test_it_runs_a_deferred_job_once_its_run_after_has_come(embedded: list[str]) -> None:
    result = rq_helpers.note.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(3)
    queue = next(queue for queue in engine_queues() if queue.name == "default")
    job = queue.fetch_job(result.id)
    assert job is not None
    queue.scheduled_job_registry.schedule(job, timezone.now() - timedelta(seconds=1))

    _wait_for(rq_helpers.RAN, 1)

    assert rq_helpers.RAN == [3]


def test_it_sweeps_for_dead_workers_runs_when_it_starts(embedded: list[str]) -> None:
    rq_helpers.note.enqueue(4)
    _wait_for(rq_helpers.RAN, 1)

    assert embedded[:1] == ["swept"]


def test_it_keeps_working_after_a_failing_job(embedded: list[str]) -> None:
    rq_helpers.fail.enqueue(5)
    rq_helpers.note.enqueue(6)

    _wait_for(rq_helpers.RAN, 1)

    assert rq_helpers.RAN == [6]
