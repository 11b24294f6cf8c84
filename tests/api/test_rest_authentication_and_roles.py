"""Who may call the REST API, and how they prove who they are."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.conftest import PASSWORD, basic_client

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], APIClient]


def test_an_anonymous_caller_is_refused(db: None) -> None:
    response = APIClient().get("/rest/container")
    assert response.status_code in (401, 403)
    assert response.json()["failed"] is True


def test_a_ph_auth_token_authenticates(as_user: ClientFor, viewer: User) -> None:
    assert as_user(viewer).get("/rest/container").status_code == 200


def test_a_wrong_ph_auth_token_is_refused(db: None) -> None:
    client = APIClient()
    client.credentials(HTTP_PH_AUTH_TOKEN="not-a-token")
    response = client.get("/rest/container")
    assert response.status_code == 401
    assert "ph-auth-token" in response.json()["message"]


def test_basic_auth_authenticates(viewer: User) -> None:
    assert basic_client(viewer).get("/rest/container").status_code == 200


def test_a_session_authenticates(viewer: User) -> None:
    client = APIClient()
    assert client.login(username="viewer", password=PASSWORD)
    assert client.get("/rest/container").status_code == 200


def test_a_token_of_a_deactivated_user_is_refused(as_user: ClientFor, analyst: User) -> None:
    client = as_user(analyst)
    analyst.is_active = False
    analyst.save()
    assert client.get("/rest/container").status_code == 401


def test_the_outsider_cannot_read_anything(as_user: ClientFor, outsider: User) -> None:
    client = as_user(outsider)
    for url in ("/rest/container", "/rest/artifact", "/rest/playbook", "/rest/app", "/api/schema/"):
        assert client.get(url).status_code == 403, url


def test_the_viewer_reads_but_cannot_write(as_user: ClientFor, viewer: User) -> None:
    client = as_user(viewer)
    assert client.get("/rest/container").status_code == 200
    assert client.post("/rest/container", {"name": "x"}, format="json").status_code == 403


def test_the_analyst_works_cases_but_cannot_edit_playbooks(as_user: ClientFor, analyst: User) -> None:
    client = as_user(analyst)
    assert client.post("/rest/container", {"name": "x"}, format="json").status_code == 200
    assert client.post("/rest/decided_list", {"name": "l", "content": [["a"]]}, format="json").status_code == 200
    response = client.post("/rest/playbook", {"name": "p", "json": {"coa": {}}}, format="json")
    assert response.status_code == 403


def test_the_editor_edits_playbooks_but_cannot_configure_assets(as_user: ClientFor, editor: User) -> None:
    client = as_user(editor)
    doc = {"coa": {"data": {"nodes": {}, "edges": []}}, "labels": ["*"]}
    assert client.post("/rest/playbook", {"name": "p", "json": doc}, format="json").status_code == 200
    assert client.post("/rest/asset", {"name": "a", "app": 1}, format="json").status_code == 403


def test_the_owner_may_do_everything(api: APIClient) -> None:
    assert api.post("/rest/container", {"name": "x"}, format="json").status_code == 200
    assert api.get("/rest/app").status_code == 200
