"""SOAR's user management (`/rest/ph_user`, `/rest/ph_user/<id>/token`): admins create,
change and deactivate users with SOAR's body; nobody reads a password or a stored token."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from engine.models import ApiToken, AuditEntry

pytestmark = pytest.mark.django_db

BODY = {"username": "jdoe", "email": "jdoe@example.com", "password": "a long enough passphrase 42",
        "first_name": "Jane", "last_name": "Doe", "roles": ["analyst"], "type": "normal"}


def test_an_admin_creates_a_user_with_soar_s_body(rest: Any) -> None:
    r = rest.post("/rest/ph_user", BODY, format="json")
    assert r.status_code == 200, r.json()
    user = User.objects.get(pk=r.json()["id"])
    assert user.check_password(BODY["password"]) and user.email == "jdoe@example.com"
    shown = rest.get(f"/rest/ph_user/{user.pk}").json()
    assert shown["roles"] == ["analyst"] and shown["type"] == "normal" and shown["first_name"] == "Jane"
    assert "password" not in shown and BODY["password"] not in r.content.decode()


def test_roles_may_be_given_by_id(rest: Any) -> None:
    role_id = next(r["id"] for r in rest.get("/rest/role?page_size=0").json()["data"] if r["name"] == "editor")
    r = rest.post("/rest/ph_user", {**BODY, "roles": [role_id]}, format="json")
    assert rest.get(f"/rest/ph_user/{r.json()['id']}").json()["roles"] == ["editor"]


def test_bad_user_bodies_are_refused_naming_the_field(rest: Any, analyst: Any) -> None:
    cases = [({**BODY, "username": "analyst"}, "username"), ({**BODY, "roles": ["wizard"]}, "roles"),
             ({**BODY, "type": "robot"}, "type"), ({**BODY, "password": "1"}, "password"),
             ({**BODY, "email": "nope"}, "email"), ({**BODY, "favourite_colour": "red"}, "favourite_colour"),
             ({k: v for k, v in BODY.items() if k != "username"}, "username")]
    for body, field in cases:
        r = rest.post("/rest/ph_user", body, format="json")
        assert r.status_code == 400 and field in r.json()["message"], (field, r.json())
    assert not User.objects.filter(username="jdoe").exists()


def test_an_admin_changes_a_user_s_roles_and_password(rest: Any, analyst: Any) -> None:
    r = rest.post(f"/rest/ph_user/{analyst.pk}", {"roles": ["editor"], "password": "another long passphrase 7"},
                  format="json")
    assert r.status_code == 200, r.json()
    analyst.refresh_from_db()
    assert list(analyst.groups.values_list("name", flat=True)) == ["editor"]
    assert analyst.check_password("another long passphrase 7")


def test_deleting_a_user_deactivates_it_and_revokes_its_tokens(rest: Any, analyst: Any) -> None:
    ApiToken.issue(analyst)
    assert rest.delete(f"/rest/ph_user/{analyst.pk}").status_code == 200
    analyst.refresh_from_db()
    assert analyst.is_active is False and not ApiToken.objects.filter(user=analyst).exists()


def test_an_admin_cannot_delete_or_demote_themself(rest: Any, owner: Any) -> None:
    assert rest.delete(f"/rest/ph_user/{owner.pk}").status_code == 400
    r = rest.post(f"/rest/ph_user/{owner.pk}", {"roles": ["viewer"]}, format="json")
    assert r.status_code == 400 and "roles" in r.json()["message"]


def test_only_an_admin_manages_users(rest_as: Callable[..., Any], editor: Any, viewer: Any) -> None:
    client = rest_as(editor)
    assert client.post("/rest/ph_user", BODY, format="json").status_code == 403
    assert client.post(f"/rest/ph_user/{viewer.pk}", {"roles": ["admin"]}, format="json").status_code == 403
    assert client.delete(f"/rest/ph_user/{viewer.pk}").status_code == 403
    assert client.get(f"/rest/ph_user/{viewer.pk}").status_code == 200


def test_an_automation_user_gets_a_token_shown_once(rest: Any) -> None:
    r = rest.post("/rest/ph_user", {"username": "siem", "type": "automation", "roles": ["analyst"],
                                    "allowed_ips": ["any"]}, format="json")
    assert r.status_code == 200, r.json()
    uid = r.json()["id"]
    assert rest.get(f"/rest/ph_user/{uid}").json()["type"] == "automation"
    generated = rest.post(f"/rest/ph_user/{uid}/token").json()
    key = generated["key"]
    assert key and generated["prefix"] == key[:8]
    described = rest.get(f"/rest/ph_user/{uid}/token").json()
    assert described["key"] is None and described["prefix"] == key[:8]
    assert rest.get("/rest/container", HTTP_PH_AUTH_TOKEN=key).status_code == 200
    again = rest.post(f"/rest/ph_user/{uid}/token").json()["key"]
    assert again != key and ApiToken.lookup(key) is None
    trail = AuditEntry.objects.filter(object_type="ph_user", object_id=uid, action="generate_token")
    assert trail.count() == 2 and all(key not in str(e.detail) for e in trail)


def test_tokens_are_generated_for_automation_users_only_and_by_admins(rest: Any, rest_as: Callable[..., Any],
                                                                       analyst: Any, editor: Any) -> None:
    r = rest.post(f"/rest/ph_user/{analyst.pk}/token")
    assert r.status_code == 400 and "automation" in r.json()["message"]
    assert rest_as(editor).post(f"/rest/ph_user/{analyst.pk}/token").status_code == 403
    assert rest_as(editor).get(f"/rest/ph_user/{analyst.pk}/token").status_code == 403
    assert rest_as(analyst).get(f"/rest/ph_user/{analyst.pk}/token").status_code == 200


def test_user_writes_land_in_the_audit_trail_without_the_password(rest: Any) -> None:
    uid = rest.post("/rest/ph_user", BODY, format="json").json()["id"]
    entry = AuditEntry.objects.get(object_type="ph_user", object_id=uid, action="create")
    assert entry.username == "owner" and BODY["password"] not in str(entry.detail)


def test_an_admin_cannot_take_over_a_superuser_account(rest: Any) -> None:
    root = User.objects.create_superuser("root", password="the root passphrase 99")
    r = rest.post(f"/rest/ph_user/{root.pk}", {"password": "a takeover passphrase 1"}, format="json")
    assert r.status_code == 403
    assert rest.delete(f"/rest/ph_user/{root.pk}").status_code == 403
    root.refresh_from_db()
    assert root.check_password("the root passphrase 99") and root.is_active
