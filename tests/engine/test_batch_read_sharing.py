"""Steps of one SQLite batch share what they read of containers, artifacts, assets and a
run's action results; a write by any of them, through the ORM or plain SQL, or a step
undone to its savepoint, makes the next step read the rows again."""
from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection

from engine.execution import outcomes, worker
from engine.execution.runs import start_run
from engine.models import ActionRun, Asset, Container, PlaybookRun, RunData, RunStep
from engine.runtime.datasource import RunDataSource
from tests.engine.conftest import python_playbook
from tests.engine.test_actions_and_callbacks import geo_assets  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

SEVERITY = '''
import json
import phantom.rules as phantom

def on_start(container):
    artifacts = phantom.collect2(container=container, datapath=["artifact:*.id"])
    phantom.save_run_data(key="seen", value=json.dumps([container["severity"], len(artifacts)]))
    if container["severity"] == "high":
        phantom.set_severity(container, "low")
        phantom.add_artifact(container=container, raw_data={}, cef_data={"sourceAddress": "10.0.0.9"},
                             label="event", name="added", severity="low", identifier="added-by-run")

def on_finish(container, summary):
    pass
'''


def _seen(run: PlaybookRun) -> list[Any]:
    return json.loads(RunData.objects.get(run=run, key="seen").value)  # type: ignore[no-any-return]


def _finished(playbook: Any, container: Container, count: int) -> list[PlaybookRun]:
    """Start `count` runs, drain them in batches and return them, each successful."""
    runs = [start_run(playbook, container, scope="all") for _ in range(count)]
    worker.drain()
    for run in runs:
        run.refresh_from_db()
        assert run.status == "success", run.message
    return runs


def test_a_step_sees_what_an_earlier_step_of_the_same_batch_changed(container: Container) -> None:
    Container.objects.filter(pk=container.pk).update(severity="high")
    playbook = python_playbook("severity", SEVERITY)
    first, second = start_run(playbook, container, scope="all"), start_run(playbook, container, scope="all")
    assert worker.run_batch(limit=16) == (2 if connection.vendor == "sqlite" else 1)
    worker.drain()
    assert _seen(first) == ["high", 0]
    assert _seen(second) == ["low", 1]
    assert Container.objects.get(pk=container.pk).severity == "low"


def test_a_step_undone_in_a_batch_leaves_no_stale_reads_for_the_next(container: Container,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    Container.objects.filter(pk=container.pk).update(severity="high")
    playbook = python_playbook("severity", SEVERITY)
    runs = [start_run(playbook, container, scope="all") for _ in range(3)]
    doomed = RunStep.objects.get(run=runs[0], kind="start")
    original = outcomes.maybe_finish

    def broken(ctx: Any) -> None:
        if ctx.step.pk == doomed.pk:
            # After it changed the severity and added an artifact, and read both back.
            ctx.invalidate_container()
            assert ctx.container()["severity"] == "low"
            assert len(RunDataSource(ctx).artifacts("all")) == 1
            raise RuntimeError("undone")
        original(ctx)

    monkeypatch.setattr(outcomes, "maybe_finish", broken)
    worker.drain()
    assert [PlaybookRun.objects.get(pk=r.pk).status for r in runs] == ["failed", "success", "success"]
    # The undone step's change is gone, so the next run sees the original container.
    assert _seen(runs[1]) == ["high", 0]
    assert _seen(runs[2]) == ["low", 1]


DISABLES_ITS_ASSET = '''
import phantom.rules as phantom
from engine.models import Asset

def on_start(container):
    phantom.act("geolocate ip", parameters=[{"ip": "1.1.1.1"}], assets=["maxmind"], callback=first_done, name="first")

def first_done(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    Asset.objects.filter(name="maxmind").update(disabled=True)
    phantom.act("geolocate ip", parameters=[{"ip": "8.8.8.8"}], assets=["maxmind"], name="second")

def on_finish(container, summary):
    pass
'''


def test_an_action_sees_an_asset_an_earlier_step_of_the_same_batch_disabled(
        geo_assets: list[Asset], container: Container) -> None:  # noqa: F811
    run = start_run(python_playbook("disables", DISABLES_ITS_ASSET), container)
    worker.drain()
    by_name = dict(ActionRun.objects.filter(playbook_run=run).values_list("name", "status"))
    assert by_name == {"first": "success", "second": "failed"}
    second = ActionRun.objects.get(playbook_run=run, name="second")
    assert "asset 'maxmind' does not exist or is disabled" in second.message


CHAINED_ACTIONS = '''
import json
import phantom.rules as phantom

def on_start(container):
    phantom.act("geolocate ip", parameters=[{"ip": "1.1.1.1"}], assets=["maxmind"], callback=first_done, name="first")
    phantom.act("geolocate ip", parameters=[{"ip": "2.2.2.2"}], assets=["maxmind"], callback=other_done, name="other")

def first_done(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    # Playbook code may change what it receives: the next step must not see it.
    results[0]["status"] = "tampered"
    phantom.get_summary()["result"][0]["app_runs"][0]["summary"]["tampered"] = True
    phantom.act("geolocate ip", parameters=[{"ip": "8.8.8.8"}], assets=["maxmind"], callback=second_done, name="second")

def other_done(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    phantom.save_run_data(key="other", value=json.dumps([r["status"] for r in results]))

def second_done(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    ips = phantom.collect2(container=container, datapath=["second:action_result.parameter.ip"], action_results=results)
    phantom.save_run_data(key="second", value=json.dumps([action["name"], [r["status"] for r in results], ips]))
    # on_finish shares this step's read: it must not see this.
    phantom.get_summary()["result"][2]["app_runs"][0]["summary"]["tampered"] = True

def on_finish(container, summary):
    phantom.save_run_data(key="summary", value=json.dumps([
        (a["name"], [r["summary"].get("tampered") for r in a["app_runs"]]) for a in json.loads(summary)["result"]]))
'''


def test_callbacks_of_a_run_share_one_read_of_its_action_results_until_an_action_writes(
        geo_assets: list[Asset], container: Container, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from engine.execution import results

    reads: list[int] = []
    original = results._read_rows

    def counting(run_id: int) -> Any:
        reads.append(run_id)
        return original(run_id)

    monkeypatch.setattr(results, "_read_rows", counting)
    run = start_run(python_playbook("chained", CHAINED_ACTIONS), container)
    worker.drain()
    run.refresh_from_db()
    assert run.status == "success", run.message
    data = {d.key: json.loads(d.value) for d in RunData.objects.filter(run=run)}
    # second_done ran after "second" was recorded in the same batch: it sees it.
    assert data["second"] == ["second", ["success"], [["8.8.8.8"]]]
    assert data["other"] == ["success"]
    assert data["summary"] == [["first", [None]], ["other", [None]], ["second", [None]]]
    if connection.vendor == "sqlite":
        # first_done reads; its new action makes other_done read again; recording
        # "second" makes second_done read again; on_finish shares second_done's read.
        assert len(reads) == 3


CHANGES_WHAT_IT_GETS = '''
import json
import phantom.rules as phantom

def on_start(container):
    seen = [container["severity"], sorted(container["tags"]), container["data"].get("k")]
    container["severity"] = "changed"
    container["tags"].append("changed")
    container["data"]["k"] = "changed"
    for row in phantom.collect2(container=container, datapath=["artifact:*.cef"], scope="all"):
        row[0]["sourceAddress"] = "changed"
    rows = phantom.collect2(container=container, datapath=["artifact:*.cef.sourceAddress"], scope="all")
    phantom.save_run_data(key="seen", value=json.dumps([seen, rows]))

def on_finish(container, summary):
    pass
'''


def test_what_a_step_changes_in_the_dicts_it_got_is_not_what_the_next_step_gets(container: Container) -> None:
    from engine.artifacts import create_artifact

    Container.objects.filter(pk=container.pk).update(tags=["t"], data={"k": "v"})
    create_artifact(container, {"name": "a", "label": "event", "source_data_identifier": "s1",
                                "cef": {"sourceAddress": "10.0.0.1"}})
    for run in _finished(python_playbook("changes", CHANGES_WHAT_IT_GETS), container, 2):
        assert _seen(run) == [[container.severity, ["t"], "v"], [["10.0.0.1"]]]


THREE_PARENTS = '''
import json
import phantom.rules as phantom

def on_start(container):
    for name in ("geo_a", "geo_b", "geo_c"):
        phantom.act("geolocate ip", parameters=[{"ip": "1.1.1.1"}], assets=["maxmind"], callback=join_report, name=name)

def join_report(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    if phantom.completed(action_names=["geo_a", "geo_b", "geo_c"]):
        done = json.loads(phantom.get_run_data(key="reports") or "0") + 1
        phantom.save_run_data(key="reports", value=json.dumps(done))

def on_finish(container, summary):
    pass
'''


def test_a_join_in_a_batch_fires_once_and_asks_the_database_only_when_the_batch_cannot_tell(
        geo_assets: list[Asset], container: Container, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from engine.execution import rows

    asked: list[str] = []
    execute = rows.RawCursor.execute

    def recording(self: Any, sql: str, params: Any = ()) -> None:
        if sql.startswith('SELECT "action_run_id" FROM "engine_runstep"'):
            asked.append(sql)
        execute(self, sql, params)

    monkeypatch.setattr(rows.RawCursor, "execute", recording)
    runs = _finished(python_playbook("three_parents", THREE_PARENTS), container, 3)
    for run in runs:
        assert RunData.objects.get(run=run, key="reports").value == "1"
    if connection.vendor == "sqlite":
        # The first two callbacks of each run see the others' callback steps this batch
        # enqueued and still holds pending; only the last must ask.
        assert len(asked) == len(runs)
    else:
        assert len(asked) == 3 * len(runs)
