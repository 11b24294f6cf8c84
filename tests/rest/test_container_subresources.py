"""A container's sub-resources: `/rest/container/<id>/actions`, `artifacts`, `audit`,
`children`, `playbook_runs`, `recommended_actions` - SOAR's list envelope with paging, a
404 for a container that is not there, and a team playbook's runs for its team only."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from editor.models import Team
from engine.models import ActionRun, App, AppAction, Artifact, Asset, Container, PlaybookRun
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db

SOURCE = "def on_start(container):\n    return\n"
ROUTES = ("actions", "artifacts", "audit", "children", "playbook_runs", "recommended_actions")


def _run(container: Container, name: str, *, team: Team | None = None) -> PlaybookRun:
    playbook = python_playbook(name, SOURCE)
    if team is not None:
        playbook.teams.add(team)
    return PlaybookRun.objects.create(playbook=playbook, container=container, playbook_version=playbook.current(),
                                      status="success", message=name)


@pytest.fixture
def case(make_container: Callable[..., Container]) -> Container:
    return make_container(name="case")


@pytest.mark.parametrize("route", ROUTES)
def test_an_unknown_container_is_a_404_in_soars_envelope(rest: APIClient, route: str) -> None:
    response = rest.get(f"/rest/container/987654/{route}")
    assert response.status_code == 404 and response.json()["failed"] is True


@pytest.mark.parametrize("route", ROUTES)
def test_a_user_without_a_role_is_refused(rest_as: Callable[[User], APIClient], outsider: User, case: Container,
                                         route: str) -> None:
    assert rest_as(outsider).get(f"/rest/container/{case.pk}/{route}").status_code == 403


@pytest.mark.parametrize("route", [r for r in ROUTES if r != "audit"])
def test_every_list_answers_soars_envelope(rest_as: Callable[[User], APIClient], viewer: User, case: Container,
                                           route: str) -> None:
    body = rest_as(viewer).get(f"/rest/container/{case.pk}/{route}").json()
    assert set(body) == {"count", "num_pages", "data"} and body["count"] == len(body["data"])


def test_artifacts_page_and_filter(rest: APIClient, case: Container, make_artifact: Callable[..., Artifact]) -> None:
    for i in range(5):
        make_artifact(case, name=f"a{i}", cef={"n": i}, label="odd" if i % 2 else "even")
    body = rest.get(f"/rest/container/{case.pk}/artifacts?page_size=2&page=1&sort=id&order=asc").json()
    assert body["count"] == 5 and body["num_pages"] == 3 and [a["name"] for a in body["data"]] == ["a2", "a3"]
    assert rest.get(f"/rest/container/{case.pk}/artifacts?_filter_label='odd'").json()["count"] == 2


def test_actions_are_the_containers_action_runs_for_those_who_see_their_runs(
    rest: APIClient, rest_as: Callable[[User], APIClient], analyst: User, editor: User, case: Container,
    make_container: Callable[..., Container],
) -> None:
    team = Team.objects.create(name="red")
    team.members.add(analyst)
    public = _run(case, "public")
    secret = _run(case, "secret", team=team)
    ActionRun.objects.create(playbook_run=public, container=case, action="lookup ip", name="pub")
    ActionRun.objects.create(playbook_run=secret, container=case, action="block ip", name="sec")
    ActionRun.objects.create(container=case, action="whois", name="manual")
    ActionRun.objects.create(container=make_container(name="other"), action="whois", name="elsewhere")
    names = {a["name"] for a in rest.get(f"/rest/container/{case.pk}/actions").json()["data"]}
    assert names == {"pub", "sec", "manual"}
    assert {a["name"] for a in rest_as(analyst).get(f"/rest/container/{case.pk}/actions").json()["data"]} == names
    seen_by_editor = rest_as(editor).get(f"/rest/container/{case.pk}/actions").json()
    assert {a["name"] for a in seen_by_editor["data"]} == {"pub", "manual"} and seen_by_editor["count"] == 2


def test_playbook_runs_are_the_containers_runs_for_those_who_see_them(
    rest: APIClient, rest_as: Callable[[User], APIClient], analyst: User, viewer: User, case: Container,
    make_container: Callable[..., Container],
) -> None:
    team = Team.objects.create(name="red")
    team.members.add(analyst)
    public = _run(case, "public")
    secret = _run(case, "secret", team=team)
    _run(make_container(name="other"), "elsewhere")
    assert {r["id"] for r in rest.get(f"/rest/container/{case.pk}/playbook_runs").json()["data"]} == {
        public.pk, secret.pk}
    assert rest_as(analyst).get(f"/rest/container/{case.pk}/playbook_runs").json()["count"] == 2
    body = rest_as(viewer).get(f"/rest/container/{case.pk}/playbook_runs").json()
    assert [r["id"] for r in body["data"]] == [public.pk] and "secret" not in str(body)


def test_children_are_the_containers_whose_parent_it_is(rest: APIClient, case: Container,
                                                        make_container: Callable[..., Container]) -> None:
    kids = [make_container(name=f"kid {i}", parent_container=case) for i in range(3)]
    make_container(name="stranger")
    body = rest.get(f"/rest/container/{case.pk}/children?sort=name&order=asc").json()
    assert [c["name"] for c in body["data"]] == ["kid 0", "kid 1", "kid 2"]
    assert all(c["parent_container"] == case.pk for c in body["data"]) and body["count"] == len(kids)
    assert rest.get(f"/rest/container/{kids[0].pk}/children").json()["count"] == 0


def test_audit_is_the_trail_of_the_container_and_what_it_holds(rest: APIClient, case: Container,
                                                               make_container: Callable[..., Container]) -> None:
    rest.post(f"/rest/container/{case.pk}", {"severity": "high"}, format="json")
    aid = rest.post("/rest/artifact", {"container_id": case.pk, "name": "ip"}, format="json").json()["id"]
    other = make_container(name="other")
    rest.post(f"/rest/container/{other.pk}", {"severity": "low"}, format="json")
    rows = rest.get(f"/rest/container/{case.pk}/audit").json()
    assert {(r["audit_source"], r["object_id"], r["action"]) for r in rows} == {
        ("container", case.pk, "update"), ("artifact", aid, "create")}
    assert all(r["username"] == "owner" for r in rows)
    assert rest.get(f"/rest/container/{case.pk}/audit?format=csv")["Content-Type"].startswith("text/csv")


def test_audit_leaves_out_what_a_team_playbook_did_for_outsiders(
    rest_as: Callable[[User], APIClient], analyst: User, editor: User, owner: User, case: Container,
) -> None:
    from engine import audit

    team = Team.objects.create(name="red")
    team.members.add(analyst)
    secret = python_playbook("secret", SOURCE)
    secret.teams.add(team)
    audit.record(owner, "run", "playbook_run", 1, container_id=case.pk, playbook_id=secret.pk)
    audit.record(owner, "update", "container", case.pk, container_id=case.pk)
    assert len(rest_as(analyst).get(f"/rest/container/{case.pk}/audit").json()) == 2
    assert [r["action"] for r in rest_as(editor).get(f"/rest/container/{case.pk}/audit").json()] == ["update"]


def test_recommended_actions_take_the_contains_types_of_the_artifacts(
    rest: APIClient, case: Container, make_artifact: Callable[..., Artifact],
) -> None:
    app = App.objects.create(appid="a-1", name="Intel", version="2.0")
    AppAction.objects.create(app=app, name="lookup ip", type="investigate", parameters={
        "ip": {"contains": ["ip"], "data_type": "string", "primary": True}, "limit": {"data_type": "numeric"}})
    AppAction.objects.create(app=app, name="hunt hash", parameters={"hash": {"contains": ["hash", "sha256"]}})
    AppAction.objects.create(app=app, name="domain reputation", parameters={"domain": {"contains": ["domain"]}})
    AppAction.objects.create(app=app, name="test connectivity", parameters={})
    Asset.objects.create(name="intel-prod", app=app)
    off = App.objects.create(appid="a-2", name="Switched off", disabled=True)
    AppAction.objects.create(app=off, name="block ip", parameters={"ip": {"contains": ["ip"]}})
    make_artifact(case, name="by default type", cef={"sourceAddress": "10.0.0.1"})
    make_artifact(case, name="declared", cef={"blob": "abc"}, cef_types={"blob": ["sha256"]})
    body = rest.get(f"/rest/container/{case.pk}/recommended_actions?page_size=0").json()
    ours = [r for r in body["data"] if r["app"] in ("Intel", "Switched off")]  # (built-in apps recommend too)
    assert [r["action"] for r in ours] == ["hunt hash", "lookup ip"]
    lookup = ours[1]
    assert lookup["app_id"] == app.pk and lookup["assets"] == ["intel-prod"] and lookup["type"] == "investigate"
    assert lookup["parameters"] == [{"name": "ip", "contains": ["ip"]}] and lookup["contains"] == ["ip"]
    assert ours[0]["parameters"] == [{"name": "hash", "contains": ["sha256"]}]
    paged = rest.get(f"/rest/container/{case.pk}/recommended_actions?page_size=1&page=1").json()
    assert paged["count"] == body["count"] == paged["num_pages"] and paged["data"] == [body["data"][1]]


def test_a_container_without_artifacts_recommends_nothing(rest: APIClient, case: Container) -> None:
    App.objects.create(appid="a-1", name="Intel")
    assert rest.get(f"/rest/container/{case.pk}/recommended_actions").json() == {
        "count": 0, "num_pages": 0, "data": []}


@pytest.mark.parametrize("query", ["page=-1", "page_size=x", "sort=bogus", "_filter_nope=1"])
def test_bad_paging_is_a_400_naming_the_parameter(rest: APIClient, case: Container, query: str) -> None:
    response = rest.get(f"/rest/container/{case.pk}/artifacts?{query}")
    assert response.status_code == 400
    assert query.split("=")[0].replace("_filter_", "") in response.json()["message"]


