"""Prompts (answer and timeout), run scope new/all, and add_artifact deduplication."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from engine.artifacts import create_artifact
from engine.execution.runs import start_run
from engine.execution.worker import drain
from engine.models import ActionRun, Artifact, Container, PlaybookRun, RunData, RunStep
from tests.conftest import token_client
from tests.engine.conftest import ended, python_playbook
from tests.engine.timers import make_timers_due

pytestmark = pytest.mark.django_db(transaction=True)
Runner = Callable[..., PlaybookRun]

PROMPT = '''
import json
import phantom.rules as phantom

def on_start(container):
    phantom.prompt2(container=container, user="analyst", message="Block {0}?", respond_in_mins=5,
                    name="ask_1", callback=answered, parameters=["container:name"],
                    response_types=[{"prompt": "Block it?", "options": {"type": "list", "choices": ["Yes", "No"]}}])

def answered(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    summary = results[0]["action_results"][0]["summary"]
    phantom.save_run_data(key="answer", value=json.dumps({"success": success, "responses": summary["responses"]}))

def on_finish(container, summary):
    pass
'''


def test_a_prompt_waits_for_the_answer_and_the_callback_receives_it(container: Container, analyst: User) -> None:
    run = start_run(python_playbook("ask", PROMPT), container)
    drain()
    assert PlaybookRun.objects.get(pk=run.pk).status == "running"
    prompt = ActionRun.objects.get(playbook_run=run, type="prompt")
    client = token_client(analyst)
    waiting = client.get("/rest/prompt").json()
    assert waiting["count"] == 1 and waiting["data"][0]["message"] == "Block case?"
    bad = client.post(f"/rest/prompt/{prompt.pk}/respond", {"responses": ["Maybe"]}, format="json")
    assert bad.status_code == 400 and "responses[0]" in bad.json()["message"]
    assert client.post(f"/rest/prompt/{prompt.pk}/respond", {"responses": ["Yes"]}, format="json").json()["success"]
    drain(until=lambda: ended(run.pk))
    run.refresh_from_db()
    assert run.status == "success", run.message
    assert json.loads(RunData.objects.get(run=run, key="answer").value) == {"success": True, "responses": ["Yes"]}
    again = client.post(f"/rest/prompt/{prompt.pk}/respond", {"responses": ["No"]}, format="json")
    assert again.status_code == 409


def test_a_prompt_addressed_to_someone_else_cannot_be_answered(container: Container, editor: User) -> None:
    run = start_run(python_playbook("ask", PROMPT), container)
    drain()
    prompt = ActionRun.objects.get(playbook_run=run, type="prompt")
    response = token_client(editor).post(f"/rest/prompt/{prompt.pk}/respond", {"responses": ["Yes"]}, format="json")
    assert response.status_code == 403


def test_an_unanswered_prompt_times_out_and_the_callback_sees_failure(container: Container) -> None:
    run = start_run(python_playbook("ask", PROMPT), container)
    drain()
    # Bring the deadline forward instead of waiting five minutes.
    make_timers_due(now=timezone.now() - timedelta(seconds=1))
    RunStep.objects.filter(run=run, kind="prompt_timeout").update(not_before=timezone.now())
    drain(until=lambda: ended(run.pk))
    run.refresh_from_db()
    assert run.status == "success"
    assert json.loads(RunData.objects.get(run=run, key="answer").value) == {"success": False, "responses": []}
    assert "not answered within 5 minutes" in ActionRun.objects.get(playbook_run=run, type="prompt").message


SCOPE = '''
import json
import phantom.rules as phantom

def on_start(container):
    rows = phantom.collect2(container=container, datapath=["artifact:*.cef.sourceAddress", "artifact:*.id"])
    phantom.save_run_data(key="ips", value=json.dumps([r[0] for r in rows]))

def on_finish(container, summary):
    pass
'''


def test_scope_new_sees_only_artifacts_the_playbook_has_not_seen_and_all_sees_every_one(
        container: Container, run_to_end: Runner) -> None:
    playbook = python_playbook("scope", SCOPE)
    create_artifact(container, {"name": "a", "cef": {"sourceAddress": "10.0.0.1"}})
    first = run_to_end(playbook, container, scope="new")
    create_artifact(container, {"name": "b", "cef": {"sourceAddress": "10.0.0.2"}})
    second = run_to_end(playbook, container, scope="new")
    third = run_to_end(playbook, container, scope="all")
    ips = [json.loads(RunData.objects.get(run=r, key="ips").value) for r in (first, second, third)]
    assert ips == [["10.0.0.1"], ["10.0.0.2"], ["10.0.0.1", "10.0.0.2"]]


ADD = '''
import json
import phantom.rules as phantom

def on_start(container):
    outcomes = [phantom.add_artifact(container=container, raw_data={}, cef_data={"sourceAddress": "9.9.9.9"},
                                     label="event", name="observed ip", severity="high") for _ in range(2)]
    phantom.save_run_data(key="outcomes", value=json.dumps(outcomes))

def on_finish(container, summary):
    pass
'''


def test_add_artifact_twice_is_rejected_the_second_time_but_an_app_copy_is_kept(
        container: Container, run_to_end: Runner) -> None:
    create_artifact(container, {"name": "observed ip", "label": "event", "cef": {"sourceAddress": "9.9.9.9"},
                                "source_data_identifier": "siem-123"})
    run = run_to_end(python_playbook("add", ADD), container)
    first, second = json.loads(RunData.objects.get(run=run, key="outcomes").value)
    assert first[0] is True and second[0] is False and second[2] == first[2]
    assert Artifact.objects.filter(container=container, cef__sourceAddress="9.9.9.9").count() == 2


def test_starting_a_run_over_rest_returns_its_id_and_the_run_reports_its_log(container: Container, analyst: User) -> None:
    playbook = python_playbook("scope", SCOPE)
    client: APIClient = token_client(analyst)
    body = client.post("/rest/playbook_run", {"container_id": container.pk, "playbook_id": f"local/{playbook.name}",
                                              "scope": "all", "run": True}, format="json").json()
    assert body["received"] is True
    drain(until=lambda: ended(body["playbook_run_id"]))
    detail = client.get(f"/rest/playbook_run/{body['playbook_run_id']}").json()
    assert detail["status"] == "success" and detail["event_count"] >= 2
