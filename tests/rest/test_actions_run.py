"""SOAR's Run Action endpoints: `POST /rest/action_run` runs the action through the engine;
the action run, its app runs (`/rest/action_run/<id>/app_runs`, `/rest/app_run`) show
its status and results."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.apps.catalogue import parse_app
from engine.catalogue import sync_app
from engine.models import ActionRun, App, AppRun, Asset, AuditEntry, Container

pytestmark = pytest.mark.django_db

GEO_APP = {
    "appid": "6a0bc6a2-0000-4000-8000-0000000rest01", "name": "GeoRest", "app_version": "2.1.0",
    "product_vendor": "Test Vendor", "product_name": "Geo", "publisher": "Tests", "python_version": "3.9",
    "type": "information", "description": "test geolocation",
    "configuration": {"api_key": {"data_type": "password", "required": False}},
    "actions": [{
        "action": "geolocate ip", "identifier": "geolocate_ip", "description": "Locate an IP", "type": "investigate",
        "read_only": True, "versions": "EQ(*)",
        "parameters": {"ip": {"data_type": "string", "required": True, "contains": ["ip"], "description": "IP"}},
        "output": [
            {"data_path": "action_result.data.*.country_name", "data_type": "string", "example_values": ["Australia"]},
            {"data_path": "action_result.status", "data_type": "string", "example_values": ["success"]},
        ],
    }],
}


@pytest.fixture
def geo_app(db: Any) -> App:
    return sync_app(parse_app(GEO_APP))[0]


@pytest.fixture
def maxmind(geo_app: App) -> Asset:
    from engine.assets import store_configuration

    asset = Asset(name="maxmind", app=geo_app)
    store_configuration(asset, {"api_key": "very-secret-key-123"})
    asset.save()
    return asset


@pytest.fixture
def case(make_container: Callable[..., Container]) -> Container:
    return make_container(name="phish")


def body(container: Container, **extra: Any) -> dict[str, Any]:
    return {"action": "geolocate ip", "container_id": container.pk, "name": "locate",
            "targets": [{"assets": ["maxmind"], "parameters": [{"ip": "1.1.1.1"}, {"ip": "8.8.8.8"}]}], **extra}


def test_posting_an_action_run_runs_it_and_answers_its_id(rest: Any, case: Container, maxmind: Asset) -> None:
    response = rest.post("/rest/action_run", body(case), format="json")
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["success"] is True and isinstance(answer["action_run_id"], int)
    run = rest.get(f"/rest/action_run/{answer['action_run_id']}").json()
    assert run["status"] == "success" and run["container"] == case.pk and run["playbook_run"] is None
    assert run["action"] == "geolocate ip" and run["name"] == "locate" and run["type"] == "investigate"
    [app_run] = run["app_runs"]
    assert app_run["asset"] == maxmind.pk and app_run["status"] == "success"
    assert [r["parameter"]["ip"] for r in app_run["result_data"]] == ["1.1.1.1", "8.8.8.8"]


def test_the_targets_name_assets_by_id_and_the_app_by_id_or_appid(rest: Any, case: Container, maxmind: Asset,
                                                                   geo_app: App) -> None:
    for app_ref in (geo_app.pk, geo_app.appid, str(geo_app.pk)):
        answer = rest.post("/rest/action_run", body(case, targets=[
            {"assets": [maxmind.pk], "parameters": [{"ip": "1.1.1.1"}], "app_id": app_ref}]), format="json").json()
        assert ActionRun.objects.get(pk=answer["action_run_id"]).status == "success"


def test_without_assets_every_enabled_asset_of_the_app_runs_it(rest: Any, case: Container, maxmind: Asset,
                                                               geo_app: App) -> None:
    Asset.objects.create(name="maxmind_off", app=geo_app, disabled=True)
    answer = rest.post("/rest/action_run", body(case, targets=[
        {"parameters": [{"ip": "1.1.1.1"}], "app_id": geo_app.pk}]), format="json").json()
    assert list(AppRun.objects.filter(action_run_id=answer["action_run_id"]).values_list("asset__name", flat=True)) \
        == ["maxmind"]


def test_the_app_runs_list_and_detail_show_the_results(rest: Any, case: Container, maxmind: Asset) -> None:
    run_id = rest.post("/rest/action_run", body(case), format="json").json()["action_run_id"]
    listed = rest.get(f"/rest/action_run/{run_id}/app_runs").json()
    assert listed["count"] == 1
    app_run_id = listed["data"][0]["id"]
    detail = rest.get(f"/rest/app_run/{app_run_id}").json()
    assert detail["action"] == "geolocate ip" and detail["action_run"] == run_id and detail["asset"] == maxmind.pk
    assert detail["app_name"] == "GeoRest" and detail["asset_name"] == "maxmind"
    assert len(detail["result_data"]) == 2 and detail["result_summary"]["total_objects"] == 2
    assert rest.get(f"/rest/app_run?_filter_action_run={run_id}").json()["count"] == 1


def test_the_posted_action_run_is_in_the_audit_trail(rest: Any, case: Container, maxmind: Asset) -> None:
    run_id = rest.post("/rest/action_run", body(case), format="json").json()["action_run_id"]
    entry = AuditEntry.objects.get(object_type="action_run", object_id=run_id)
    assert entry.action == "create" and entry.container_id == case.pk and entry.username == "owner"


def test_an_asset_secret_echoed_by_the_app_never_reaches_the_results(rest: Any, case: Container,
                                                                     maxmind: Asset) -> None:
    # The simulator echoes the parameters back, as a connector quoting its request would.
    run_id = rest.post("/rest/action_run", body(case, targets=[
        {"assets": ["maxmind"], "parameters": [{"ip": "very-secret-key-123"}]}]), format="json").json()["action_run_id"]
    shown = rest.get(f"/rest/action_run/{run_id}/app_runs").content.decode()
    assert "very-secret-key-123" not in shown and "***" in shown
    assert "very-secret-key-123" not in str(list(AppRun.objects.values_list("result_data", "message")))


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"action": "no such action"}, "action", "no installed app has an action 'no such action'"),
    ({"action": None}, "action", "required"),
    ({"container_id": 999999}, "container_id", "no container with id 999999"),
    ({"container_id": "x"}, "container_id", "required"),
    ({"targets": []}, "targets", "non-empty list"),
    ({"targets": [{"assets": ["nope"], "parameters": [{"ip": "1.1.1.1"}]}]}, "targets[0].assets[0]", "no asset 'nope'"),
    ({"targets": [{"assets": ["maxmind"], "parameters": [{}]}]}, "targets[0].parameters[0]",
     "missing required parameter 'ip'"),
    ({"targets": [{"assets": ["maxmind"], "parameters": "ip=1"}]}, "targets[0].parameters", "list of objects"),
    ({"targets": [{"assets": ["maxmind"], "app_id": 999999}]}, "targets[0].app_id", "no app 999999"),
    ({"targets": [{"parameters": [{"ip": "1.1.1.1"}]}]}, "targets[0].assets", "required unless app_id"),
    ({"colour": "red"}, "colour", "unknown field"),
    ({"exec_delay_secs": -1}, "exec_delay_secs", "whole number of seconds"),
])
def test_a_bad_body_is_a_400_naming_the_field(rest: Any, case: Container, maxmind: Asset, change: dict[str, Any],
                                              field: str, words: str) -> None:
    response = rest.post("/rest/action_run", {**body(case), **change}, format="json")
    assert response.status_code == 400
    assert response.json()["failed"] is True
    assert f"'{field}'" in response.json()["message"] and words in response.json()["message"]
    assert not ActionRun.objects.exists()


def test_an_asset_whose_app_lacks_the_action_is_refused_by_name(rest: Any, case: Container, maxmind: Asset) -> None:
    other = App.objects.get(name="Utilities")
    Asset.objects.create(name="utils", app=other)
    response = rest.post("/rest/action_run", body(case, targets=[
        {"assets": ["utils"], "parameters": [{"ip": "1.1.1.1"}]}]), format="json")
    assert response.status_code == 400
    assert "targets[0].assets[0]" in response.json()["message"]
    assert "does not support the action 'geolocate ip'" in response.json()["message"]


def test_an_asset_of_another_app_than_app_id_is_refused(rest: Any, case: Container, maxmind: Asset) -> None:
    other = App.objects.get(name="Utilities")
    response = rest.post("/rest/action_run", body(case, targets=[
        {"assets": ["maxmind"], "parameters": [{"ip": "1.1.1.1"}], "app_id": other.pk}]), format="json")
    assert response.status_code == 400 and "belongs to app 'GeoRest'" in response.json()["message"]


def test_an_app_whose_stored_definition_is_broken_is_a_400_not_a_500(rest: Any, case: Container) -> None:
    from engine.models import AppAction

    broken = App.objects.create(appid="b0000000-0000-4000-8000-0000000000b1", name="Broken", definition={})
    AppAction.objects.create(app=broken, name="geolocate ip")
    Asset.objects.create(name="broken_asset", app=broken)
    response = rest.post("/rest/action_run", body(case, targets=[
        {"assets": ["broken_asset"], "parameters": [{"ip": "1.1.1.1"}]}]), format="json")
    assert response.status_code == 400 and "install the app again" in response.json()["message"]


def test_a_disabled_app_runs_no_action(rest: Any, case: Container, maxmind: Asset, geo_app: App) -> None:
    geo_app.disabled = True
    geo_app.save()
    response = rest.post("/rest/action_run", body(case), format="json")
    assert response.status_code == 400 and "is disabled" in response.json()["message"]


def test_a_viewer_cannot_run_an_action_and_an_analyst_can(rest_as: Any, viewer: Any, analyst: Any, case: Container,
                                                          maxmind: Asset) -> None:
    assert rest_as(viewer).post("/rest/action_run", body(case), format="json").status_code == 403
    answer = rest_as(analyst).post("/rest/action_run", body(case), format="json")
    assert answer.status_code == 200
    assert ActionRun.objects.get(pk=answer.json()["action_run_id"]).owner == analyst


def test_an_outsider_without_a_role_sees_no_action_run(rest: Any, rest_as: Any, outsider: Any, case: Container,
                                                       maxmind: Asset) -> None:
    run_id = rest.post("/rest/action_run", body(case), format="json").json()["action_run_id"]
    client = rest_as(outsider)
    assert client.get(f"/rest/action_run/{run_id}").status_code in (403, 404)
    assert client.get(f"/rest/action_run/{run_id}/app_runs").status_code in (403, 404)
    assert client.get("/rest/app_run").status_code in (403, 404)


def test_app_runs_cannot_be_posted_changed_or_deleted(rest: Any, case: Container, maxmind: Asset) -> None:
    run_id = rest.post("/rest/action_run", body(case), format="json").json()["action_run_id"]
    app_run = AppRun.objects.get(action_run_id=run_id)
    assert rest.post("/rest/app_run", {"status": "success"}, format="json").status_code == 405
    assert rest.post(f"/rest/app_run/{app_run.pk}", {"status": "failed"}, format="json").status_code == 405
    assert rest.delete(f"/rest/app_run/{app_run.pk}").status_code == 405
    assert AppRun.objects.get(pk=app_run.pk).status == "success"


def test_an_action_run_is_changed_only_by_cancelling_it(rest: Any, case: Container, maxmind: Asset) -> None:
    run_id = rest.post("/rest/action_run", body(case), format="json").json()["action_run_id"]
    refused = rest.post(f"/rest/action_run/{run_id}", {"status": "failed"}, format="json")
    assert refused.status_code == 400 and "cancel" in refused.json()["message"]
    ended = rest.post(f"/rest/action_run/{run_id}", {"cancel": True}, format="json")
    assert ended.status_code == 409 and "success" in ended.json()["message"]
    assert ActionRun.objects.get(pk=run_id).status == "success"


def test_a_delayed_action_waits_and_can_be_cancelled_until_it_starts(rest: Any, case: Container,
                                                                     maxmind: Asset) -> None:
    from engine.execution.adhoc import run_adhoc_action

    run_id = rest.post("/rest/action_run", body(case, exec_delay_secs=60), format="json").json()["action_run_id"]
    assert rest.get(f"/rest/action_run/{run_id}").json()["status"] == "pending"
    assert not AppRun.objects.filter(action_run_id=run_id).exists()
    assert rest.post(f"/rest/action_run/{run_id}", {"cancel": True}, format="json").status_code == 200
    assert ActionRun.objects.get(pk=run_id).status == "cancelled"
    assert run_adhoc_action.call(run_id) == "not claimed"
    assert not AppRun.objects.filter(action_run_id=run_id).exists()


def test_only_an_ended_action_run_is_deleted(rest: Any, case: Container, maxmind: Asset) -> None:
    waiting = rest.post("/rest/action_run", body(case, exec_delay_secs=60), format="json").json()["action_run_id"]
    refused = rest.delete(f"/rest/action_run/{waiting}")
    assert refused.status_code == 409 and "pending" in refused.json()["message"]
    done = rest.post("/rest/action_run", body(case), format="json").json()["action_run_id"]
    assert rest.delete(f"/rest/action_run/{done}").status_code == 200
    assert list(ActionRun.objects.values_list("pk", flat=True)) == [waiting]
    assert AuditEntry.objects.filter(object_type="action_run", object_id=done, action="delete").exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_connector_action_runs_in_a_task_of_the_engine(owner: Any) -> None:
    from engine.execution.worker import drain
    from tests.conftest import token_client

    container = Container.objects.create(name="case", label="events")
    Asset.objects.create(name="utils", app=App.objects.get(name="Utilities"))
    answer = token_client(owner).post("/rest/action_run", {
        "action": "hash text", "container_id": container.pk, "name": "hash it",
        "targets": [{"assets": ["utils"], "parameters": [{"text": "abc", "algorithm": "sha256"}]}]},
        format="json").json()
    run_id = answer["action_run_id"]
    drain(until=lambda: ActionRun.objects.get(pk=run_id).status in ("success", "failed"), idle_timeout=20)
    run = ActionRun.objects.get(pk=run_id)
    assert run.status == "success", run.message
    [app_run] = AppRun.objects.filter(action_run=run)
    assert app_run.simulated is False
    assert "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" in str(app_run.result_data)
