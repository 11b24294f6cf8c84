"""The run views' JSON (engine/runs_web.py): history per playbook and container, one run
with its stored events, what a block produced, and who may answer a run's prompts."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from engine.execution.runs import start_run
from engine.execution.worker import drain
from engine.models import ActionRun, Container, PlaybookRun, RunEvent
from tests.conftest import token_client
from tests.e2e import run_playbooks as pbs
from tests.engine.conftest import ended

pytestmark = pytest.mark.django_db(transaction=True)
Client = Callable[[User], APIClient]


@pytest.fixture
def case(transactional_db: Any) -> Container:
    pbs.utilities_asset()
    return Container.objects.create(name="case one", label="events")


def run_until(playbook_doc: dict[str, Any], name: str, container: Container, *, waiting: bool = False,
              **kwargs: Any) -> PlaybookRun:
    run = start_run(pbs.store(name, playbook_doc), container, scope="all", **kwargs)
    drain(until=lambda: ended(run.pk) or (waiting and RunEvent.objects.filter(run=run, kind="prompt.waiting").exists()),
          idle_timeout=10)
    return PlaybookRun.objects.get(pk=run.pk)


def test_the_history_of_a_playbook_and_of_a_container_is_newest_first(as_user: Client, viewer: User, case: Container) -> None:
    other = Container.objects.create(name="case two", label="events")
    first = run_until(pbs.failing_playbook(), "fails", case)
    second = start_run(first.playbook, other, scope="all")
    third = run_until(pbs.success_playbook(delay_s=0), "works", case)
    client = as_user(viewer)

    by_playbook = client.get(f"/api/runs?playbook={first.playbook_id}").json()
    assert by_playbook["count"] == 2 and [r["id"] for r in by_playbook["data"]] == [second.pk, first.pk]
    row = by_playbook["data"][1]
    assert row["status"] == "failed" and row["failed_block"] == "explode" and row["container_name"] == "case one"
    assert row["url"] == f"/runs/{first.pk}" and row["version"] == 1 and row["event_count"] > 5

    by_container = client.get(f"/api/runs?container={case.pk}").json()
    assert [r["id"] for r in by_container["data"]] == [third.pk, first.pk]
    both = client.get(f"/api/runs?container={case.pk}&playbook={third.playbook_id}&limit=1").json()
    assert both["count"] == 1 and both["data"][0]["id"] == third.pk
    assert [r["id"] for r in client.get("/api/runs?status=success").json()["data"]] == [third.pk]


def test_history_filters_must_be_ids(as_user: Client, viewer: User) -> None:
    response = as_user(viewer).get("/api/runs?playbook=abc")
    assert response.status_code == 400 and "playbook" in response.json()["message"]
    assert as_user(viewer).get("/api/runs?limit=0").status_code == 400


def test_a_run_answers_its_playbook_version_and_its_events_page_by_page(as_user: Client, viewer: User, case: Container) -> None:
    run = run_until(pbs.success_playbook(delay_s=0), "works", case)
    client = as_user(viewer)
    detail = client.get(f"/api/runs/{run.pk}").json()
    assert detail["status"] == "success" and detail["finished"] is True
    assert set(detail["playbook_json"]["coa"]["data"]["nodes"]) == {"0", "1", "2", "3", "4", "5", "6"}
    seqs = [e["seq"] for e in detail["events"]]
    assert seqs == list(range(1, run.event_seq + 1)) and detail["last_seq"] == run.event_seq
    assert detail["events"][0]["kind"] == "run.started" and detail["events"][-1]["kind"] == "run.finished"
    assert detail["more_events"] is False and detail["prompts"] == [] and detail["children"] == []

    page = client.get(f"/api/runs/{run.pk}?after=3&limit=5").json()
    assert [e["seq"] for e in page["events"]] == [4, 5, 6, 7, 8] and page["more_events"] is True and page["last_seq"] == 8
    assert client.get(f"/api/runs/{run.pk}?after={run.event_seq}").json()["events"] == []
    assert client.get("/api/runs/999999").status_code == 404


def test_an_action_block_answers_its_app_runs_with_result_data(as_user: Client, viewer: User, case: Container) -> None:
    run = run_until(pbs.success_playbook(delay_s=0), "works", case)
    body = as_user(viewer).get(f"/api/runs/{run.pk}/blocks/hash_name").json()
    (action,) = body["action_runs"]
    assert action["name"] == "hash_name" and action["action"] == "hash text" and action["status"] == "success"
    (app_run,) = action["app_runs"]
    assert app_run["asset"] == "utilities" and app_run["app"] == "Utilities" and app_run["status"] == "success"
    assert app_run["result_data"][0]["status"] == "success" and app_run["result_data"][0]["data"]


def test_code_and_format_blocks_answer_their_outputs(as_user: Client, viewer: User, case: Container) -> None:
    run = run_until(pbs.success_playbook(delay_s=0), "works", case)
    client = as_user(viewer)
    code = client.get(f"/api/runs/{run.pk}/blocks/slow_code").json()
    assert code["action_runs"] == [] and code["outputs"] == {"out": "slept"}
    formatted = client.get(f"/api/runs/{run.pk}/blocks/format_1").json()["formatted"]
    assert formatted["text"].strip() == "Case case one"
    assert client.get(f"/api/runs/{run.pk}/blocks/nothing_here").json()["action_runs"] == []


def test_only_the_addressee_may_answer_a_prompt(as_user: Client, analyst: User, editor: User, viewer: User, case: Container) -> None:
    run = run_until(pbs.prompt_playbook(approver="analyst"), "asks", case, waiting=True)
    mine = as_user(analyst).get(f"/api/runs/{run.pk}/prompts").json()["data"]
    assert len(mine) == 1
    assert mine[0]["status"] == "waiting" and mine[0]["may_answer"] is True and mine[0]["name"] == "ask"
    assert mine[0]["message"] == "Contain case case one?" and mine[0]["response_types"][0]["options"]["choices"] == ["Yes", "No"]
    assert as_user(editor).get(f"/api/runs/{run.pk}/prompts").json()["data"][0]["may_answer"] is False
    assert as_user(viewer).get(f"/api/runs/{run.pk}").json()["prompts"][0]["may_answer"] is False

    answered = as_user(analyst).post(f"/rest/prompt/{mine[0]['id']}/respond", {"responses": ["No"]}, format="json")
    assert answered.status_code == 200
    drain(until=lambda: ended(run.pk), idle_timeout=10)
    after = as_user(analyst).get(f"/api/runs/{run.pk}/prompts").json()["data"][0]
    assert after["status"] == "success" and after["may_answer"] is False
    assert ActionRun.objects.get(pk=mine[0]["id"]).status == "success"


def test_runs_started_over_rest_keep_the_simulate_writes_choice(as_user: Client, analyst: User, case: Container) -> None:
    playbook = pbs.store("works", pbs.success_playbook(delay_s=0))
    started = as_user(analyst).post("/rest/playbook_run", {"container_id": case.pk, "playbook_id": playbook.pk,
                                                          "scope": "all", "run": True, "simulate_writes": False}, format="json")
    assert started.status_code == 200
    run_id = started.json()["playbook_run_id"]
    assert PlaybookRun.objects.get(pk=run_id).simulate_writes is False
    assert as_user(analyst).get(f"/api/runs/{run_id}").json()["simulate_writes"] is False


def test_people_without_a_role_see_no_runs(outsider: User, case: Container) -> None:
    run = start_run(pbs.store("works", pbs.success_playbook(delay_s=0)), case)
    client = token_client(outsider)
    for url in ("/api/runs", f"/api/runs/{run.pk}", f"/api/runs/{run.pk}/blocks/format_1", f"/api/runs/{run.pk}/prompts"):
        assert client.get(url).status_code == 403, url
    assert APIClient().get("/api/runs").status_code in (401, 403)
