"""SOAR's roles (`/rest/role`, with their permissions) and a user's own settings
(`/rest/user_settings`)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.models import AuditEntry, Container

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


def test_built_in_roles_cannot_be_renamed_or_deleted(rest: Any) -> None:
    role = _role(rest, "analyst")
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


def _analyst_like(client: Any) -> list[dict[str, Any]]:
    """An analyst's permissions and one more (playbooks' edit), in SOAR's body form."""
    asked = [dict(p) for p in _role(client, "analyst")["permissions"]]
    next(p for p in asked if p["name"] == "playbooks")["edit"] = "allow"
    return asked


def test_an_admin_makes_a_role_that_grants_the_built_in_role_it_covers(rest: Any, rest_as: Callable[..., Any],
                                                                       outsider: Any) -> None:
    r = rest.post("/rest/role", {"name": "hunters", "description": "threat hunting",
                                 "permissions": _analyst_like(rest), "users": [outsider.pk]}, format="json")
    assert r.status_code == 200, r.json()
    role = rest.get(f"/rest/role/{r.json()['id']}").json()
    assert role["type"] == "custom" and role["immutable"] is False and role["base_role"] == "analyst"
    # playbooks' edit was asked too, but without delete an editor's grant would exceed the ask
    assert role["permissions"] == _role(rest, "analyst")["permissions"]
    assert role["users"] == [outsider.pk]
    assert rest.get(f"/rest/ph_user/{outsider.pk}").json()["roles"][-1] == "hunters"
    assert rest_as(outsider).get("/rest/container").status_code == 200


def test_a_role_grants_only_what_every_asked_permission_allows(rest: Any) -> None:
    everything = [{"name": p["name"], "view": "allow", "edit": "allow", "delete": "allow", "execute": "allow"}
                  for p in _role(rest, "admin")["permissions"]]
    made = rest.post("/rest/role", {"name": "all", "permissions": everything}, format="json").json()
    assert rest.get(f"/rest/role/{made['id']}").json()["base_role"] == "admin"
    nothing = rest.post("/rest/role", {"name": "none", "permissions": []}, format="json").json()
    shown = rest.get(f"/rest/role/{nothing['id']}").json()
    assert shown["base_role"] == "" and all(p["view"] == "deny" for p in shown["permissions"])


def test_leaving_a_made_role_takes_away_only_what_it_gave(rest: Any, rest_as: Callable[..., Any], viewer: Any,
                                                          outsider: Any) -> None:
    role_id = rest.post("/rest/role", {"name": "watchers", "permissions": [
        {"name": p["name"], "view": "allow"} for p in _role(rest, "viewer")["permissions"]],
        "users": [viewer.pk, outsider.pk]}, format="json").json()["id"]
    assert rest_as(outsider).get("/rest/container").status_code == 200
    assert rest.post(f"/rest/role/{role_id}", {"users": []}, format="json").status_code == 200
    assert rest_as(outsider).get("/rest/container").status_code == 403
    assert rest_as(viewer).get("/rest/container").status_code == 200  # a viewer before, a viewer still
    rest.post(f"/rest/role/{role_id}", {"users": [outsider.pk]}, format="json")
    assert rest.delete(f"/rest/role/{role_id}").status_code == 200
    assert rest_as(outsider).get("/rest/container").status_code == 403
    assert rest.get(f"/rest/role/{role_id}").status_code == 404


def test_a_made_role_is_given_to_a_user_through_ph_user(rest: Any, rest_as: Callable[..., Any], outsider: Any) -> None:
    rest.post("/rest/role", {"name": "hunters", "permissions": _analyst_like(rest)}, format="json")
    r = rest.post(f"/rest/ph_user/{outsider.pk}", {"roles": ["hunters"]}, format="json")
    assert r.status_code == 200, r.json()
    assert rest_as(outsider).post("/rest/container", {"name": "x", "label": "events"}, format="json").status_code == 200
    assert Container.objects.filter(name="x").exists()
    rest.post(f"/rest/ph_user/{outsider.pk}", {"roles": []}, format="json")
    assert rest_as(outsider).get("/rest/container").status_code == 403


def test_bad_role_bodies_are_refused_naming_the_field(rest: Any) -> None:
    for body, field in (({"name": "viewer"}, "name"), ({}, "name"), ({"name": "x", "permissions": [{"name": "moon"}]},
                        "permissions"), ({"name": "x", "users": [987654]}, "users"), ({"name": "x", "colour": 1},
                        "colour")):
        r = rest.post("/rest/role", body, format="json")
        assert r.status_code == 400 and field in r.json()["message"], (body, r.json())
