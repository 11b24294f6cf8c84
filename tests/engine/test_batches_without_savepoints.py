"""A batch runs its steps without a savepoint each; an engine error rolls the whole batch
back and runs it again with one savepoint per step, so only the failing step fails and
everything else commits exactly once."""
from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from engine.execution import steps, worker
from engine.execution.runs import start_run
from engine.models import Container, PlaybookRun, RunData, RunEvent, RunStep
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db(transaction=True)

SIMPLE = '''
import phantom.rules as phantom

def on_start(container):
    phantom.save_run_data(key="started", value="1")
    phantom.debug("started")

def on_finish(container, summary):
    pass
'''

# Playbook code that catches a database error of its own making and carries on.
SWALLOWS_A_DATABASE_ERROR = '''
import phantom.rules as phantom
from engine.models import Container

def on_start(container):
    phantom.save_run_data(key="before", value="1")
    try:
        Container.objects.create(id=container["id"], name="duplicate", label="events")
    except Exception:
        pass
    phantom.save_run_data(key="after", value="1")

def on_finish(container, summary):
    pass
'''


def _statuses(runs: list[PlaybookRun]) -> list[str]:
    return [PlaybookRun.objects.get(pk=r.pk).status for r in runs]


@pytest.fixture
def savepoints(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    taken: Counter[str] = Counter()
    original = type(connections["default"])._savepoint

    def counting(self: Any, sid: str) -> None:
        taken["savepoint"] += 1
        original(self, sid)

    monkeypatch.setattr(type(connections["default"]), "_savepoint", counting)
    return taken


def test_an_ordinary_batch_takes_no_savepoint_per_step(container: Container, savepoints: Counter[str]) -> None:
    simple = python_playbook("simple", SIMPLE)
    runs = [start_run(simple, container) for _ in range(4)]
    worker.drain()
    assert _statuses(runs) == ["success"] * 4
    assert savepoints["savepoint"] == 0


def test_after_an_engine_error_every_other_step_of_the_batch_commits_exactly_once(
        container: Container, savepoints: Counter[str], monkeypatch: pytest.MonkeyPatch) -> None:
    simple = python_playbook("simple", SIMPLE)
    runs = [start_run(simple, container) for _ in range(4)]
    doomed = RunStep.objects.get(run=runs[2], kind="start")
    original = steps._code_step
    calls: Counter[int] = Counter()

    def broken(step: RunStep, *args: Any, **kwargs: Any) -> str:
        calls[step.run_id] += step.kind == "start"
        if step.pk == doomed.pk:
            raise RuntimeError("the database went away")
        return original(step, *args, **kwargs)

    monkeypatch.setattr(steps, "_code_step", broken)
    worker.drain()
    assert _statuses(runs) == ["success", "success", "failed", "success"]
    if connection.vendor == "sqlite":
        # The first pass ran runs 0 and 1 before the error; the replay ran all four again,
        # each in its own savepoint.
        assert [calls[r.pk] for r in runs] == [2, 2, 2, 1]
        assert savepoints["savepoint"] >= 4
    for run in runs:
        kinds = Counter(RunEvent.objects.filter(run=run).values_list("kind", flat=True))
        assert kinds["run.finished"] == 1 and kinds["run.started"] <= 1
        seqs = sorted(RunEvent.objects.filter(run=run).values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        expected = 1 if run.pk != runs[2].pk else 0
        assert RunData.objects.filter(run=run, key="started").count() == expected
    assert Counter(DBTaskResult.objects.values_list("status", flat=True)) == \
        {"SUCCESSFUL": RunStep.objects.count() - 1, "FAILED": 1}


def test_a_database_error_that_playbook_code_swallows_fails_its_step_instead_of_committing_half_of_it(
        container: Container) -> None:
    simple = python_playbook("simple", SIMPLE)
    good = start_run(simple, container)
    bad = start_run(python_playbook("swallows", SWALLOWS_A_DATABASE_ERROR), container)
    after = start_run(simple, container)
    worker.drain()
    assert _statuses([good, bad, after]) == ["success", "failed", "success"]
    assert not RunData.objects.filter(run=bad).exists()
    assert RunStep.objects.get(run=bad, kind="start").status == "failed"
    assert Container.objects.filter(name="duplicate").count() == 0
    assert DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).count() == 0
