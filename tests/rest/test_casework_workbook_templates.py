"""SOAR's workbook templates (`workbook_template` with phases and tasks nested on create,
`workbook_phase_template`, `workbook_task_template`) and a container's phases
(`/rest/container/<id>/phases`)."""
from __future__ import annotations

from typing import Any

import pytest

from engine.models import AuditEntry, WorkbookPhaseTemplate, WorkbookTaskTemplate, WorkbookTemplate
from engine.models.workbooks import instantiate_workbook
from tests.conftest import token_client

pytestmark = pytest.mark.django_db

TEMPLATE = {
    "name": "Phishing", "description": "Respond to a phishing report", "is_default": False,
    "is_note_required": False,
    "phases": [
        {"name": "Triage", "order": 1, "tasks": [
            {"name": "Read the email", "description": "headers too", "order": 1,
             "suggestions": {"playbooks": [{"playbook": "extract_iocs", "scm": "local"}]}},
            {"name": "Decide", "order": 2, "is_note_required": True}]},
        {"name": "Contain", "order": 2, "tasks": [{"name": "Block the sender", "order": 1}]},
    ],
}


def test_a_template_is_created_with_its_phases_and_tasks_nested(rest: Any) -> None:
    response = rest.post("/rest/workbook_template", TEMPLATE, format="json")
    assert response.status_code == 200, response.json()
    template = WorkbookTemplate.objects.get(pk=response.json()["id"])
    phases = list(template.phases.all())
    assert [p.name for p in phases] == ["Triage", "Contain"]
    assert [t.name for t in phases[0].tasks.all()] == ["Read the email", "Decide"]
    read = rest.get(f"/rest/workbook_template/{template.pk}").json()
    assert read["name"] == "Phishing" and read["creator"] == "owner"
    task = read["phases"][0]["tasks"][0]
    assert task["suggestions"]["playbooks"] == [{"playbook": "extract_iocs", "scm": "local"}]
    assert read["phases"][0]["tasks"][1]["is_note_required"] is True


def test_the_built_in_templates_are_listed(rest: Any) -> None:
    names = [t["name"] for t in rest.get("/rest/workbook_template?page_size=0").json()["data"]]
    assert "Response" in names


def test_phase_and_task_templates_are_added_one_by_one(rest: Any) -> None:
    template_id = rest.post("/rest/workbook_template", {"name": "Bare"}, format="json").json()["id"]
    phase = rest.post("/rest/workbook_phase_template", {"template": template_id, "name": "Only phase",
                                                        "tasks": [{"name": "first"}]}, format="json")
    assert phase.status_code == 200, phase.json()
    task = rest.post("/rest/workbook_task_template", {"phase": phase.json()["id"], "name": "second", "order": 5},
                     format="json")
    assert task.status_code == 200, task.json()
    listed = rest.get(f"/rest/workbook_phase_template?_filter_template={template_id}").json()
    assert [t["name"] for t in listed["data"][0]["tasks"]] == ["first", "second"]
    assert rest.get(f"/rest/workbook_task_template?_filter_phase={phase.json()['id']}").json()["count"] == 2


def test_an_update_with_phases_replaces_them(rest: Any) -> None:
    template_id = rest.post("/rest/workbook_template", TEMPLATE, format="json").json()["id"]
    response = rest.post(f"/rest/workbook_template/{template_id}",
                         {"description": "v2", "phases": [{"name": "Single", "tasks": [{"name": "t"}]}]},
                         format="json")
    assert response.status_code == 200, response.json()
    assert list(WorkbookPhaseTemplate.objects.filter(template_id=template_id).values_list("name", flat=True)) \
        == ["Single"]
    assert WorkbookTemplate.objects.get(pk=template_id).description == "v2"


def test_bad_templates_are_refused_naming_the_field(rest: Any) -> None:
    for body, field in (({"name": "x", "phases": [{"tasks": []}]}, "phases[0].name"),
                        ({"name": "x", "phases": [{"name": "p", "tasks": [{"name": ""}]}]}, "tasks[0].name"),
                        ({"name": "x", "phases": [{"name": "p", "tasks": [{"name": "t", "suggestions": 3}]}]},
                         "suggestions"),
                        ({"name": "x", "status": "maybe"}, "status")):
        response = rest.post("/rest/workbook_template", body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["message"]
    assert not WorkbookTemplate.objects.filter(name="x").exists()
    missing = rest.post("/rest/workbook_task_template", {"name": "orphan"}, format="json")
    assert missing.status_code == 400 and "phase" in missing.json()["message"]


def test_deleting_a_template_removes_its_phases_and_audits(rest: Any) -> None:
    template_id = rest.post("/rest/workbook_template", TEMPLATE, format="json").json()["id"]
    assert rest.delete(f"/rest/workbook_template/{template_id}").status_code == 200
    assert not WorkbookTaskTemplate.objects.filter(phase__template_id=template_id).exists()
    actions = sorted(AuditEntry.objects.filter(object_type="workbook_template", object_id=template_id)
                     .values_list("action", flat=True))
    assert actions == ["create", "delete"]


def test_only_an_admin_edits_templates(analyst: Any, viewer: Any) -> None:
    assert token_client(viewer).get("/rest/workbook_template").status_code == 200
    assert token_client(analyst).post("/rest/workbook_template", TEMPLATE, format="json").status_code == 403


def test_the_container_lists_its_phases_with_their_tasks(rest: Any, make_container: Any) -> None:
    case = make_container()
    template = WorkbookTemplate.objects.get(pk=rest.post("/rest/workbook_template", TEMPLATE,
                                                         format="json").json()["id"])
    instantiate_workbook(case, template)
    body = rest.get(f"/rest/container/{case.pk}/phases").json()
    assert body["count"] == 2
    first = body["data"][0]
    assert (first["name"], first["container"], first["template"]) == ("Triage", case.pk, template.pk)
    assert [t["name"] for t in first["tasks"]] == ["Read the email", "Decide"]
    assert first["tasks"][0]["status"] == 0
    assert rest.get("/rest/container/999999/phases").status_code == 404


def test_a_containers_phase_is_renamed_and_removed_as_workbook_phase(rest: Any, viewer: Any,
                                                                      make_container: Any) -> None:
    case = make_container()
    template = WorkbookTemplate.objects.get(pk=rest.post("/rest/workbook_template", TEMPLATE,
                                                         format="json").json()["id"])
    instantiate_workbook(case, template)
    listed = rest.get(f"/rest/workbook_phase?_filter_container={case.pk}").json()
    assert [p["name"] for p in listed["data"]] == ["Triage", "Contain"]
    phase_id = listed["data"][0]["id"]
    assert rest.post(f"/rest/workbook_phase/{phase_id}", {"name": "Investigate"}, format="json").status_code == 200
    assert rest.get(f"/rest/workbook_phase/{phase_id}").json()["name"] == "Investigate"
    bad = rest.post(f"/rest/workbook_phase/{phase_id}", {"container": 1}, format="json")
    assert bad.status_code == 400 and "container" in bad.json()["message"]
    missing = rest.post("/rest/workbook_phase", {"name": "x"}, format="json")
    assert missing.status_code == 400 and "container_id" in missing.json()["message"]
    assert token_client(viewer).post(f"/rest/workbook_phase/{phase_id}", {"name": "y"},
                                     format="json").status_code == 403
    assert rest.delete(f"/rest/workbook_phase/{phase_id}").status_code == 200
    assert rest.get(f"/rest/container/{case.pk}/phases").json()["count"] == 1
    assert AuditEntry.objects.filter(object_type="workbook_phase", object_id=phase_id, action="update",
                                     container_id=case.pk).exists()


def test_a_phase_is_added_to_a_container_by_hand(rest: Any, make_container: Any) -> None:
    case = make_container()
    first = rest.post("/rest/workbook_phase", {"container_id": case.pk, "name": "Review"}, format="json")
    assert first.status_code == 200, first.json()
    second = rest.post("/rest/workbook_phase", {"container_id": case.pk, "name": "Close"}, format="json")
    phases = rest.get(f"/rest/container/{case.pk}/phases").json()["data"]
    assert [(p["id"], p["name"], p["order"]) for p in phases] == [(first.json()["id"], "Review", 0),
                                                                  (second.json()["id"], "Close", 1)]
    assert len({p["workbook"] for p in phases}) == 1
    unnamed = rest.post("/rest/workbook_phase", {"container_id": case.pk, "name": " "}, format="json")
    assert unnamed.status_code == 400 and "name" in unnamed.json()["message"]
