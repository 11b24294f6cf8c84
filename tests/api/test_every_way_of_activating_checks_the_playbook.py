"""Every way of activating a playbook goes through one check (editor.activation): a playbook
with errors (here, a block calling a playbook that does not exist) is refused in SOAR's
error envelope naming the block, and stays inactive."""
from __future__ import annotations

import copy
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from editor.models import Playbook
from tests.editor.fixtures import GRAPH, _node

pytestmark = pytest.mark.django_db


def calling_a_missing_playbook() -> dict[str, Any]:
    doc = copy.deepcopy(GRAPH)
    data = doc["coa"]["data"]
    data["nodes"]["3"] = _node("3", "playbook", "call_enrich", 300, functionId=1, inputs={}, playbookName="enrich",
                               playbookRepo=2, playbookRepoName="local", playbookType="automation",
                               synchronous=False)
    data["edges"].append({"id": "port_2_to_port_3", "sourceNode": "2", "sourcePort": "2_out", "targetNode": "3",
                          "targetPort": "3_in"})
    return doc


def stored(api: APIClient, name: str, doc: dict[str, Any]) -> int:
    response = api.post("/rest/playbook", {"name": name, "json": doc}, format="json")
    assert response.status_code == 200, response.content
    pid: int = response.json()["id"]
    return pid


def assert_refused_naming_the_block(response: Any) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["failed"] is True
    assert "block 3" in body["message"] and "local/enrich" in body["message"], body["message"]


def test_a_rest_update_that_activates_an_invalid_playbook_is_refused(api: APIClient) -> None:
    pid = stored(api, "caller", calling_a_missing_playbook())
    assert_refused_naming_the_block(api.post(f"/rest/playbook/{pid}", {"active": True}, format="json"))
    assert Playbook.objects.get(pk=pid).active is False


def test_a_rest_create_of_an_active_invalid_playbook_is_refused_and_stores_nothing(api: APIClient) -> None:
    response = api.post("/rest/playbook", {"name": "caller", "json": calling_a_missing_playbook(), "active": True},
                        format="json")
    assert_refused_naming_the_block(response)
    assert not Playbook.objects.filter(name="caller").exists()


def test_a_rest_update_with_a_new_invalid_version_and_active_is_refused_whole(api: APIClient) -> None:
    pid = stored(api, "caller", GRAPH)
    response = api.post(f"/rest/playbook/{pid}", {"active": True, "json": calling_a_missing_playbook()},
                        format="json")
    assert_refused_naming_the_block(response)
    playbook = Playbook.objects.get(pk=pid)
    assert (playbook.active, playbook.latest_version) == (False, 1)


def test_the_api_activation_names_the_block_in_its_message(api: APIClient) -> None:
    pid = stored(api, "caller", calling_a_missing_playbook())
    response = api.post(f"/api/playbooks/{pid}/activate")
    assert_refused_naming_the_block(response)
    assert [e["block_id"] for e in response.json()["errors"]] == ["3"]


def test_every_way_activates_a_valid_playbook(api: APIClient) -> None:
    pid = stored(api, "caller", calling_a_missing_playbook())
    stored(api, "enrich", GRAPH)
    assert api.post(f"/rest/playbook/{pid}", {"active": True}, format="json").json()["success"] is True
    assert Playbook.objects.get(pk=pid).active is True
    assert api.post(f"/api/playbooks/{pid}/deactivate").json() == {"active": False}
    assert api.post(f"/api/playbooks/{pid}/activate").json() == {"active": True}


def admin_form(playbook: Playbook, **changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {"name": playbook.name, "repo": playbook.repo, "category": playbook.category,
                            "labels": "[]", "tags": "[]", "description": "", "notes": "",
                            "playbook_type": playbook.playbook_type, "input_spec": "null", "output_spec": "null",
                            "latest_version": playbook.latest_version, "create_time_0": "2026-01-01",
                            "create_time_1": "00:00:00", "update_time_0": "2026-01-01", "update_time_1": "00:00:00",
                            "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"}
    form.update(changes)
    return {k: v for k, v in form.items() if v is not False}


def test_ticking_active_in_the_admin_is_refused_for_an_invalid_playbook(api: APIClient, owner: User) -> None:
    owner.is_staff = owner.is_superuser = True
    owner.save()
    pid = stored(api, "caller", calling_a_missing_playbook())
    client = Client()
    client.force_login(owner)
    url = f"/admin/editor/playbook/{pid}/change/"
    response = client.post(url, admin_form(Playbook.objects.get(pk=pid), active="on"))
    assert response.status_code == 200  # the form again, with the error
    assert "block 3" in response.content.decode()
    assert Playbook.objects.get(pk=pid).active is False
    stored(api, "enrich", GRAPH)
    response = client.post(url, admin_form(Playbook.objects.get(pk=pid), active="on"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Playbook.objects.get(pk=pid).active is True


def active(api: APIClient, doc: dict[str, Any]) -> int:
    stored(api, "enrich", GRAPH)
    pid = stored(api, "caller", doc)
    assert api.post(f"/api/playbooks/{pid}/activate").json() == {"active": True}
    Playbook.objects.filter(name="enrich").delete()  # the caller's version 1 now calls nothing
    return pid


def test_a_rest_update_storing_an_invalid_version_leaves_the_playbook_inactive(api: APIClient) -> None:
    pid = active(api, GRAPH)
    response = api.post(f"/rest/playbook/{pid}", {"json": calling_a_missing_playbook()}, format="json")
    assert response.json()["success"] is True  # the version is stored, as a draft
    playbook = Playbook.objects.get(pk=pid)
    assert (playbook.active, playbook.latest_version) == (False, 2)


def test_restoring_an_invalid_version_leaves_the_playbook_inactive(api: APIClient) -> None:
    pid = active(api, calling_a_missing_playbook())
    Playbook.objects.filter(pk=pid).update(active=False)
    assert api.put(f"/api/playbooks/{pid}", {"json": GRAPH, "base_version": 1}, format="json").status_code == 200
    assert api.post(f"/api/playbooks/{pid}/activate").json() == {"active": True}
    assert api.post(f"/api/playbooks/{pid}/versions/1/restore").status_code == 200
    assert Playbook.objects.get(pk=pid).active is False


def test_an_editor_save_that_activation_would_refuse_leaves_the_playbook_inactive(api: APIClient) -> None:
    pid = active(api, GRAPH)
    saved = api.put(f"/api/playbooks/{pid}", {"json": calling_a_missing_playbook(), "base_version": 1},
                    format="json")
    assert saved.status_code == 200 and Playbook.objects.get(pk=pid).active is False
