"""phantom.act and its callback, exactly as the callbacks seed describes them."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from engine.apps.catalogue import parse_app
from engine.catalogue import sync_app
from engine.models import ActionRun, AppRun, Asset, Container, PlaybookRun, RunData
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db(transaction=True)
Runner = Callable[..., PlaybookRun]

GEO_APP = {
    "appid": "6a0bc6a2-0000-4000-8000-00000000ge01", "name": "GeoTest", "app_version": "1.0.0",
    "product_vendor": "Test", "product_name": "Geo", "description": "test geolocation", "configuration": {},
    "actions": [{
        "action": "geolocate ip", "identifier": "geolocate_ip", "description": "Locate an IP", "type": "investigate",
        "read_only": True, "versions": "EQ(*)",
        "parameters": {"ip": {"data_type": "string", "required": True, "contains": ["ip"], "description": "IP"}},
        "output": [
            {"data_path": "action_result.data.*.country_name", "data_type": "string", "example_values": ["Australia"]},
            {"data_path": "action_result.parameter.ip", "data_type": "string", "example_values": ["1.1.1.1"]},
            {"data_path": "action_result.status", "data_type": "string", "example_values": ["success"]},
        ],
    }],
}


@pytest.fixture
def geo_assets(container: Container) -> list[Asset]:
    app, _ = sync_app(parse_app(GEO_APP))
    ok = Asset.objects.create(name="maxmind", app=app)
    broken = Asset.objects.create(name="maxmind_backup", app=app, simulator_overrides={
        "geolocate ip": {"status": "failed", "message": "quota exceeded"}})
    return [ok, broken]


CALLBACK = '''
import json
import phantom.rules as phantom

def on_start(container):
    phantom.act("geolocate ip", parameters=[{"ip": "1.1.1.1"}, {"ip": "8.8.8.8"}], assets=ASSETS,
                callback=geo_cb, name="geolocate_ip_1", handle={"why": "triage"})

def geo_cb(action=None, success=None, container=None, results=None, handle=None, filtered_artifacts=None,
           filtered_results=None, custom_function=None, **kwargs):
    seen = json.loads(phantom.get_run_data(key="calls") or "[]")
    seen.append({"action": action, "success": success, "container": container["id"], "results": results,
                 "handle": handle, "filtered_artifacts": filtered_artifacts, "filtered_results": filtered_results,
                 "custom_function": custom_function})
    phantom.save_run_data(key="calls", value=json.dumps(seen))

def on_finish(container, summary):
    pass
'''


def calls(run: PlaybookRun) -> list[dict[str, Any]]:
    return json.loads(RunData.objects.get(run=run, key="calls").value)  # type: ignore[no-any-return]


def run_with(assets: list[str], container: Container, run_to_end: Runner) -> PlaybookRun:
    source = CALLBACK.replace("ASSETS", json.dumps(assets))
    run = run_to_end(python_playbook("geo", source), container)
    assert run.status == "success", run.message
    return run


def test_the_callback_runs_once_after_every_asset_and_parameter_set(geo_assets: list[Asset], container: Container,
                                                                     run_to_end: Runner) -> None:
    run = run_with(["maxmind", "maxmind_backup"], container, run_to_end)
    assert len(calls(run)) == 1
    action_run = ActionRun.objects.get(playbook_run=run)
    assert AppRun.objects.filter(action_run=action_run).count() == 2
    assert all(len(a.result_data) == 2 for a in AppRun.objects.filter(action_run=action_run))


def test_the_action_kwarg_names_the_action_run(geo_assets: list[Asset], container: Container, run_to_end: Runner) -> None:
    run = run_with(["maxmind"], container, run_to_end)
    action = calls(run)[0]["action"]
    action_run = ActionRun.objects.get(playbook_run=run)
    assert action["action_run_id"] == action_run.pk
    assert action["action_name"] == action["action"] == "geolocate ip" and action["name"] == "geolocate_ip_1"


def test_the_container_kwarg_is_the_container(geo_assets: list[Asset], container: Container, run_to_end: Runner) -> None:
    assert calls(run_with(["maxmind"], container, run_to_end))[0]["container"] == container.pk


def test_the_results_kwarg_is_shaped_like_the_seed(geo_assets: list[Asset], container: Container, run_to_end: Runner) -> None:
    results = calls(run_with(["maxmind"], container, run_to_end))[0]["results"]
    assert len(results) == 1
    app_run = results[0]
    for key in ("asset_id", "status", "name", "app", "action_results", "app_id", "summary", "asset", "action",
                "message", "app_run_id", "action_run_id"):
        assert key in app_run, key
    assert app_run["asset"] == "maxmind" and app_run["app"] == "GeoTest" and app_run["name"] == "geolocate_ip_1"
    assert app_run["summary"] == {"total_objects": 2, "total_objects_successful": 2}
    first = app_run["action_results"][0]
    assert first["status"] == "success" and first["parameter"]["ip"] == "1.1.1.1"
    assert first["data"] and "country_name" in first["data"][0]
    assert "'geolocate_ip_1' on asset 'maxmind'" in app_run["message"]


def test_the_handle_is_passed_through_untouched(geo_assets: list[Asset], container: Container, run_to_end: Runner) -> None:
    assert calls(run_with(["maxmind"], container, run_to_end))[0]["handle"] == {"why": "triage"}


def test_filtered_kwargs_are_empty_and_custom_function_is_none_after_an_action(
        geo_assets: list[Asset], container: Container, run_to_end: Runner) -> None:
    call = calls(run_with(["maxmind"], container, run_to_end))[0]
    assert call["filtered_artifacts"] == [] and call["filtered_results"] == [] and call["custom_function"] is None


def test_success_is_true_when_any_asset_succeeded(geo_assets: list[Asset], container: Container, run_to_end: Runner) -> None:
    assert calls(run_with(["maxmind", "maxmind_backup"], container, run_to_end))[0]["success"] is True


def test_success_is_false_only_when_every_asset_and_parameter_set_failed(
        geo_assets: list[Asset], container: Container, run_to_end: Runner) -> None:
    call = calls(run_with(["maxmind_backup"], container, run_to_end))[0]
    assert call["success"] is False
    assert call["results"][0]["action_results"][0]["message"] == "quota exceeded"


def test_an_action_on_an_unknown_asset_fails_with_a_clear_message(geo_assets: list[Asset], container: Container,
                                                                  run_to_end: Runner) -> None:
    run = run_with(["nope"], container, run_to_end)
    assert calls(run)[0]["success"] is False
    assert "asset 'nope' does not exist" in ActionRun.objects.get(playbook_run=run).message


JOIN = '''
import json
import phantom.rules as phantom

def on_start(container):
    phantom.act("geolocate ip", parameters=[{"ip": "1.1.1.1"}], assets=["maxmind"], callback=join_report, name="geo_a")
    phantom.act("geolocate ip", parameters=[{"ip": "2.2.2.2"}], assets=["maxmind"], callback=join_report, name="geo_b")

def join_report(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    attempts = json.loads(phantom.get_run_data(key="join_attempts") or "0") + 1
    phantom.save_run_data(key="join_attempts", value=json.dumps(attempts))
    if phantom.completed(action_names=["geo_a", "geo_b"]):
        report(container=container)

def report(container=None, **kwargs):
    done = json.loads(phantom.get_run_data(key="reports") or "0") + 1
    phantom.save_run_data(key="reports", value=json.dumps(done))

def on_finish(container, summary):
    pass
'''


def test_a_join_waits_for_all_its_parents(geo_assets: list[Asset], container: Container, run_to_end: Runner) -> None:
    run = run_to_end(python_playbook("join", JOIN), container)
    assert run.status == "success", run.message
    assert RunData.objects.get(run=run, key="join_attempts").value == "2"
    assert RunData.objects.get(run=run, key="reports").value == "1"


def test_the_run_summary_lists_every_action(geo_assets: list[Asset], container: Container, run_to_end: Runner) -> None:
    source = JOIN.replace("def on_finish(container, summary):\n    pass",
                          "def on_finish(container, summary):\n    phantom.save_run_data(key='summary', value=summary)")
    run = run_to_end(python_playbook("join", source), container)
    summary = json.loads(RunData.objects.get(run=run, key="summary").value)
    assert [r["name"] for r in summary["result"]] == ["geo_a", "geo_b"]
