"""Every HTTP route honours a team playbook's run visibility, for every persona.

The routes come from the URL conf itself, so a route added later is covered without
touching this module: each is filled with the ids of a team playbook's run (and of
everything that run produced) and of a team-less playbook's run, and read by every
persona. The team run's rows all carry TEAM, the team-less run's rows PUBLIC:

* TEAM reaches nobody but an admin and a member of the playbook's team, on any route;
* PUBLIC reaches every role and nobody without one;
* a route that shows TEAM to an admin is run-bearing and must be listed in RUN_ROUTES
  (a new route showing run data fails here until it is classified), and every listed
  route must show it (so the list cannot go stale and the checks cannot pass vacuously).
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from editor.models import Team
from engine.models import ActionRun, AppRun, Container, PlaybookRun, RunData, RunEvent, RunStep
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db

TEAM = "TEAM-ONLY-7f3a"
PUBLIC = "EVERYONE-2c9e"
BLOCK = "blk"

# Routes (parameters named without their converters) that serve rows a run produced, and
# what they are: "data" shows them, "page" is a run's page (an HTML shell whose data comes
# from /api/runs; it must 404 for outsiders).
RUN_ROUTES: dict[str, str] = {
    "runs/<pk>": "page",
    "rest/prompt": "data",
    "rest/playbook_run/<pk>/log": "data",
    "rest/playbook_run": "data",
    "rest/playbook_run/<pk>": "data",
    "rest/action_run": "data",
    "rest/action_run/<pk>": "data",
    "rest/playbook_run/<pk>/<field>": "data",
    "rest/action_run/<pk>/<field>": "data",
    "rest/action_run/<pk>/app_runs": "data",
    "rest/app_run": "data",
    "rest/app_run/<pk>": "data",
    "rest/container/<pk>/actions": "data",
    "rest/container/<pk>/playbook_runs": "data",
    "api/runs": "data",
    "api/runs/<pk>": "data",
    "api/runs/<pk>/blocks/<name>": "data",
    "api/runs/<pk>/prompts": "data",
}
# Routes not read here, each with the reason.
EXEMPT: dict[str, str] = {
    "admin/": "Django's admin site: staff accounts only, with Django's own model permissions",
    "api/schema/": "describes the API; reads no rows",
    "api/docs/": "describes the API; reads no rows",
}
# Who sees the team run: an admin and the member of its team; everybody else does not.
ALLOWED = ("owner", "analyst")
DENIED = ("editor", "analyst_outside", "viewer", "outsider", "anonymous")
NO_ROLE = ("outsider", "anonymous")


@dataclass
class World:
    team: dict[str, list[int]]
    public: dict[str, list[int]]
    team_run: int
    clients: dict[str, Client]


def _run_with_everything(name: str, marker: str, container: Container) -> dict[str, list[int]]:
    """A run whose every row (message, outputs, events, run data, action and app runs, a
    waiting prompt) carries `marker`; the ids of those rows by kind."""
    playbook = python_playbook(name, "def on_start(container):\n    pass\n")
    run = PlaybookRun.objects.create(playbook=playbook, container=container, playbook_version=playbook.current(),
                                     status="running", message=marker, outputs={"out": marker})
    event = RunEvent.objects.create(run=run, seq=1, kind="debug", payload={"message": marker, "block": BLOCK})
    run.event_seq = 1
    run.save(update_fields=["event_seq"])
    data = RunData.objects.create(run=run, key=f"{BLOCK}:out", value=f'"{marker}"')
    action = ActionRun.objects.create(playbook_run=run, container=container, action="lookup ip", name=BLOCK,
                                      message=marker)
    app_run = AppRun.objects.create(action_run=action, status="success", result_data=[{"data": [{"v": marker}]}])
    prompt = ActionRun.objects.create(playbook_run=run, container=container, action="prompt", name="ask",
                                      type="prompt", status="running")
    step = RunStep.objects.create(run=run, kind="prompt", status="waiting", name="ask", action_run=prompt,
                                  payload={"role": "analyst", "parameter": {"message": marker, "response_types": []}})
    return {"run": [run.pk], "event": [event.pk], "data": [data.pk], "action_run": [action.pk, prompt.pk],
            "app_run": [app_run.pk], "step": [step.pk], "container": [container.pk],
            "playbook": [playbook.pk]}


@pytest.fixture
def world(owner: User, editor: User, analyst: User, viewer: User, outsider: User) -> World:
    outside = User.objects.create_user("analyst_outside")
    outside.groups.add(Group.objects.get_or_create(name="analyst")[0])
    container = Container.objects.create(name="case")
    team_rows = _run_with_everything("team playbook", TEAM, container)
    team = Team.objects.create(name="red")
    team.members.add(analyst)
    PlaybookRun.objects.get(pk=team_rows["run"][0]).playbook.teams.add(team)
    public_rows = _run_with_everything("everyone's playbook", PUBLIC, container)
    clients: dict[str, Client] = {"anonymous": Client()}
    for user in (owner, editor, analyst, outside, viewer, outsider):
        client = Client()
        client.force_login(user)
        clients[user.username] = client
    return World(team_rows, public_rows, team_rows["run"][0], clients)


def _routes() -> Iterator[tuple[str, Any]]:
    """Every URL pattern of the URL conf as (full route, pattern), includes flattened."""
    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                assert isinstance(pattern, URLPattern)
                yield re.sub(r"<\w+:(\w+)>", r"<\1>", route), pattern
    yield from walk(get_resolver().url_patterns, "")


def _exempt(route: str) -> bool:
    return any(route.startswith(prefix) for prefix in EXEMPT)


def _values(name: str, world: World) -> list[str]:
    """What a path parameter is filled with: every id the two runs' rows have."""
    if name in ("pk", "run_id", "container_id"):
        ids = {i for rows in (world.team, world.public) for kind in rows.values() for i in kind}
        return [str(i) for i in sorted(ids)]
    if name == "number":
        return ["1"]
    if name == "name":
        return [BLOCK]
    if name == "path":
        return ["no-such-resource"]
    if name == "field":  # /rest/<type>/<id>/<field>: a field the runs' rows fill with the marker
        return ["message"]
    raise AssertionError(f"the matrix cannot fill the parameter <{name}>: teach _values what it names")


def _fill(route: str, pattern: Any, world: World) -> list[str]:
    """URLs for the route, one per combination of parameter values; each must resolve back
    to the same pattern (so a pattern this cannot fill fails instead of being skipped)."""
    if isinstance(pattern.pattern, RoutePattern):
        names = re.findall(r"<(\w+)>", route)
        template = re.sub(r"<(\w+)>", r"{\1}", route)
    else:
        assert isinstance(pattern.pattern, RegexPattern)
        names = re.findall(r"\(\?P<(\w+)>", route)
        template = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
        template = re.sub(r"\(\?:([^|)]*)[^)]*\)", r"\1", template).lstrip("^").rstrip("$")
    urls = []
    for combo in itertools.product(*(_values(n, world) for n in names)):
        url = "/" + template.format(**dict(zip(names, combo, strict=True)))
        assert resolve(url).func is pattern.callback, f"{route}: the matrix filled it as {url}, which resolves elsewhere"
        urls.append(url)
    return urls


def _read(world: World) -> dict[str, dict[str, list[tuple[str, int, str]]]]:
    """route -> persona -> [(url, status, body)] for every GET of every route."""
    seen: dict[str, dict[str, list[tuple[str, int, str]]]] = {}
    for route, pattern in _routes():
        if _exempt(route):
            continue
        for url in _fill(route, pattern, world):
            for persona, client in world.clients.items():
                response = client.get(url)
                assert response.status_code < 500, f"GET {url} as {persona}: {response.status_code}"
                body = response.content.decode(errors="replace")
                seen.setdefault(route, {}).setdefault(persona, []).append((url, response.status_code, body))
    return seen


def test_no_route_shows_a_team_run_to_anyone_outside_its_team(world: World) -> None:
    seen = _read(world)
    leaks = [f"{url} as {persona}" for answers in seen.values() for persona in DENIED
             for url, _, body in answers[persona] if TEAM in body]
    assert leaks == []
    no_role = [f"{url} as {persona}" for answers in seen.values() for persona in NO_ROLE
               for url, _, body in answers[persona] if PUBLIC in body]
    assert no_role == []
    run_page = f"/runs/{world.team_run}"
    for persona in DENIED:
        status = next(s for url, s, _ in seen["runs/<pk>"][persona] if url == run_page)
        assert status in (302, 403, 404), f"{run_page} as {persona}: {status}"


def test_every_route_showing_run_data_is_classified_and_shows_it_to_the_team(world: World) -> None:
    seen = _read(world)
    showing = {route for route, answers in seen.items() if any(TEAM in body for _, _, body in answers["owner"])}
    unclassified = sorted(showing - set(RUN_ROUTES))
    assert unclassified == [], "these routes show a run's rows: add them to RUN_ROUTES (and check their visibility)"
    data_routes = {route for route, kind in RUN_ROUTES.items() if kind == "data"}
    assert sorted(data_routes - set(seen)) == [], "RUN_ROUTES names routes the URL conf no longer has"
    for route in sorted(data_routes):
        for persona in ALLOWED:
            assert any(TEAM in body for _, _, body in seen[route][persona]), f"{route} hides the team run from {persona}"
        # Every role sees a team-less playbook's runs: the rule narrows, it does not hide.
        for persona in ("analyst_outside",):
            assert any(PUBLIC in body for _, _, body in seen[route][persona]), f"{route} hides a public run from {persona}"
    run_page = f"/runs/{world.team_run}"
    for persona in ALLOWED:
        assert next(s for url, s, _ in seen["runs/<pk>"][persona] if url == run_page) == 200


@pytest.mark.parametrize("method", ["post", "delete"])
def test_nobody_outside_the_team_changes_or_deletes_its_run_rows(world: World, method: str) -> None:
    """Writes go through the same narrowing as reads: an outsider's write finds nothing."""
    targets = {"rest/playbook_run/<pk>": world.team["run"], "rest/action_run/<pk>": world.team["action_run"],
               "rest/prompt/<pk>/respond": world.team["action_run"]}
    client = world.clients["analyst_outside"]
    for route, ids in targets.items():
        for pk in ids:
            url = "/" + route.replace("<pk>", str(pk))
            response = getattr(client, method)(url, {"responses": ["yes"], "status": "failed"},
                                               content_type="application/json")
            assert response.status_code in (403, 404, 405), f"{method.upper()} {url}: {response.status_code}"
    assert PlaybookRun.objects.filter(pk=world.team_run, status="running").exists()
    assert ActionRun.objects.filter(pk__in=world.team["action_run"]).count() == 2
    assert RunStep.objects.get(pk=world.team["step"][0]).status == "waiting"
