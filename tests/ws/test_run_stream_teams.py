"""Teams: a run of a team's playbook streams to that team's members and admins only."""
from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import User

from editor.models import Team
from engine.models import PlaybookRun
from tests.ws.test_run_stream import communicator, make_run, token_for

pytestmark = [pytest.mark.django_db(transaction=True)]


@database_sync_to_async
def give_to_team(run: PlaybookRun, team_name: str, *members: User) -> None:
    team = Team.objects.create(name=team_name)
    team.members.add(*members)
    run.playbook.teams.add(team)


async def can_subscribe(run: PlaybookRun, user: User) -> bool:
    comm = communicator(f"/ws/runs/{run.pk}/?token={await token_for(user)}")
    connected, _ = await comm.connect()
    await comm.disconnect()
    return bool(connected)


async def test_an_analyst_of_another_team_cannot_subscribe(analyst: User, editor: User) -> None:
    run = await make_run()
    await give_to_team(run, "red", editor)
    assert not await can_subscribe(run, analyst)


async def test_a_member_of_the_playbook_s_team_and_an_admin_can_subscribe(analyst: User, owner: User) -> None:
    run = await make_run()
    await give_to_team(run, "blue", analyst)
    assert await can_subscribe(run, analyst)
    assert await can_subscribe(run, owner)


async def test_a_playbook_without_teams_is_everyone_s(viewer: User) -> None:
    run = await make_run()
    assert await can_subscribe(run, viewer)
