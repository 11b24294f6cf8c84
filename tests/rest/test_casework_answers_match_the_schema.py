"""The case-work routes answer, for rows that exist, what /api/schema/ documents (the fuzz
test of tests/api mostly meets ids that do not exist, so success shapes are checked here)."""
from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.test import Client

from tests.api.test_schema_matches_the_api import schema

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_real_case_work_answers_match_the_schema(owner: Any, settings: Any, tmp_path: Any) -> None:
    from engine.models import ApiToken, Container, ContainerPhase, ContainerTask, ContainerWorkbook, Indicator

    settings.SOAR_VAULT_DIR = tmp_path / "vault"
    client = Client(schema.app)
    auth = {"ph-auth-token": ApiToken.issue(owner)[1], "Accept-Encoding": "identity"}

    def call(method: str, template: str, body: Any = None, **ids: Any) -> Any:
        url = template.format(**ids)
        response = client.open(url, method=method, headers=auth, json=body)
        assert response.status_code < 300, (method, url, response.get_data()[:300])
        schema[template.split("?")[0]][method].validate_response(response)
        return json.loads(response.get_data()) if response.mimetype == "application/json" else None

    case = Container.objects.create(name="probe", label="events")
    workbook = ContainerWorkbook.objects.create(container=case, name="wb")
    phase = ContainerPhase.objects.create(workbook=workbook, container=case, name="p")
    task = ContainerTask.objects.create(phase=phase, container=case, name="t")
    indicator = Indicator.for_value("10.1.1.1", cef_key="sourceAddress", data_types=["ip"])
    cid = case.pk
    made = {
        "note": call("POST", "/rest/note", {"container_id": cid, "note_type": "task", "task_id": task.pk,
                                            "title": "t"})["id"],
        "container_comment": call("POST", "/rest/container_comment", {"container_id": cid, "comment": "c"})["id"],
        "container_pin": call("POST", "/rest/container_pin", {"container_id": cid, "message": "m"})["id"],
        "container_attachment": call("POST", "/rest/container_attachment", {
            "container_id": cid, "file_name": "a.txt", "file_content": base64.b64encode(b"hi").decode()})["id"],
        "container_status": call("POST", "/rest/container_status", {"name": "parked"})["id"],
        "severity": call("POST", "/rest/severity", {"name": "critical", "color": "purple"})["id"],
        "custom_field": call("POST", "/rest/custom_field", {"name": "unit", "type": "select",
                                                            "values": ["a"]})["id"],
        "cef": call("POST", "/rest/cef", {"name": "myField", "data_type": ["ip"]})["id"],
        "workbook_template": call("POST", "/rest/workbook_template", {
            "name": "probe", "phases": [{"name": "p", "tasks": [{"name": "t"}]}]})["id"],
        "decided_list": call("POST", "/rest/decided_list", {"name": "probe list", "content": [["a"]]})["id"],
        "indicator": indicator.pk,
    }
    made["indicator_cef_filter"] = made["cef"]
    made["workbook_phase"] = phase.pk
    made["evidence"] = call("POST", "/rest/evidence", {"container_id": cid, "object_id": made["note"],
                                                       "content_type": "note"})["id"]
    phase_template = call("GET", "/rest/workbook_phase_template?_filter_template={id}",
                          id=made["workbook_template"])["data"][0]
    made["workbook_phase_template"] = phase_template["id"]
    made["workbook_task_template"] = phase_template["tasks"][0]["id"]
    for kind, pk in made.items():
        call("GET", f"/rest/{kind}")
        call("GET", f"/rest/{kind}/{{id}}", id=pk)
    for sub in ("notes", "comments", "evidence", "attachments", "phases", "pins"):
        call("GET", f"/rest/container/{{id}}/{sub}", id=cid)
    call("GET", "/rest/container_attachment/{id}/download", id=made["container_attachment"])
    call("GET", "/rest/decided_list/{name}", name="probe list")
    call("POST", "/rest/decided_list/{name}", {"append_rows": [["b"]]}, name="probe list")
    call("GET", "/rest/indicator_by_value?indicator_value=10.1.1.1")
    call("GET", "/rest/cef_metadata")
    call("POST", "/rest/indicator_cef_filter/{id}", {"apply_filter": True}, id=made["cef"])
    call("DELETE", "/rest/decided_list/{name}", name="probe list")
