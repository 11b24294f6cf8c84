"""engine.execution.brokers.work_rq_once: what engine.execution.worker.drain calls with the
rq backend, so runs driven inline work on both backends."""
from __future__ import annotations

import threading

import rq_helpers
from django.tasks import TaskResultStatus

from engine.execution.brokers import engine_queues, work_rq_once

pytestmark = rq_helpers.needs_rq


def test_it_runs_a_task_enqueued_through_django_tasks_and_says_how_many_ran() -> None:
    result = rq_helpers.note.enqueue(7)

    assert work_rq_once(max_jobs=5) == 1

    assert rq_helpers.RAN == [7]
    stored = rq_helpers.note.get_result(result.id)
    assert stored.status == TaskResultStatus.SUCCESSFUL and stored.return_value == 7


def test_it_runs_no_more_than_max_jobs_and_leaves_the_rest_queued() -> None:
    for n in range(3):
        rq_helpers.note.enqueue(n)

    assert work_rq_once() == 1
    assert work_rq_once(max_jobs=5) == 2
    assert work_rq_once() == 0

    assert rq_helpers.RAN == [0, 1, 2]


def test_it_takes_jobs_from_every_queue_of_the_engine() -> None:
    rq_helpers.note.using(queue_name="callbacks").enqueue(1)
    rq_helpers.note.using(queue_name="actions").enqueue(2)

    assert work_rq_once(max_jobs=5) == 2

    assert sorted(rq_helpers.RAN) == [1, 2]
    assert all(queue.count == 0 for queue in engine_queues())


def test_it_runs_in_a_thread_other_than_the_main_one() -> None:
    # rq's worker sets signal handlers and SIGALRM time limits, which only the main thread
    # may do; the embedded worker threads and the websocket tests call it from others.
    rq_helpers.note.enqueue(3)
    counts: list[int] = []
    thread = threading.Thread(target=lambda: counts.append(work_rq_once()))
    thread.start()
    thread.join()

    assert counts == [1] and rq_helpers.RAN == [3]


def test_it_counts_a_failing_task_and_records_the_failure() -> None:
    result = rq_helpers.fail.enqueue(4)

    assert work_rq_once() == 1

    stored = rq_helpers.fail.get_result(result.id)
    assert stored.status == TaskResultStatus.FAILED
    assert "failing on purpose (4)" in stored.errors[-1].traceback
    assert stored.errors[-1].exception_class_path == "builtins.ValueError"
