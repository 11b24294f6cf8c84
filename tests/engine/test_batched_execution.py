"""On SQLite a worker claims several tasks and executes their code steps in one transaction;
each step keeps its own outcome, and the task rows say what happened to each."""
from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from editor.models import CustomFunction
from engine.execution import enqueue, queue, steps, worker
from engine.execution.runs import start_run
from engine.models import Asset, Container, PlaybookRun, RunData, RunStep
from tests.engine.conftest import python_playbook
from tests.engine.test_actions_and_callbacks import geo_assets  # noqa: F401 - fixture
from tests.engine.test_followed_steps_from_memory import TWO_ACTIONS

pytestmark = pytest.mark.django_db(transaction=True)

FANOUT = '''
import json
import phantom.rules as phantom

def on_start(container):
    phantom.save_run_data(key="started", value=json.dumps(container["id"]))
    for n in range(3):
        phantom.custom_function(custom_function="local/double", parameters=[{"n": n}], name=f"double_{n}",
                                callback=joined)

def joined(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    if phantom.completed(custom_function_names=["double_0", "double_1", "double_2"]):
        phantom.save_run_data(key="joined", value=json.dumps(True))

def on_finish(container, summary):
    pass
'''


@pytest.fixture
def double(transactional_db: Any) -> CustomFunction:
    return CustomFunction.objects.create(name="double", repo="local",
                                         python="def double(n=None, **kwargs):\n    return {'n': n * 2}\n")


def _statuses(runs: list[PlaybookRun]) -> list[str]:
    return [PlaybookRun.objects.get(pk=r.pk).status for r in runs]


def test_many_runs_drained_in_batches_all_finish_with_every_task_successful(container: Container,
                                                                             double: CustomFunction) -> None:
    playbook = python_playbook("fanout", FANOUT)
    runs = [start_run(playbook, container) for _ in range(6)]
    worker.drain()
    assert _statuses(runs) == ["success"] * 6
    assert RunData.objects.filter(key="joined").count() == 6
    assert RunStep.objects.exclude(status="done").count() == 0
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert DBTaskResult.objects.count() == RunStep.objects.count()


def test_an_engine_error_in_one_step_of_a_batch_fails_only_that_run(container: Container, double: CustomFunction,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # On SQLite the four start steps share one batch; PostgreSQL workers take them one by one.
    playbook = python_playbook("fanout", FANOUT)
    runs = [start_run(playbook, container) for _ in range(4)]
    doomed = RunStep.objects.get(run=runs[1], kind="start")
    original = steps._code_step

    def broken(step: RunStep, *args: Any, **kwargs: Any) -> str:
        if step.pk == doomed.pk:
            raise RuntimeError("the database went away")
        return original(step, *args, **kwargs)

    monkeypatch.setattr(steps, "_code_step", broken)
    assert worker.run_batch(limit=16) == (4 if connection.vendor == "sqlite" else 1)
    worker.drain()
    assert _statuses(runs) == ["success", "failed", "success", "success"]
    failed = PlaybookRun.objects.get(pk=runs[1].pk)
    assert "the engine failed executing this step: RuntimeError: the database went away" in failed.message
    assert failed.failed_block == "on_start"
    task = DBTaskResult.objects.get(args_kwargs={"args": [doomed.pk], "kwargs": {}})
    assert task.status == "FAILED" and "RuntimeError" in task.exception_class_path
    assert RunStep.objects.get(pk=doomed.pk).status == "failed"


def test_a_batch_never_executes_a_step_twice_when_a_task_is_delivered_twice(container: Container,
                                                                           double: CustomFunction) -> None:
    playbook = python_playbook("fanout", FANOUT)
    run = start_run(playbook, container)
    step = RunStep.objects.get(run=run, kind="start")
    queue.insert([(step.pk, None)])  # a second task for the same step, as a duplicate delivery would make
    worker.drain()
    assert PlaybookRun.objects.get(pk=run.pk).status == "success"
    assert sorted(DBTaskResult.objects.filter(args_kwargs={"args": [step.pk], "kwargs": {}})
                  .values_list("return_value", flat=True)) == ["done", "not claimed"]
    assert RunData.objects.get(run=run, key="started").value == str(container.pk)


def test_every_step_records_who_claimed_it_once_even_when_the_claim_is_written_with_the_outcome(
        container: Container, double: CustomFunction) -> None:
    playbook = python_playbook("fanout", FANOUT)
    runs = [start_run(playbook, container) for _ in range(3)]
    worker.drain()
    assert _statuses(runs) == ["success"] * 3
    for step in RunStep.objects.all():
        assert (step.attempts, step.worker != "", step.start_time is not None, step.end_time is not None) == \
            (1, True, True, True), (step.kind, step.function)


def test_a_step_undone_late_in_a_batch_leaves_none_of_its_events_or_task_outcome(
        container: Container, double: CustomFunction, monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.models import RunEvent

    playbook = python_playbook("fanout", FANOUT)
    runs = [start_run(playbook, container) for _ in range(3)]
    doomed = RunStep.objects.get(run=runs[1], kind="start")
    original = enqueue.enqueue_steps

    def broken(new_steps: Any) -> None:
        # After the step ran, stored its events and before its task is marked done.
        if any(s.run_id == doomed.run_id for s in new_steps):
            raise RuntimeError("the disk is full")
        original(new_steps)

    monkeypatch.setattr(enqueue, "enqueue_steps", broken)
    worker.drain()
    assert _statuses(runs) == ["success", "failed", "success"]
    kinds = list(RunEvent.objects.filter(run=runs[1]).order_by("seq").values_list("kind", flat=True))
    assert kinds == ["run.finished"]  # nothing the undone step emitted; only the failure
    assert list(RunEvent.objects.filter(run=runs[1]).values_list("seq", flat=True)) == [1]
    assert not RunData.objects.filter(run=runs[1]).exists()
    task = DBTaskResult.objects.get(args_kwargs={"args": [doomed.pk], "kwargs": {}})
    assert task.status == "FAILED" and "the disk is full" in task.traceback
    ok = RunEvent.objects.filter(run=runs[0]).order_by("seq").values_list("seq", flat=True)
    assert list(ok) == list(range(1, len(ok) + 1))



def test_a_batch_wakes_idle_workers_once_for_all_it_enqueued(
        geo_assets: list[Asset], container: Container, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    playbook = python_playbook("two", TWO_ACTIONS % "pass")
    runs = [start_run(playbook, container) for _ in range(2)]
    woken: list[int] = []
    monkeypatch.setattr(enqueue, "wake", lambda: woken.append(1))
    batches = 0
    while worker.run_batch(limit=8):
        batches += 1
    assert [r.status for r in PlaybookRun.objects.filter(pk__in=[r.pk for r in runs])] == ["success", "success"]
    enqueued = RunStep.objects.filter(run__in=runs).count() - len(runs)
    assert enqueued == 10 and 1 <= len(woken) <= batches
