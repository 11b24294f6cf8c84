"""Every websocket route honours a team playbook's run visibility, for every persona.

The routes come from soar.routing, so a socket added later is covered without touching
this module: each is filled with a team playbook's run (or its container) and a team-less
playbook's run, every persona connects, and both runs then store events. Everything
the team run sends carries TEAM, the team-less run's PUBLIC:

* TEAM reaches nobody but an admin and a member of the playbook's team;
* PUBLIC reaches every role and nobody without one;
* a socket that sends TEAM to an admin must be listed in RUN_SOCKETS (and each listed one
  must send it to the team), so a new socket with run data cannot slip by unclassified.
"""
from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import Group, User

from editor.models import Team
from engine import events
from engine.models import Container, PlaybookRun
from soar.routing import websocket_urlpatterns
from tests.engine.conftest import python_playbook
from tests.ws.test_run_stream import communicator, token_for

pytestmark = [pytest.mark.django_db(transaction=True)]

TEAM = "TEAM-ONLY-7f3a"
PUBLIC = "EVERYONE-2c9e"
# Sockets (parameters named without their converters) that send a run's events.
RUN_SOCKETS = {"ws/runs/<run_id>/", "ws/containers/<container_id>/"}
ALLOWED = ("owner", "analyst")
DENIED = ("editor", "analyst_outside", "viewer", "outsider", "anonymous")
NO_ROLE = ("outsider", "anonymous")


@database_sync_to_async
def _world(analyst: User) -> tuple[Container, PlaybookRun, PlaybookRun, User]:
    outside = User.objects.create_user("analyst_outside")
    outside.groups.add(Group.objects.get_or_create(name="analyst")[0])
    container = Container.objects.create(name="case")
    runs = []
    for name, marker in (("team playbook", TEAM), ("everyone's playbook", PUBLIC)):
        playbook = python_playbook(name, "def on_start(container):\n    pass\n")
        run = PlaybookRun.objects.create(playbook=playbook, container=container, playbook_version=playbook.current())
        events.store(run.pk, [("debug", {"message": f"stored {marker}"})])
        runs.append(run)
    team = Team.objects.create(name="red")
    team.members.add(analyst)
    runs[0].playbook.teams.add(team)
    return container, runs[0], runs[1], outside


@database_sync_to_async
def _run_both(team_run: PlaybookRun, public_run: PlaybookRun) -> None:
    for run, marker in ((team_run, TEAM), (public_run, PUBLIC)):
        events.store(run.pk, [("run.started", {"playbook": marker}), ("debug", {"message": f"live {marker}"})])


def _route(pattern: Any) -> str:
    return re.sub(r"<\w+:(\w+)>", r"<\1>", str(pattern.pattern))


def _urls(route: str, values: dict[str, list[int]]) -> list[str]:
    names = re.findall(r"<(\w+)>", route)
    for name in names:
        assert name in values, f"the matrix cannot fill <{name}> of {route}: teach it what the parameter names"
    template = re.sub(r"<(\w+)>", r"{\1}", route)
    return ["/" + template.format(**dict(zip(names, combo, strict=True)))
            for combo in itertools.product(*(values[n] for n in names))]


async def _drain(comm: WebsocketCommunicator) -> str:
    """Everything the socket sent until it has been quiet for a moment, as text."""
    got = []
    # receive_nothing, not a timed-out receive_output: a timeout there cancels the consumer.
    while not await comm.receive_nothing(timeout=0.5):
        got.append(repr(await comm.receive_output()))
    return "\n".join(got)


async def test_every_socket_sends_a_team_run_to_its_team_only(owner: User, editor: User, analyst: User,
                                                             viewer: User, outsider: User) -> None:
    container, team_run, public_run, outside = await _world(analyst)
    users: dict[str, User | None] = {"owner": owner, "editor": editor, "analyst": analyst,
                                     "analyst_outside": outside, "viewer": viewer, "outsider": outsider,
                                     "anonymous": None}
    values = {"run_id": [team_run.pk, public_run.pk], "container_id": [container.pk]}
    sockets: list[tuple[str, str, str, WebsocketCommunicator]] = []
    for pattern in websocket_urlpatterns:
        route = _route(pattern)
        for url in _urls(route, values):
            for persona, user in users.items():
                query = f"?token={await token_for(user)}" if user is not None else ""
                comm = communicator(url + query)
                connected, _ = await comm.connect()
                if connected:
                    sockets.append((route, url, persona, comm))
    await _run_both(team_run, public_run)
    received: dict[tuple[str, str, str], str] = {}
    for route, url, persona, comm in sockets:
        received[(route, url, persona)] = await _drain(comm)
        await comm.disconnect()

    leaks = sorted(f"{url} as {p}" for (_, url, p), text in received.items() if p in DENIED and TEAM in text)
    assert leaks == []
    no_role = sorted(f"{url} as {p}" for (_, url, p), text in received.items() if p in NO_ROLE and PUBLIC in text)
    assert no_role == []
    routes = {_route(p) for p in websocket_urlpatterns}
    showing = {route for (route, _, p), text in received.items() if p == "owner" and TEAM in text}
    assert sorted(showing - RUN_SOCKETS) == [], "these sockets send a run's events: add them to RUN_SOCKETS"
    assert sorted(RUN_SOCKETS - routes) == [], "RUN_SOCKETS names sockets soar.routing no longer has"
    for route in sorted(RUN_SOCKETS):
        for persona in ALLOWED:
            assert any(TEAM in text for (r, _, p), text in received.items() if (r, p) == (route, persona)), \
                f"{route} does not send the team run to {persona}"
        assert any(PUBLIC in text for (r, _, p), text in received.items() if (r, p) == (route, "viewer")), \
            f"{route} hides a public run from the viewer"
