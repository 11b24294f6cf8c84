"""Teams limit the run history API and the run page as they limit the websocket."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from editor.models import Team
from engine.models import Container, PlaybookRun
from tests.conftest import PASSWORD
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db


def _team_run(*members: Any) -> PlaybookRun:
    container = Container.objects.create(name="case")
    playbook = python_playbook("secret", "def on_start(container):\n    pass\n")
    team = Team.objects.create(name="red")
    team.members.add(*members)
    playbook.teams.add(team)
    return PlaybookRun.objects.create(playbook=playbook, container=container, playbook_version=playbook.current())


def test_an_analyst_outside_the_team_neither_lists_nor_opens_its_runs(as_user: Callable[..., Any], analyst: Any,
                                                                      editor: Any) -> None:
    run = _team_run(editor)
    client = as_user(analyst)
    assert client.get(f"/api/runs?playbook={run.playbook_id}").json()["count"] == 0
    assert client.get(f"/api/runs/{run.pk}").status_code == 404
    assert as_user(editor).get(f"/api/runs/{run.pk}").status_code == 200


def test_the_run_page_is_not_found_for_someone_outside_the_team(analyst: Any, editor: Any) -> None:
    run = _team_run(editor)
    browser = Client()
    assert browser.login(username="analyst", password=PASSWORD)
    assert browser.get(f"/runs/{run.pk}").status_code == 404
    assert browser.login(username="editor", password=PASSWORD)
    assert browser.get(f"/runs/{run.pk}").status_code == 200
