"""SOAR's App endpoints: installing an app by POSTing its bundle, the app record's fields
(publisher, app_version, python_version, disabled), `/rest/app/<id>/actions`,
`/rest/app_action` and `/rest/build_action`."""
from __future__ import annotations

import base64
import io
import json
import tarfile
from typing import Any

import pytest

from engine.models import App, AppAction, Asset, AuditEntry
from tests.catalogue.helpers import SHARED_APPS

pytestmark = pytest.mark.django_db

APP_JSON: dict[str, Any] = {
    "appid": "0c1d2e3f-0000-4000-8000-00000000bd01", "name": "Bundle Test", "app_version": "1.2.3",
    "product_vendor": "Acme", "product_name": "Intel", "publisher": "Acme Corp", "python_version": "3.9",
    "type": "reputation", "main_module": "acme_connector.py", "min_phantom_version": "6.0.0",
    "product_version_regex": ".*", "license": "Copyright (c) Acme", "package_name": "phantom_acme",
    "description": "An app from a bundle",
    "configuration": {"api_key": {"data_type": "password", "required": True}},
    "actions": [
        {"action": "ip reputation", "identifier": "ip_reputation", "description": "Reputation of an IP",
         "type": "investigate", "read_only": True,
         "parameters": {"ip": {"data_type": "string", "required": True, "contains": ["ip"]}}, "output": []},
        {"action": "block ip", "identifier": "block_ip", "description": "Block an IP", "type": "contain",
         "read_only": False, "parameters": {"ip": {"data_type": "string", "required": True}}, "output": []},
    ],
}


def tgz(app: dict[str, Any]) -> bytes:
    """An app bundle as SOAR installs it: a tarball holding the app folder with its JSON."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, payload in (("acme/acme.json", json.dumps(app).encode()),
                              ("acme/acme_connector.py", b"# connector\n")):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return out.getvalue()


def install(rest: Any, app: dict[str, Any] = APP_JSON) -> Any:
    return rest.post("/rest/app", {"app": base64.b64encode(tgz(app)).decode()}, format="json")


def test_posting_a_base64_bundle_installs_the_app(rest: Any) -> None:
    response = install(rest)
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["success"] is True and answer["message"] == "App successfully imported."
    app = App.objects.get(pk=answer["id"])
    assert app.appid == APP_JSON["appid"] and app.version == "1.2.3"
    assert set(AppAction.objects.filter(app=app).values_list("name", flat=True)) == {"ip reputation", "block ip"}
    assert AuditEntry.objects.filter(object_type="app", object_id=app.pk, action="create").exists()


def test_posting_a_newer_bundle_updates_the_installed_app(rest: Any) -> None:
    first = install(rest).json()["id"]
    newer = {**APP_JSON, "app_version": "1.3.0", "actions": APP_JSON["actions"][:1]}
    again = install(rest, newer).json()
    assert again["id"] == first
    assert App.objects.get(pk=first).version == "1.3.0"
    assert list(AppAction.objects.filter(app_id=first).values_list("name", flat=True)) == ["ip reputation"]


def test_the_app_json_alone_base64_encoded_installs_too(rest: Any) -> None:
    payload = base64.b64encode(json.dumps({**APP_JSON, "appid": "0c1d2e3f-0000-4000-8000-00000000bd02"}).encode())
    assert rest.post("/rest/app", {"app": payload.decode()}, format="json").status_code == 200


@pytest.mark.parametrize(("app", "words"), [
    (None, "required"),
    ("%%% not base64 %%%", "App install failed"),
    (base64.b64encode(b"not an app at all").decode(), "App install failed"),
    (base64.b64encode(tgz({**APP_JSON, "actions": "none"})).decode(), "actions"),
])
def test_a_bad_bundle_is_a_400_naming_the_app_field(rest: Any, app: Any, words: str) -> None:
    response = rest.post("/rest/app", {"app": app} if app is not None else {}, format="json")
    assert response.status_code == 400
    assert response.json()["failed"] is True
    assert "'app'" in response.json()["message"] and words in response.json()["message"]
    assert not App.objects.filter(appid=APP_JSON["appid"]).exists()


def test_only_an_admin_installs_apps(rest_as: Any, editor: Any, analyst: Any) -> None:
    for user in (editor, analyst):
        assert install(rest_as(user)).status_code == 403
    assert not App.objects.filter(appid=APP_JSON["appid"]).exists()


def test_an_app_carries_soars_fields_from_its_json(rest: Any) -> None:
    app_id = install(rest).json()["id"]
    record = rest.get(f"/rest/app/{app_id}").json()
    assert record["publisher"] == "Acme Corp" and record["app_version"] == "1.2.3"
    assert record["python_version"] == "3.9" and record["disabled"] is False
    assert record["type"] == "reputation" and record["main_module"] == "acme_connector.py"
    assert record["product_vendor"] == "Acme" and record["product_name"] == "Intel"
    assert "app" not in record


def test_an_app_is_disabled_and_enabled_by_an_update(rest: Any) -> None:
    app_id = install(rest).json()["id"]
    assert rest.post(f"/rest/app/{app_id}", {"disabled": True}, format="json").status_code == 200
    assert App.objects.get(pk=app_id).disabled is True
    assert rest.get("/rest/app?_filter_disabled=true").json()["count"] == 1
    refused = rest.post(f"/rest/app/{app_id}", {"name": "renamed"}, format="json")
    assert refused.status_code == 400 and "'name'" in refused.json()["message"]


def test_the_apps_actions_are_listed_under_the_app(rest: Any) -> None:
    app_id = install(rest).json()["id"]
    listed = rest.get(f"/rest/app/{app_id}/actions").json()
    assert listed["count"] == 2
    assert {row["action"] for row in listed["data"]} == {"ip reputation", "block ip"}
    assert all(row["app"] == app_id for row in listed["data"])
    assert rest.get("/rest/app/999999/actions").status_code == 404
    every = rest.get(f"/rest/app_action?_filter_app={app_id}&page_size=0").json()
    assert every["count"] == 2 and "parameters" in every["data"][0]


def test_build_action_lists_the_assets_that_can_run_an_action(rest: Any) -> None:
    app_id = install(rest).json()["id"]
    app = App.objects.get(pk=app_id)
    Asset.objects.create(name="acme_intel", app=app)
    Asset.objects.create(name="acme_off", app=app, disabled=True)
    built = rest.get("/rest/build_action?action=block ip").json()
    assert [(a["name"], a["apps"]) for a in built["assets"]] == [("acme_intel", [app_id])]
    assert [(app["id"], app["publisher"], app["actions"]) for app in built["apps"]] == [(app_id, "Acme Corp",
                                                                                         ["block ip"])]
    assert [(a["action"], a["app"]) for a in built["actions"]] == [("block ip", app_id)]
    assert rest.get("/rest/build_action?action=no such action").json() == {"apps": [], "actions": [], "assets": []}
    everything = rest.get("/rest/build_action").json()
    assert "acme_intel" in {a["name"] for a in everything["assets"]}
    assert {"ip reputation", "block ip"} <= {a["action"] for a in everything["actions"]}
    assert "configuration" not in str(everything["assets"])


@pytest.mark.skipif(not SHARED_APPS.is_dir(), reason=f"shared SOAR apps not found at {SHARED_APPS}")
def test_real_soar_apps_install_from_their_bundle_and_show_their_json_fields(rest: Any) -> None:
    for name in ("censys.json", "cisco_umbrella.json", "aws_iam.json"):
        app = json.loads((SHARED_APPS / name).read_text())
        answer = install(rest, app)
        assert answer.status_code == 200, (name, answer.json())
        record = rest.get(f"/rest/app/{answer.json()['id']}").json()
        assert (record["appid"], record["publisher"], record["app_version"], record["python_version"]) == (
            app["appid"], app["publisher"], app["app_version"], app["python_version"])
        assert rest.get(f"/rest/app/{record['id']}/actions?page_size=0").json()["count"] == len(app["actions"])
