"""Saving and activating validate against this installation: action blocks need an app
and an asset (an error), a called playbook must exist (a warning on save, an error on
activation)."""
from __future__ import annotations

import copy
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.editor.fixtures import GRAPH, _node

pytestmark = pytest.mark.django_db


def with_block(block: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(GRAPH)
    data = doc["coa"]["data"]
    data["nodes"]["3"] = block
    data["edges"].append({"id": "port_2_to_port_3", "sourceNode": "2", "sourcePort": "2_out", "targetNode": "3",
                          "targetPort": "3_in"})
    return doc


def call_block(name: str) -> dict[str, Any]:
    return _node("3", "playbook", "call_enrich", 300, functionId=1, inputs={}, playbookName=name, playbookRepo=2,
                 playbookRepoName="local", playbookType="automation", synchronous=False)


def action_block(**data: Any) -> dict[str, Any]:
    fields = {"action": "geolocate ip", "actionType": "investigate", "connector": "", "connectorConfigs": [],
              "connectorId": "", "connectorVersion": "v1", "functionId": 1, "parameters": {"ip": "1.1.1.1"},
              "requiredParameters": []}
    return _node("3", "action", "geolocate_ip_1", 300, **{**fields, **data})


def create(api: APIClient, name: str, doc: dict[str, Any]) -> int:
    response = api.post("/api/playbooks", {"name": name, "json": doc}, format="json")
    assert response.status_code == 201, response.content
    pid: int = response.json()["id"]
    return pid


def problems(response: Any, kind: str) -> list[dict[str, Any]]:
    return [e for e in response.json()["errors"] if e["kind"] == kind]


def test_saving_a_call_to_a_missing_playbook_warns_and_activating_it_is_refused(api: APIClient) -> None:
    pid = create(api, "caller", GRAPH)
    saved = api.put(f"/api/playbooks/{pid}", {"json": with_block(call_block("enrich")), "base_version": 1},
                    format="json")
    assert saved.status_code == 200
    [warning] = problems(saved, "unknown_playbook")
    assert (warning["block_id"], warning["severity"]) == ("3", "warning")
    refused = api.post(f"/api/playbooks/{pid}/activate")
    assert refused.status_code == 400
    [error] = problems(refused, "unknown_playbook")
    assert (error["block_id"], error["severity"]) == ("3", "error")


def test_activating_is_allowed_once_the_called_playbook_exists(api: APIClient) -> None:
    pid = create(api, "caller", with_block(call_block("enrich")))
    create(api, "enrich", GRAPH)
    assert api.post(f"/api/playbooks/{pid}/activate").json() == {"active": True}


def test_saving_an_action_without_app_or_asset_reports_errors_on_the_block(api: APIClient) -> None:
    pid = create(api, "lookup", GRAPH)
    saved = api.put(f"/api/playbooks/{pid}", {"json": with_block(action_block()), "base_version": 1}, format="json")
    found = {(e["kind"], e["block_id"], e["severity"]) for e in saved.json()["errors"]}
    assert {("missing_app", "3", "error"), ("missing_asset", "3", "error")} <= found
    refused = api.post(f"/api/playbooks/{pid}/activate")
    assert refused.status_code == 400 and {e["block_id"] for e in refused.json()["errors"]} == {"3"}
