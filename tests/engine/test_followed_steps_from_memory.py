"""On SQLite a batch hands a step it enqueued and then follows over as the instance it
inserted, with the one instance of its run every step of the batch shares, instead of
reading them back; any write it does not account for makes it read them again."""
from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.db import connection  # noqa: F401 - the skipif condition reads it

from engine.execution import outcomes, steps, worker
from engine.execution.runs import start_run
from engine.models import ActionRun, Asset, Container, PlaybookRun, RunData, RunStep
from tests.engine.conftest import python_playbook
from tests.engine.test_actions_and_callbacks import geo_assets  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the batch read cache is SQLite's")]

TWO_ACTIONS = '''
import phantom.rules as phantom

def on_start(container):
    phantom.act("geolocate ip", parameters=[{"ip": "1.1.1.1"}], assets=["maxmind"], callback=first_done, name="first")
    phantom.act("geolocate ip", parameters=[{"ip": "8.8.8.8"}], assets=["maxmind"], callback=second_done, name="second")

def first_done(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    phantom.save_run_data(key="first", value="1")
    %s

def second_done(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    phantom.save_run_data(key="second", value="1")

def on_finish(container, summary):
    pass
'''


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counted: Counter[str] = Counter()
    original = steps._read_step

    def counting(step_id: int, with_run: bool) -> Any:
        step = original(step_id, with_run)
        counted[step.kind if step is not None else "missing"] += 1
        return step

    monkeypatch.setattr(steps, "_read_step", counting)
    return counted


def test_a_run_the_batch_follows_reads_only_its_first_step(geo_assets: list[Asset], container: Container,  # noqa: F811
                                                           reads: Counter[str]) -> None:
    run = start_run(python_playbook("two", TWO_ACTIONS % "pass"), container)
    worker.drain()
    run.refresh_from_db()
    assert run.status == "success", run.message
    # start, two actions, two callbacks, finish: only the claimed start step was read.
    assert RunStep.objects.filter(run=run, status="done").count() == 6
    assert reads == {"start": 1}
    assert run.action_count == 2
    assert set(ActionRun.objects.filter(playbook_run=run).values_list("status", flat=True)) == {"success"}


def test_a_step_cancelled_by_an_earlier_step_of_the_batch_is_not_run_from_memory(
        geo_assets: list[Asset], container: Container, reads: Counter[str]) -> None:  # noqa: F811
    run = start_run(python_playbook("two", TWO_ACTIONS % "phantom.discontinue()"), container)
    worker.drain()
    run.refresh_from_db()
    assert run.status == "success", run.message
    assert set(RunData.objects.filter(run=run).values_list("key", flat=True)) == {"first"}
    second = RunStep.objects.get(run=run, kind="callback", function="second_done")
    assert second.status == "cancelled" and second.attempts == 0
    assert reads["callback"] == 1  # read back, because the cancelling write dropped it


def test_followed_steps_see_the_run_as_the_database_has_it(geo_assets: list[Asset], container: Container,  # noqa: F811
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    run = start_run(python_playbook("two", TWO_ACTIONS % "pass"), container)
    seen: list[tuple[Any, ...]] = []
    original = steps._code_step

    def checking(step: RunStep, *args: Any, **kwargs: Any) -> str:
        outcome = original(step, *args, **kwargs)
        stored = PlaybookRun.objects.get(pk=step.run_id)
        for field in ("status", "action_count", "message", "outputs", "scope", "artifact_watermark"):
            seen.append((step.function, field, getattr(step.run, field) == getattr(stored, field)))
        return outcome

    monkeypatch.setattr(steps, "_code_step", checking)
    worker.drain()
    assert PlaybookRun.objects.get(pk=run.pk).status == "success"
    assert len(seen) == 4 * 6  # on_start, the two callbacks and on_finish were each checked
    assert [s for s in seen if not s[2]] == []


def test_a_run_written_behind_the_engines_back_is_read_again(geo_assets: list[Asset], container: Container,  # noqa: F811
                                                             reads: Counter[str]) -> None:
    # Any write to the run row the engine did not make on its instance (here an ORM update
    # from playbook code) drops the batch's instance: the next step sees the stored row.
    cancels = ('from engine.models import PlaybookRun\n'
               '    PlaybookRun.objects.filter(container_id=container["id"]).update(status="cancelled")')
    run = start_run(python_playbook("two", TWO_ACTIONS % cancels), container)
    worker.drain()
    assert PlaybookRun.objects.get(pk=run.pk).status == "cancelled"
    assert set(RunData.objects.filter(run=run).values_list("key", flat=True)) == {"first"}
    assert RunStep.objects.get(run=run, kind="callback", function="second_done").status == "cancelled"


def test_a_callback_with_a_sibling_pending_in_the_batch_does_not_ask_whether_the_run_is_done(
        geo_assets: list[Asset], container: Container, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from engine.execution import rows

    asked: list[str] = []
    execute = rows.RawCursor.execute

    def recording(self: rows.RawCursor, sql: str, params: Any = ()) -> None:
        if sql == outcomes.OUTSTANDING_SQL:
            asked.append(sql)
        execute(self, sql, params)

    monkeypatch.setattr(rows.RawCursor, "execute", recording)
    run = start_run(python_playbook("two", TWO_ACTIONS % "pass"), container)
    worker.drain()
    run.refresh_from_db()
    assert run.status == "success", run.message
    assert RunStep.objects.filter(run=run, kind="finish", status="done").count() == 1
    # The first callback knows the second is pending; only the second asks the database.
    assert len(asked) == 1
