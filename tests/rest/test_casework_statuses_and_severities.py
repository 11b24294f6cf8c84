"""SOAR's configurable lists: `container_status`, `severity` (list, create, update, delete,
with SOAR's built-in rows) and `custom_field` (container custom field definitions); the
checks the container serializer calls (engine.models.casework, engine.rest.casework_settings)."""
from __future__ import annotations

from typing import Any

import pytest

from engine.models import AuditEntry, Container, ContainerStatus, CustomField, Severity
from engine.models.casework import check_custom_fields, container_severity, container_status, status_type
from tests.conftest import token_client

pytestmark = pytest.mark.django_db


def test_soar_built_in_statuses_and_severities_are_listed(rest: Any) -> None:
    statuses = rest.get("/rest/container_status?page_size=0").json()
    assert [(s["name"], s["status_type"]) for s in statuses["data"]] == [
        ("new", "new"), ("open", "in progress"), ("closed", "closed")]
    severities = rest.get("/rest/severity?page_size=0").json()
    assert [s["name"] for s in severities["data"]] == ["low", "medium", "high"]
    assert [s["name"] for s in severities["data"] if s["is_default"]] == ["medium"]


def test_an_admin_adds_a_status_and_containers_may_then_have_it(rest: Any) -> None:
    response = rest.post("/rest/container_status", {"name": "Escalated", "status_type": "inprogress"}, format="json")
    assert response.status_code == 200, response.json()
    assert ContainerStatus.objects.get(pk=response.json()["id"]).status_type == "in progress"
    assert container_status("escalated") == "Escalated"
    assert status_type("Escalated") == "in progress"
    with pytest.raises(ValueError, match="status must be one of new, open, closed, Escalated"):
        container_status("parked")


def test_a_severity_is_created_renamed_and_deleted(rest: Any, make_container: Any) -> None:
    response = rest.post("/rest/severity", {"name": "critical", "color": "purple", "order": 3}, format="json")
    assert response.status_code == 200, response.json()
    severity_id = response.json()["id"]
    assert container_severity("CRITICAL") == "critical"
    case = make_container(severity="critical")
    assert rest.post(f"/rest/severity/{severity_id}", {"name": "severe"}, format="json").status_code == 200
    case.refresh_from_db()
    assert case.severity == "severe"  # a rename carries the containers along
    refused = rest.delete(f"/rest/severity/{severity_id}")
    assert refused.status_code == 409 and "1 container" in refused.json()["message"]
    Container.objects.filter(pk=case.pk).update(severity="high")
    assert rest.delete(f"/rest/severity/{severity_id}").status_code == 200
    assert not Severity.objects.filter(pk=severity_id).exists()


def test_the_default_status_is_not_deleted_and_stays_unique(rest: Any) -> None:
    rest.get("/rest/container_status")
    new = ContainerStatus.objects.get(name="new")
    assert rest.delete(f"/rest/container_status/{new.pk}").status_code == 409
    made = rest.post("/rest/container_status", {"name": "triage", "status_type": "new", "is_default": True},
                     format="json").json()["id"]
    assert list(ContainerStatus.objects.filter(is_default=True).values_list("pk", flat=True)) == [made]


def test_bad_statuses_and_severities_are_refused_naming_the_field(rest: Any) -> None:
    for url, body, field in (("/rest/container_status", {"name": "x", "status_type": "paused"}, "status_type"),
                             ("/rest/container_status", {"name": ""}, "name"),
                             ("/rest/container_status", {"name": "new"}, "name"),
                             ("/rest/severity", {"name": "x", "color": "not a colour!"}, "color"),
                             ("/rest/severity", {"name": "x", "weight": 3}, "weight")):
        response = rest.post(url, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["message"]


def test_only_an_admin_changes_the_lists_but_every_role_reads_them(analyst: Any, viewer: Any,
                                                                   outsider: Any) -> None:
    assert token_client(viewer).get("/rest/severity").status_code == 200
    assert token_client(outsider).get("/rest/severity").status_code == 403
    assert token_client(analyst).post("/rest/severity", {"name": "x"}, format="json").status_code == 403
    assert token_client(analyst).post("/rest/custom_field", {"name": "x"}, format="json").status_code == 403


def test_status_writes_land_in_the_audit_trail(rest: Any) -> None:
    status_id = rest.post("/rest/container_status", {"name": "parked"}, format="json").json()["id"]
    assert AuditEntry.objects.filter(object_type="container_status", object_id=status_id, action="create",
                                     username="owner").exists()


def test_custom_fields_are_defined_and_checked(rest: Any) -> None:
    response = rest.post("/rest/custom_field", {"name": "Business unit", "type": "select",
                                                "values": ["Finance", "HR"], "required": True}, format="json")
    assert response.status_code == 200, response.json()
    read = rest.get(f"/rest/custom_field/{response.json()['id']}").json()
    assert (read["name"], read["type"], read["values"], read["required"]) == ("Business unit", "select",
                                                                              ["Finance", "HR"], True)
    assert check_custom_fields({"Business unit": "HR", "vendor_field": 1}) == {"Business unit": "HR",
                                                                              "vendor_field": 1}
    with pytest.raises(ValueError, match="'Business unit' must be one of Finance, HR"):
        check_custom_fields({"Business unit": "Sales"})
    with pytest.raises(ValueError, match="'Business unit' is required"):
        check_custom_fields({})
    CustomField.objects.update(disabled=True)
    assert check_custom_fields({}) == {}


def test_a_select_custom_field_needs_values_and_a_known_type(rest: Any) -> None:
    for body, field in (({"name": "x", "type": "select"}, "values"), ({"name": "x", "type": "date"}, "type"),
                        ({"name": "x", "values": "a,b"}, "values")):
        response = rest.post("/rest/custom_field", body, format="json")
        assert response.status_code == 400 and field in response.json()["message"], body
