"""SOAR's audit trail (`/rest/audit` and the per-object audit routes): every REST write is
recorded; the trail is filtered by container, user, playbook, role and time, answered as a
bare array or CSV, and honours team visibility."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from editor.models import Team
from engine import audit
from engine.models import AuditEntry
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db


def test_a_rest_write_lands_in_the_trail_and_is_answered_by_container(rest: Any,
                                                                       make_container: Callable[..., Any]) -> None:
    case = make_container()
    other = make_container(name="other")
    assert rest.post(f"/rest/container/{case.pk}", {"severity": "high"}, format="json").status_code == 200
    rest.post(f"/rest/container/{other.pk}", {"severity": "low"}, format="json")
    rows = rest.get(f"/rest/audit?container={case.pk}").json()
    assert isinstance(rows, list) and len(rows) == 1
    row = rows[0]
    assert row["action"] == "update" and row["audit_source"] == "container" and row["username"] == "owner"
    assert row["container_id"] == case.pk and row["fields"] == ["severity"]


def test_the_trail_is_filtered_by_user_and_playbook(rest: Any, analyst: Any, owner: Any) -> None:
    playbook = python_playbook("pb", "def on_start(container):\n    pass\n")
    audit.record(analyst, "run", "playbook", playbook.pk, playbook_id=playbook.pk)
    audit.record(owner, "update", "container", 5, container_id=5)
    assert [r["username"] for r in rest.get(f"/rest/audit?user={analyst.pk}").json()] == ["analyst"]
    assert [r["action"] for r in rest.get(f"/rest/audit?playbook={playbook.pk}").json()] == ["run"]
    assert len(rest.get(f"/rest/audit?playbook={playbook.pk}&container=5").json()) == 2
    assert len(rest.get("/rest/audit?container=*").json()) == 1
    assert [r["action"] for r in rest.get(f"/rest/playbook/{playbook.pk}/audit").json()] == ["run"]
    assert [r["username"] for r in rest.get(f"/rest/ph_user/{analyst.pk}/audit").json()] == ["analyst"]


def test_the_trail_keeps_to_the_time_range_and_order_asked(rest: Any, owner: Any) -> None:
    old = audit.record(owner, "update", "container", 1, container_id=1)
    AuditEntry.objects.filter(pk=old.pk).update(time=timezone.now() - timedelta(days=40))
    recent = audit.record(owner, "update", "container", 2, container_id=2)
    newest = audit.record(owner, "update", "container", 3, container_id=3)
    assert [r["id"] for r in rest.get("/rest/audit").json()] == [newest.pk, recent.pk]
    assert [r["id"] for r in rest.get("/rest/audit?sort=asc").json()] == [recent.pk, newest.pk]
    start = (timezone.now() - timedelta(days=50)).date().isoformat()
    assert len(rest.get(f"/rest/audit?start={start}").json()) == 3
    end = (timezone.now() - timedelta(days=35)).date().isoformat()
    assert [r["id"] for r in rest.get(f"/rest/audit?start={start}&end={end}").json()] == [old.pk]


def test_bad_audit_parameters_are_refused_naming_them(rest: Any) -> None:
    for query, name in (("start=yesterday", "start"), ("user=abc", "user"), ("sort=up", "sort"),
                        ("format=xml", "format"), (f"container={2**64}", "container")):
        r = rest.get(f"/rest/audit?{query}")
        assert r.status_code == 400 and name in r.json()["message"], query


def test_the_trail_is_answered_as_csv(rest: Any, owner: Any) -> None:
    audit.record(owner, "update", "container", 7, container_id=7, detail={"fields": ["name", "status"]})
    r = rest.get("/rest/audit?format=csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    lines = r.content.decode().splitlines()
    assert lines[0].startswith("id,time,user_id,username,action,audit_source")
    assert "name status" in lines[1]


def test_a_team_playbook_s_entries_are_hidden_outside_its_team(rest_as: Callable[..., Any], analyst: Any,
                                                               viewer: Any, owner: Any) -> None:
    playbook = python_playbook("team pb", "def on_start(container):\n    pass\n")
    team = Team.objects.create(name="red")
    team.members.add(analyst)
    playbook.teams.add(team)
    audit.record(owner, "update", "playbook", playbook.pk, playbook_id=playbook.pk)
    assert len(rest_as(analyst).get("/rest/audit").json()) == 1
    assert rest_as(viewer).get("/rest/audit").json() == []
    assert rest_as(viewer).get(f"/rest/playbook/{playbook.pk}/audit").status_code == 404


def test_a_role_s_changes_are_its_audit(rest: Any, viewer: Any) -> None:
    role = next(r for r in rest.get("/rest/role").json()["data"] if r["name"] == "editor")
    rest.post(f"/rest/role/{role['id']}", {"users": [viewer.pk]}, format="json")
    rows = rest.get(f"/rest/role/{role['id']}/audit").json()
    assert [r["action"] for r in rows] == ["update"] and rows[0]["fields"] == ["users"]
    assert len(rest.get(f"/rest/audit?role={role['id']}").json()) == 1


def test_an_outsider_reads_no_trail(rest_as: Callable[..., Any], outsider: Any) -> None:
    assert rest_as(outsider).get("/rest/audit").status_code == 403
