"""Playbooks over SOAR's REST API: `/rest/playbook` records carry SOAR's fields and the
compiled module (`python`); runs name their playbook; a run's log is a paged list."""
from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from editor.models import Playbook, Team
from engine.models import PlaybookRun, RunEvent
from tests.editor.fixtures import GRAPH
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db

SOURCE = "import phantom.rules as phantom\n\n\ndef on_start(container):\n    phantom.debug('hello')\n"


@pytest.fixture
def triage(rest: APIClient) -> dict[str, Any]:
    doc = json.loads(json.dumps(GRAPH))
    doc.update({"category": "Triage", "labels": ["events"], "tags": ["demo"]})
    created = rest.post("/rest/playbook", {"name": "triage", "json": doc}, format="json")
    assert created.status_code == 200, created.json()
    return dict(rest.get(f"/rest/playbook/{created.json()['id']}").json())


def test_a_playbook_record_carries_soars_fields(triage: dict[str, Any], owner: Any) -> None:
    expected = {"id", "name", "description", "scm", "scm_id", "active", "disabled", "draft_mode", "category",
                "tags", "labels", "version", "latest_version", "create_time", "update_time", "owner", "owner_id",
                "playbook_type", "python_version", "python", "message", "latest_editor", "input_spec", "output_spec"}
    assert expected <= set(triage)
    assert (triage["name"], triage["category"], triage["labels"], triage["tags"]) == ("triage", "Triage", ["events"], ["demo"])
    assert (triage["version"], triage["python_version"], triage["playbook_type"]) == (1, "3", "automation")
    assert (triage["owner"], triage["owner_id"], triage["latest_editor"]) == ("owner", owner.pk, owner.pk)


def test_a_playbook_record_carries_its_notes_in_coa_data(rest: APIClient) -> None:
    doc = json.loads(json.dumps(GRAPH))
    doc["coa"]["data"].update({"notes": "read me", "description": "what it does"})
    rest.post("/rest/playbook", {"name": "noted", "json": doc}, format="json")
    # soarsdk's get_playbook_notes: the first row of a name filter, then coa_data.notes
    row = rest.get("/rest/playbook?_filter_name__exact='noted'&include_expensive=True").json()["data"][0]
    assert row["coa_data"] == {"description": "what it does", "notes": "read me"}


def test_a_playbook_record_carries_its_compiled_module(triage: dict[str, Any]) -> None:
    assert "def on_start(container" in triage["python"]
    assert "phantom" in triage["python"]


def test_the_list_carries_the_module_and_the_repository_id_too(rest: APIClient, triage: dict[str, Any]) -> None:
    row = rest.get("/rest/playbook").json()["data"][0]
    assert row["python"] == triage["python"]
    scm = {repo["name"]: repo["id"] for repo in rest.get("/rest/scm").json()["data"]}
    assert row["scm"] == row["scm_id"] == scm["local"] and row["scm_name"] == "local"


def test_the_python_field_has_its_own_url(rest: APIClient, triage: dict[str, Any]) -> None:
    assert rest.get(f"/rest/playbook/{triage['id']}/python").json() == triage["python"]


def test_a_new_version_shows_in_the_record(rest: APIClient, triage: dict[str, Any]) -> None:
    doc = json.loads(json.dumps(GRAPH))
    doc["coa"]["data"]["description"] = "second"
    assert rest.post(f"/rest/playbook/{triage['id']}", {"json": doc}, format="json").status_code == 200
    record = rest.get(f"/rest/playbook/{triage['id']}").json()
    assert (record["version"], record["description"]) == (2, "second")


def test_playbooks_filter_by_owner_name(rest: APIClient, triage: dict[str, Any]) -> None:
    assert rest.get("/rest/playbook?_filter_owner_name='owner'").json()["count"] == 1
    assert rest.get("/rest/playbook?_filter_owner_name='nobody'").json()["count"] == 0


def test_listing_playbooks_takes_a_fixed_number_of_queries(rest: APIClient, triage: dict[str, Any],
                                                           django_assert_max_num_queries: Any) -> None:
    for i in range(5):
        python_playbook(f"more {i}", SOURCE)
    with django_assert_max_num_queries(8):
        assert rest.get("/rest/playbook?page_size=0").json()["count"] == 6


# --- runs -------------------------------------------------------------------------------------
@pytest.fixture
def run(make_container: Any) -> PlaybookRun:
    playbook = python_playbook("greeter", SOURCE)
    run = PlaybookRun.objects.create(playbook=playbook, container=make_container(), playbook_version=playbook.current(),
                                     status="success", message="done")
    for seq in range(1, 26):
        RunEvent.objects.create(run=run, seq=seq, kind="debug", payload={"message": f"line {seq}", "block": "b"})
    RunEvent.objects.create(run=run, seq=26, kind="finish", payload={})
    return run


def test_a_run_record_names_its_playbook(rest: APIClient, run: PlaybookRun) -> None:
    record = rest.get(f"/rest/playbook_run/{run.pk}").json()
    assert (record["playbook"], record["playbook_name"], record["version"]) == (run.playbook_id, "greeter", 1)
    row = rest.get("/rest/playbook_run").json()["data"][0]
    assert row["playbook_name"] == "greeter" and {"owner", "effective_user", "cancelled", "log_level"} <= set(row)


def test_runs_filter_by_playbook_name(rest: APIClient, run: PlaybookRun) -> None:
    assert rest.get("/rest/playbook_run?_filter_playbook_name='greeter'").json()["count"] == 1
    assert rest.get("/rest/playbook_run?_filter_playbook_name='other'").json()["count"] == 0


def test_a_runs_log_is_soars_list_envelope_oldest_first(rest: APIClient, run: PlaybookRun) -> None:
    body = rest.get(f"/rest/playbook_run/{run.pk}/log").json()
    assert (body["count"], body["num_pages"], len(body["data"])) == (26, 3, 10)
    first = body["data"][0]
    assert (first["message"], first["message_type"], first["block"]) == ("line 1", "debug", "b")
    assert (first["playbook_run"], first["playbook"], first["container"]) == (run.pk, run.playbook_id, run.container_id)


def test_a_runs_log_pages_and_filters(rest: APIClient, run: PlaybookRun) -> None:
    last = rest.get(f"/rest/playbook_run/{run.pk}/log?page=2").json()["data"]
    assert [row["message"] for row in last] == [f"line {n}" for n in range(21, 26)] + ["finish"]
    assert rest.get(f"/rest/playbook_run/{run.pk}/log?page_size=0").json()["count"] == 26
    debug = rest.get(f"/rest/playbook_run/{run.pk}/log?_filter_message_type='debug'&page_size=0").json()
    assert debug["count"] == 25
    newest = rest.get(f"/rest/playbook_run/{run.pk}/log?order=desc").json()["data"][0]
    assert newest["message_type"] == "finish"


def test_a_bad_log_query_is_a_400_naming_the_parameter(rest: APIClient, run: PlaybookRun) -> None:
    response = rest.get(f"/rest/playbook_run/{run.pk}/log?page_size=x")
    assert response.status_code == 400 and "page_size" in response.json()["message"]


def test_a_team_runs_log_is_hidden_outside_the_team(rest_as: Any, run: PlaybookRun, viewer: Any, owner: Any) -> None:
    team = Team.objects.create(name="red")
    Playbook.objects.get(pk=run.playbook_id).teams.add(team)
    assert rest_as(viewer).get(f"/rest/playbook_run/{run.pk}/log").status_code == 404
    assert rest_as(owner).get(f"/rest/playbook_run/{run.pk}/log").status_code == 200


def test_a_missing_runs_log_is_a_json_404(rest: APIClient) -> None:
    response = rest.get("/rest/playbook_run/999999/log")
    assert response.status_code == 404 and response.json()["failed"] is True


# --- export -----------------------------------------------------------------------------------
def test_a_playbook_exports_as_soars_tgz_of_its_json_and_python(rest: APIClient, triage: dict[str, Any]) -> None:
    import io
    import tarfile

    response = rest.get(f"/rest/playbook/{triage['id']}/export")
    assert response.status_code == 200 and response["Content-Type"] == "application/gzip"
    assert 'filename="triage.tgz"' in response["Content-Disposition"]
    with tarfile.open(fileobj=io.BytesIO(response.content), mode="r:gz") as bundle:
        names = sorted(bundle.getnames())
    assert any(n.endswith("triage.json") for n in names) and any(n.endswith("triage.py") for n in names)


def test_a_team_playbook_is_listed_to_its_team_and_admins_only(rest_as: Any, triage: dict[str, Any], viewer: Any,
                                                                owner: Any) -> None:
    team = Team.objects.create(name="red")
    Playbook.objects.get(pk=triage["id"]).teams.add(team)
    assert rest_as(viewer).get("/rest/playbook").json()["count"] == 0
    assert rest_as(viewer).get(f"/rest/playbook/{triage['id']}").status_code == 404
    assert rest_as(owner).get("/rest/playbook").json()["count"] == 1
    team.members.add(viewer)
    assert rest_as(viewer).get(f"/rest/playbook/{triage['id']}/python").json() == triage["python"]


def test_a_team_playbooks_export_is_hidden_outside_the_team(rest_as: Any, triage: dict[str, Any], viewer: Any) -> None:
    Playbook.objects.get(pk=triage["id"]).teams.add(Team.objects.create(name="red"))
    response = rest_as(viewer).get(f"/rest/playbook/{triage['id']}/export")
    assert response.status_code == 404 and response.json()["failed"] is True


def test_a_missing_playbooks_export_is_a_json_404(rest: APIClient) -> None:
    response = rest.get("/rest/playbook/999999/export")
    assert response.status_code == 404 and response.json()["failed"] is True
