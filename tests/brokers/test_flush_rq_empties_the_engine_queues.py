"""engine.execution.brokers.flush_rq: what tests/conftest.py calls before every test on
the rq backend, so no job of one test runs in the next one's database."""
from __future__ import annotations

from datetime import timedelta

import rq_helpers
from django.utils import timezone

from engine.execution.brokers import connection, engine_queues, flush_rq, work_rq_once

pytestmark = rq_helpers.needs_rq


def test_it_removes_queued_scheduled_finished_and_failed_jobs_of_every_queue() -> None:
    rq_helpers.note.enqueue(1)
    rq_helpers.fail.enqueue(2)
    assert work_rq_once(max_jobs=2) == 2  # one finished, one failed
    rq_helpers.note.enqueue(3)
    rq_helpers.note.using(queue_name="callbacks").enqueue(4)
    rq_helpers.note.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(5)

    assert flush_rq() == 5

    for queue in engine_queues():
        assert queue.count == 0
        for registry in (queue.scheduled_job_registry, queue.finished_job_registry, queue.failed_job_registry,
                         queue.deferred_job_registry, queue.started_job_registry):
            assert registry.get_job_ids(cleanup=False) == []
    assert list(connection().scan_iter("rq:job:*")) == []
    assert work_rq_once(max_jobs=5) == 0 and rq_helpers.RAN == [1]


def test_it_has_nothing_to_do_on_empty_queues() -> None:
    assert flush_rq() == 0
