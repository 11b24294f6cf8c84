"""Starting a run honours the playbook's teams (engine.visibility.playbook_filter, the rule
that also decides who sees its runs): a person outside the teams is answered as if the
playbook did not exist, on every route that starts a run."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from editor.models import Team
from engine.models import Container, PlaybookRun
from tests.conftest import token_client
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db

CODE = "def on_start(container):\n    pass\n\ndef on_finish(container, summary):\n    pass\n"
# Every route that starts a run (child runs, triggers and commands are the system's own).
START_ROUTES = ["/rest/playbook_run"]


@pytest.fixture
def outside(db: None) -> User:
    user = User.objects.create_user("analyst_outside")
    user.groups.add(Group.objects.get_or_create(name="analyst")[0])
    return user


@pytest.fixture
def team_playbook(analyst: User) -> int:
    playbook = python_playbook("team playbook", CODE)
    team = Team.objects.create(name="red")
    team.members.add(analyst)
    playbook.teams.add(team)
    return playbook.pk


@pytest.fixture
def case() -> int:
    return Container.objects.create(name="case").pk


def start(client: APIClient, route: str, playbook: int | str, container: int) -> tuple[int, dict[str, object]]:
    response = client.post(route, {"playbook_id": playbook, "container_id": container}, format="json")
    return response.status_code, response.json()


@pytest.mark.parametrize("route", START_ROUTES)
@pytest.mark.parametrize("who", ["owner", "analyst"])
def test_an_admin_and_a_team_member_start_a_team_playbook(route: str, who: str, request: pytest.FixtureRequest,
                                                          team_playbook: int, case: int) -> None:
    status, body = start(token_client(request.getfixturevalue(who)), route, team_playbook, case)
    assert status == 200 and body["success"] is True, body
    assert PlaybookRun.objects.filter(playbook_id=team_playbook).count() == 1


@pytest.mark.parametrize("route", START_ROUTES)
@pytest.mark.parametrize("ref", ["id", "digits", "repo/name", "name"])
def test_an_analyst_outside_the_team_is_answered_as_if_the_playbook_did_not_exist(
        route: str, ref: str, outside: User, team_playbook: int, case: int) -> None:
    playbook = {"id": team_playbook, "digits": str(team_playbook), "repo/name": "local/team playbook",
                "name": "team playbook"}[ref]
    status, body = start(token_client(outside), route, playbook, case)
    missing_status, missing = start(token_client(outside), route, 987654, case)
    assert (status, missing_status) == (400, 400)
    assert body["failed"] is True and body["message"] == f"field 'playbook_id': no playbook {playbook!r}"
    assert missing["message"] == "field 'playbook_id': no playbook 987654"
    assert not PlaybookRun.objects.exists()


@pytest.mark.parametrize("route", START_ROUTES)
def test_an_editor_outside_the_team_cannot_start_it_either(route: str, editor: User, team_playbook: int,
                                                           case: int) -> None:
    status, body = start(token_client(editor), route, team_playbook, case)
    assert status == 400 and "no playbook" in str(body["message"])
    assert not PlaybookRun.objects.exists()


@pytest.mark.parametrize("route", START_ROUTES)
def test_a_playbook_without_teams_is_started_by_any_analyst(route: str, outside: User, case: int) -> None:
    playbook = python_playbook("everyone's playbook", CODE)
    status, body = start(token_client(outside), route, playbook.pk, case)
    assert status == 200 and body["success"] is True


@pytest.mark.parametrize("route", START_ROUTES)
def test_a_viewer_starts_no_run(route: str, viewer: User, team_playbook: int, case: int) -> None:
    status, _ = start(token_client(viewer), route, python_playbook("open", CODE).pk, case)
    assert status == 403
