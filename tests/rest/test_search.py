"""SOAR's global search (`/rest/search?query=&categories=`): what it finds, its answer shape,
its 1-based pages, and that it honours roles and team visibility."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from editor.models import Team
from engine.models import Note
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db


def test_search_finds_containers_artifacts_and_notes(rest: Any, make_container: Callable[..., Any],
                                                     make_artifact: Callable[..., Any]) -> None:
    case = make_container(name="phishing from evil.example")
    make_artifact(make_container(name="other"), name="url", cef={"requestURL": "http://evil.example/x"})
    Note.objects.create(container=case, title="triage", content="sender is evil.example")
    make_container(name="unrelated")
    body = rest.get("/rest/search?query=EVIL.example").json()
    assert body["count"] == 3 and body["categories"]["container"] == 1
    assert {r["category"] for r in body["results"]} == {"container", "artifact", "note"}
    found = next(r for r in body["results"] if r["category"] == "container")
    assert found["id"] == case.pk and found["url"] == f"/rest/container/{case.pk}"


def test_search_keeps_to_the_categories_asked(rest: Any, make_container: Callable[..., Any],
                                              make_artifact: Callable[..., Any]) -> None:
    make_artifact(make_container(name="evil"), name="evil")
    body = rest.get("/rest/search?query=evil&categories=artifact").json()
    assert [r["category"] for r in body["results"]] == ["artifact"]
    bad = rest.get("/rest/search?query=evil&categories=artifact,spaceship")
    assert bad.status_code == 400 and "categories" in bad.json()["message"]


def test_search_pages_are_1_based(rest: Any, make_container: Callable[..., Any]) -> None:
    for n in range(3):
        make_container(name=f"case {n}")
    first = rest.get("/rest/search?query=case&categories=container&page_size=2&page=1").json()
    second = rest.get("/rest/search?query=case&categories=container&page_size=2&page=2").json()
    assert first["num_pages"] == 2 and len(first["results"]) == 2 and len(second["results"]) == 1
    assert rest.get("/rest/search?query=case&page_size=2&page=0").json()["results"] == first["results"]
    assert rest.get("/rest/search?query=case&page=x").status_code == 400


def test_an_empty_query_finds_nothing(rest: Any, make_container: Callable[..., Any]) -> None:
    make_container()
    assert rest.get("/rest/search").json() == {"count": 0, "num_pages": 0, "page": 1, "query": "",
                                               "categories": {}, "results": []}


def test_search_does_not_show_a_team_playbook_outside_its_team(rest_as: Callable[..., Any], analyst: Any,
                                                               viewer: Any) -> None:
    playbook = python_playbook("secret hunt", "def on_start(container):\n    pass\n")
    team = Team.objects.create(name="red")
    team.members.add(analyst)
    playbook.teams.add(team)
    assert rest_as(analyst).get("/rest/search?query=secret&categories=playbook").json()["count"] == 1
    assert rest_as(viewer).get("/rest/search?query=secret&categories=playbook").json()["count"] == 0


def test_an_outsider_cannot_search(rest_as: Callable[..., Any], outsider: Any) -> None:
    assert rest_as(outsider).get("/rest/search?query=x").status_code == 403


def test_restrict_global_search_keeps_non_admins_to_case_work(rest: Any, rest_as: Callable[..., Any],
                                                              viewer: Any) -> None:
    python_playbook("hunt", "def on_start(container):\n    pass\n")
    assert rest_as(viewer).get("/rest/search?query=hunt").json()["count"] == 1
    assert rest.post("/rest/feature_flag/restrict_global_search", {"value": True}, format="json").status_code == 200
    assert rest_as(viewer).get("/rest/search?query=hunt").json()["count"] == 0
    assert rest.get("/rest/search?query=hunt").json()["count"] == 1
