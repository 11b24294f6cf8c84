"""The run page (/runs/<id>): a mount point for the live view, for anybody with a role."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from engine.models import Container, PlaybookRun
from tests.conftest import PASSWORD
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(db: None) -> PlaybookRun:
    playbook = python_playbook("p", "def on_start(container):\n    pass\n\ndef on_finish(container, summary):\n    pass\n")
    container = Container.objects.create(name="case")
    return PlaybookRun.objects.create(playbook=playbook, container=container, playbook_version=playbook.current())


def logged_in(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_viewer_gets_the_run_view_mounted_for_the_run(client: Client, viewer: User, run: PlaybookRun) -> None:
    response = logged_in(client, viewer).get(f"/runs/{run.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="run-view" data-run-id="{run.pk}"' in body and 'data-rest-base="/rest"' in body
    assert f"Run #{run.pk}" in body


def test_an_anonymous_visitor_is_sent_to_the_login_page(client: Client, run: PlaybookRun) -> None:
    response = client.get(f"/runs/{run.pk}")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_user_without_a_role_is_refused(client: Client, outsider: User, run: PlaybookRun) -> None:
    assert logged_in(client, outsider).get(f"/runs/{run.pk}").status_code == 403


def test_a_missing_run_is_not_found(client: Client, viewer: User) -> None:
    assert logged_in(client, viewer).get("/runs/424242").status_code == 404


def test_the_home_page_links_recent_runs_to_their_page(client: Client, viewer: User, run: PlaybookRun) -> None:
    body = logged_in(client, viewer).get("/").content.decode()
    assert f'href="/runs/{run.pk}"' in body
