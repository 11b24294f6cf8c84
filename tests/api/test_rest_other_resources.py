"""The rest of the SOAR REST core: notes, custom lists, playbooks, custom functions,
apps, assets (with write-only secrets) and runs."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from editor.models import Playbook
from engine.models import App, Asset, Container
from tests.editor.fixtures import GRAPH

pytestmark = pytest.mark.django_db

RESOURCES = ["container", "artifact", "playbook", "playbook_run", "action_run", "app", "asset",
             "decided_list", "note", "custom_function"]


@pytest.mark.parametrize("name", RESOURCES)
def test_every_core_resource_lists_in_the_soar_envelope(api: APIClient, name: str) -> None:
    response = api.get(f"/rest/{name}")
    assert response.status_code == 200
    assert set(response.json()) == {"count", "num_pages", "data"}


def test_a_note_is_attached_to_a_container_and_marks_its_artifact(api: APIClient) -> None:
    body = api.post("/rest/container", {"name": "c", "artifacts": [{"name": "a", "cef": {}}]}, format="json").json()
    art_id = body["artifacts"][0]["id"]
    note = api.post("/rest/note", {"container": body["id"], "artifact": art_id, "title": "t", "content": "**md**",
                                   "note_type": "artifact"}, format="json").json()
    assert note["success"] is True
    read = api.get(f"/rest/note/{note['id']}").json()
    assert read["author"] == "owner" and read["container_id"] == body["id"]
    assert api.get(f"/rest/artifact/{art_id}").json()["has_note"] is True


def test_a_note_refuses_an_artifact_of_another_container(api: APIClient) -> None:
    a = api.post("/rest/container", {"name": "a", "artifacts": [{"name": "x", "cef": {}}]}, format="json").json()
    b = api.post("/rest/container", {"name": "b"}, format="json").json()
    response = api.post("/rest/note", {"container": b["id"], "artifact": a["artifacts"][0]["id"]}, format="json")
    assert response.status_code == 400 and "artifact" in response.json()["message"]


def test_a_custom_list_holds_rows_of_cells(api: APIClient) -> None:
    created = api.post("/rest/decided_list", {"name": "blocked", "content": [["1.2.3.4", "c2"]]}, format="json").json()
    assert api.get(f"/rest/decided_list/{created['id']}").json()["content"] == [["1.2.3.4", "c2"]]
    response = api.post("/rest/decided_list", {"name": "bad", "content": ["not a row"]}, format="json")
    assert response.status_code == 400 and "content" in response.json()["message"]


def test_a_playbook_is_created_from_its_soar_json_and_read_back_whole(api: APIClient) -> None:
    doc = {"category": "Triage", "labels": ["events"], "tags": ["demo"], "coa": {
        "data": {"description": "d", "notes": "n", "nodes": {}, "edges": []},
        "playbook_type": "automation", "input_spec": None, "output_spec": None}}
    created = api.post("/rest/playbook", {"name": "triage", "json": doc}, format="json").json()
    body = api.get(f"/rest/playbook/{created['id']}").json()
    assert body["json"] == doc and body["category"] == "Triage" and body["labels"] == ["events"]
    assert body["latest_version"] == 1 and body["description"] == "d"
    assert "json" not in api.get("/rest/playbook").json()["data"][0]
    assert Playbook.objects.get(pk=created["id"]).versions.count() == 1


@pytest.mark.parametrize("name", ["a/b", "x\ny", "", "z" * 300])
def test_a_playbook_name_with_path_characters_is_refused(api: APIClient, name: str) -> None:
    response = api.post("/rest/playbook", {"name": name, "json": {"coa": {}}}, format="json")
    assert response.status_code == 400 and "name" in response.json()["message"]


def test_a_playbook_is_activated_by_a_post_to_its_url(api: APIClient) -> None:
    # A valid playbook: activating one with errors is refused (test_every_way_of_activating_...).
    pid = api.post("/rest/playbook", {"name": "p", "json": GRAPH}, format="json").json()["id"]
    assert api.post(f"/rest/playbook/{pid}", {"active": True}, format="json").json()["success"]
    assert api.get('/rest/playbook?_filter_active=true').json()["count"] == 1


def test_a_custom_function_name_must_be_an_identifier(api: APIClient) -> None:
    ok = api.post("/rest/custom_function", {"name": "list_merge", "python": "def list_merge(**kw):\n    return {}\n"},
                  format="json")
    assert ok.json()["success"]
    bad = api.post("/rest/custom_function", {"name": "__import__('os')"}, format="json")
    assert bad.status_code == 400 and "name" in bad.json()["message"]


@pytest.fixture
def http_app() -> App:
    return App.objects.create(appid="a0000000-0000-4000-8000-000000000001", name="HTTP", version="1.0",
                              configuration={"base_url": {"data_type": "string"},
                                             "auth_token": {"data_type": "password"}})


def test_an_asset_secret_is_encrypted_at_rest_and_never_returned(api: APIClient, http_app: App) -> None:
    created = api.post("/rest/asset", {"name": "web", "app": http_app.pk, "configuration": {
        "base_url": "https://example.com", "auth_token": "s3cr3t-value"}}, format="json").json()
    asset = Asset.objects.get(pk=created["id"])
    assert "s3cr3t-value" not in str(asset.configuration)
    body = api.get(f"/rest/asset/{created['id']}").json()
    assert "s3cr3t-value" not in str(body) and "auth_token" not in body["configuration"]
    assert body["configuration"]["base_url"] == "https://example.com"
    assert body["configuration"]["_secrets_set"] == ["auth_token"]
    from engine.assets import runtime_configuration

    assert runtime_configuration(asset)["auth_token"] == "s3cr3t-value"


def test_an_asset_update_without_the_secret_keeps_it(api: APIClient, http_app: App) -> None:
    created = api.post("/rest/asset", {"name": "web", "app": http_app.pk, "configuration": {
        "auth_token": "keep-me"}}, format="json").json()
    api.post(f"/rest/asset/{created['id']}", {"configuration": {"base_url": "https://b"}}, format="json")
    from engine.assets import runtime_configuration

    config = runtime_configuration(Asset.objects.get(pk=created["id"]))
    assert config == {"auth_token": "keep-me", "base_url": "https://b"}


def test_starting_a_run_of_an_unknown_playbook_names_the_field(api: APIClient) -> None:
    container = Container.objects.create(name="c")
    response = api.post("/rest/playbook_run", {"container_id": container.pk, "playbook_id": "local/nope"}, format="json")
    assert response.status_code == 400 and "playbook_id" in response.json()["message"]
    response = api.post("/rest/playbook_run", {"container_id": 424242, "playbook_id": 1}, format="json")
    assert response.status_code == 400 and "container_id" in response.json()["message"]
