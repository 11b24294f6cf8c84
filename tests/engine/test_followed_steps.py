"""A batch follows the steps it enqueues for the run it is executing (code steps and
simulated actions) in the same transaction, within its budget; anything slower, and every
other run's steps, go through the queue."""
from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from engine.execution import outcomes, worker
from engine.execution.runs import start_run
from engine.models import App, Asset, Container, PlaybookRun, RunStep
from tests.engine.conftest import python_playbook
from tests.engine.test_actions_and_callbacks import geo_assets  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

SIMULATED = '''
import phantom.rules as phantom

def on_start(container):
    phantom.act("geolocate ip", parameters=[{"ip": "1.1.1.1"}], assets=["maxmind"], callback=geo_done, name="geo")

def geo_done(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    phantom.debug("geolocated")

def on_finish(container, summary):
    pass
'''

CONNECTOR = '''
import phantom.rules as phantom

def on_start(container):
    phantom.act("hash text", parameters=[{"text": "abc"}], assets=["utils"], callback=hashed, name="hash")

def hashed(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    phantom.debug("hashed")

def on_finish(container, summary):
    pass
'''

PARENT = '''
import phantom.rules as phantom

def on_start(container):
    phantom.playbook(playbook="child", container=container, name="child_1")

def on_finish(container, summary):
    pass
'''

CHILD = '''
import phantom.rules as phantom

def on_start(container):
    phantom.debug("child")

def on_finish(container, summary):
    pass
'''

UTILITIES = "b1a55827-fa87-492c-920e-0c1319890018"


def _tasks(run: PlaybookRun) -> list[DBTaskResult]:
    ids = list(RunStep.objects.filter(run=run).values_list("id", flat=True))
    return [t for t in DBTaskResult.objects.all() if t.args_kwargs["args"][0] in ids]


def test_a_run_the_simulator_serves_finishes_in_one_batch_with_every_task_recorded(
        geo_assets: list[Asset], container: Container) -> None:  # noqa: F811
    run = start_run(python_playbook("simulated", SIMULATED), container)
    assert worker.run_batch("w-1", limit=1) == 1  # claims the start step, follows the rest
    run.refresh_from_db()
    assert run.status == "success", run.message
    kinds = list(RunStep.objects.filter(run=run).order_by("id").values_list("kind", "status"))
    assert kinds == [("start", "done"), ("action", "done"), ("callback", "done"), ("finish", "done")]
    tasks = _tasks(run)
    assert len(tasks) == 4
    for task in tasks:
        assert task.status == "SUCCESSFUL"
        assert task.worker_ids == ["w-1"]
        assert task.started_at is not None and task.started_at <= task.finished_at


def test_a_batch_follows_no_more_steps_than_its_budget_and_the_queue_has_the_rest(
        geo_assets: list[Asset], container: Container) -> None:  # noqa: F811
    run = start_run(python_playbook("simulated", SIMULATED), container)
    worker.run_batch(limit=1, follow=1)
    assert list(RunStep.objects.filter(run=run).order_by("id").values_list("kind", "status")) == [
        ("start", "done"), ("action", "done"), ("callback", "pending")]
    assert sorted(t.status for t in _tasks(run)) == ["READY", "SUCCESSFUL", "SUCCESSFUL"]
    worker.drain()
    run.refresh_from_db()
    assert run.status == "success", run.message


def test_a_batch_follows_only_its_own_runs_steps(geo_assets: list[Asset], container: Container) -> None:  # noqa: F811
    playbook = python_playbook("simulated", SIMULATED)
    first, second = start_run(playbook, container), start_run(playbook, container)
    worker.run_batch(limit=1)
    assert PlaybookRun.objects.get(pk=first.pk).status == "success"
    assert set(RunStep.objects.filter(run=second).values_list("status", flat=True)) == {"pending"}


def test_a_batch_leaves_a_child_playbooks_run_to_the_queue(container: Container) -> None:
    python_playbook("child", CHILD)
    parent = start_run(python_playbook("parent", PARENT), container)
    worker.run_batch(limit=1)
    assert PlaybookRun.objects.get(pk=parent.pk).status == "success"
    child = PlaybookRun.objects.get(parent_run=parent)
    assert list(RunStep.objects.filter(run=child).values_list("kind", "status")) == [("start", "pending")]
    worker.drain()
    assert PlaybookRun.objects.get(pk=child.pk).status == "success"


def test_a_followed_action_with_a_real_connector_goes_back_to_the_queue(container: Container) -> None:
    Asset.objects.create(name="utils", app=App.objects.get(appid=UTILITIES))
    run = start_run(python_playbook("connector", CONNECTOR), container)
    worker.run_batch(limit=1)
    action = RunStep.objects.get(run=run, kind="action")
    # Not taken: no claim on the step, and its task committed READY for any worker.
    assert (action.status, action.worker, action.attempts) == ("pending", "", 0)
    assert sorted(t.status for t in _tasks(run)) == ["READY", "SUCCESSFUL"]
    worker.drain()
    run.refresh_from_db()
    assert run.status == "success", run.message
    assert RunStep.objects.get(run=run, kind="callback").status == "done"


def test_an_engine_error_in_a_followed_step_fails_its_run_and_its_task(
        geo_assets: list[Asset], container: Container, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    run = start_run(python_playbook("simulated", SIMULATED), container)
    original = outcomes.maybe_finish

    def broken(ctx: Any) -> None:
        if ctx.step.kind == "callback":
            raise RuntimeError("the disk is full")
        original(ctx)

    monkeypatch.setattr(outcomes, "maybe_finish", broken)
    worker.run_batch(limit=1)
    run.refresh_from_db()
    assert run.status == "failed" and "the disk is full" in run.message
    callback = RunStep.objects.get(run=run, kind="callback")
    task = next(t for t in _tasks(run) if t.args_kwargs["args"] == [callback.pk])
    assert task.status == "FAILED" and "the disk is full" in task.traceback
    assert task.started_at is not None
    assert sorted(t.status for t in _tasks(run)) == ["FAILED", "SUCCESSFUL", "SUCCESSFUL"]


def test_waiting_for_a_condition_runs_one_task_at_a_time(geo_assets: list[Asset],  # noqa: F811
                                                         container: Container) -> None:
    run = start_run(python_playbook("simulated", SIMULATED), container)
    started = RunStep.objects.filter(run=run, kind="start")
    worker.drain(until=lambda: started.filter(status="done").exists())
    assert list(RunStep.objects.filter(run=run).order_by("id").values_list("status", flat=True)) == ["done", "pending"]
