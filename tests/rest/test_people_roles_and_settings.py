"""SOAR's roles (`/rest/role`, with their permissions) and a user's own settings
(`/rest/user_settings`)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.models import AuditEntry

pytestmark = pytest.mark.django_db


def _role(client: Any, name: str) -> dict[str, Any]:
    return next(r for r in client.get("/rest/role?page_size=0").json()["data"] if r["name"] == name)


def test_roles_are_listed_with_their_permissions(rest_as: Callable[..., Any], viewer: Any) -> None:
    client = rest_as(viewer)
    body = client.get("/rest/role?page_size=0").json()
    assert [r["name"] for r in body["data"]] == ["admin", "analyst", "editor", "viewer"]
    editor = _role(client, "editor")
    assert editor["immutable"] is True and editor["type"] == "system"
    playbooks = next(p for p in editor["permissions"] if p["name"] == "playbooks")
    assert playbooks == {"name": "playbooks", "view": "allow", "edit": "allow", "delete": "allow", "execute": "allow"}
    viewer_role = _role(client, "viewer")
    assert all(p["edit"] == "deny" for p in viewer_role["permissions"])
    assert viewer.pk in viewer_role["users"]


def test_an_admin_assigns_users_to_a_role(rest: Any, analyst: Any, viewer: Any) -> None:
    role = _role(rest, "editor")
    r = rest.post(f"/rest/role/{role['id']}", {"users": [viewer.pk]}, format="json")
    assert r.status_code == 200, r.json()
    assert rest.get(f"/rest/ph_user/{viewer.pk}").json()["roles"] == ["viewer", "editor"]
    assert AuditEntry.objects.filter(object_type="role", object_id=role["id"], action="update").exists()


def test_built_in_roles_cannot_be_created_renamed_or_deleted(rest: Any) -> None:
    role = _role(rest, "analyst")
    assert rest.post("/rest/role", {"name": "hunter"}, format="json").status_code == 405
    r = rest.post(f"/rest/role/{role['id']}", {"name": "hunter"}, format="json")
    assert r.status_code == 400 and "name" in r.json()["message"]
    assert rest.delete(f"/rest/role/{role['id']}").status_code == 405
    r = rest.post(f"/rest/role/{role['id']}", {"users": [987654]}, format="json")
    assert r.status_code == 400 and "users" in r.json()["message"]


def test_only_an_admin_assigns_roles(rest_as: Callable[..., Any], editor: Any) -> None:
    client = rest_as(editor)
    role = _role(client, "admin")
    assert client.post(f"/rest/role/{role['id']}", {"users": [editor.pk]}, format="json").status_code == 403


def test_a_user_reads_and_changes_their_own_settings(rest_as: Callable[..., Any], viewer: Any) -> None:
    client = rest_as(viewer)
    body = client.get("/rest/user_settings").json()
    assert body["username"] == "viewer" and body["time_zone"] == "UTC" and body["roles"] == ["viewer"]
    r = client.post("/rest/user_settings", {"time_zone": "Europe/Paris", "theme": "dark"}, format="json")
    assert r.status_code == 200 and r.json()["time_zone"] == "Europe/Paris"
    assert client.get("/rest/user_settings").json()["theme"] == "dark"


def test_bad_settings_are_refused_naming_the_setting(rest_as: Callable[..., Any], viewer: Any) -> None:
    client = rest_as(viewer)
    for body, name in (({"time_zone": "Mars/Olympus"}, "time_zone"), ({"page_size": "ten"}, "page_size"),
                       ({"shoe_size": 42}, "shoe_size")):
        r = client.post("/rest/user_settings", body, format="json")
        assert r.status_code == 400 and name in r.json()["message"]


def test_an_outsider_has_no_settings(rest_as: Callable[..., Any], outsider: Any) -> None:
    assert rest_as(outsider).get("/rest/user_settings").status_code == 403
