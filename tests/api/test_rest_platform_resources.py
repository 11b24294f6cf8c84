"""REST resources community playbooks call: ph_user, indicator, workbook_task, container_pin."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.models import Container, ContainerTask, Indicator, Pin
from engine.models.workbooks import WorkbookTemplate, instantiate_workbook, seed_workbook_templates

pytestmark = pytest.mark.django_db


def test_ph_user_shows_a_user_without_secrets(api: Any, analyst: Any) -> None:
    body = api.get(f"/rest/ph_user/{analyst.pk}").json()
    assert body["username"] == "analyst" and body["type"] == "normal" and body["roles"] == ["analyst"]
    assert "password" not in body


def test_a_user_deleted_through_ph_user_is_deactivated_not_erased(api: Any, analyst: Any) -> None:
    # Issue 22 made ph_user writable for admins (tests/rest/test_people_users.py); a delete
    # deactivates, as SOAR's does, so the user's history keeps its name.
    assert api.post("/rest/ph_user", {"username": "x"}, format="json").status_code == 400  # no password
    assert api.delete(f"/rest/ph_user/{analyst.pk}").status_code == 200
    body = api.get(f"/rest/ph_user/{analyst.pk}").json()
    assert body["is_active"] is False and body["username"] == "analyst"


def test_an_outsider_cannot_read_users(as_user: Callable[..., Any], outsider: Any, analyst: Any) -> None:
    assert as_user(outsider).get(f"/rest/ph_user/{analyst.pk}").status_code == 403


def test_an_analyst_tags_an_indicator_but_cannot_change_its_value(as_user: Callable[..., Any], analyst: Any) -> None:
    indicator = Indicator.for_value("203.0.113.66", cef_key="sourceAddress", data_types=["ip"])
    client = as_user(analyst)
    r = client.post(f"/rest/indicator/{indicator.pk}", {"tags": ["blocked"], "value": "1.1.1.1"}, format="json")
    assert r.status_code in (200, 400)
    indicator.refresh_from_db()
    assert indicator.value == "203.0.113.66"
    ok = client.post(f"/rest/indicator/{indicator.pk}", {"tags": ["blocked"]}, format="json")
    assert ok.status_code == 200
    indicator.refresh_from_db()
    assert indicator.tags == ["blocked"]


def _first_task(container: Container) -> ContainerTask:
    seed_workbook_templates()
    instantiate_workbook(container, WorkbookTemplate.objects.order_by("id").first())
    task = ContainerTask.objects.filter(container=container).order_by("phase__order", "order").first()
    assert task is not None
    return task


def test_a_workbook_task_takes_soar_s_numeric_status(as_user: Callable[..., Any], analyst: Any) -> None:
    task = _first_task(Container.objects.create(name="case"))
    client = as_user(analyst)
    assert client.post(f"/rest/workbook_task/{task.pk}", {"status": 1}, format="json").status_code == 200
    task.refresh_from_db()
    assert task.status == "complete" and task.end_time is not None
    assert client.get(f"/rest/workbook_task/{task.pk}").json()["status"] == 1


def test_a_workbook_task_refuses_an_unknown_status_and_says_which_field(as_user: Callable[..., Any], analyst: Any) -> None:
    task = _first_task(Container.objects.create(name="case"))
    r = as_user(analyst).post(f"/rest/workbook_task/{task.pk}", {"status": 7}, format="json")
    assert r.status_code == 400 and "status" in r.json()["message"]


def test_a_viewer_cannot_change_a_workbook_task(as_user: Callable[..., Any], viewer: Any) -> None:
    task = _first_task(Container.objects.create(name="case"))
    assert as_user(viewer).post(f"/rest/workbook_task/{task.pk}", {"status": 1}, format="json").status_code == 403


def test_pins_are_created_listed_and_deleted_by_container(as_user: Callable[..., Any], analyst: Any) -> None:
    case = Container.objects.create(name="case")
    client = as_user(analyst)
    r = client.post("/rest/container_pin", {"container": case.pk, "message": "Risk", "data": "80",
                                            "pin_type": "card", "pin_style": "red"}, format="json")
    assert r.status_code == 200, r.json()
    listed = client.get(f"/rest/container_pin?_filter_container={case.pk}").json()
    assert listed["count"] == 1 and listed["data"][0]["message"] == "Risk"
    assert client.delete(f"/rest/container_pin/{r.json()['id']}").status_code == 200
    assert not Pin.objects.exists()


def test_a_pin_with_an_unknown_style_is_refused(as_user: Callable[..., Any], analyst: Any) -> None:
    case = Container.objects.create(name="case")
    r = as_user(analyst).post("/rest/container_pin", {"container": case.pk, "message": "x", "pin_style": "pink"},
                              format="json")
    assert r.status_code == 400 and "pin_style" in r.json()["message"]


def test_cef_metadata_lists_the_contains_types_of_known_and_stored_fields(api: Any) -> None:
    from engine.artifacts import create_artifact

    case = Container.objects.create(name="case")
    create_artifact(case, {"name": "a", "cef": {"jobId": "x"}, "cef_types": {"jobId": ["saa job id"]}})
    body = api.get("/rest/cef_metadata").json()
    assert body["cef"]["sourceAddress"]["contains"] == ["ip"]
    assert body["cef"]["jobId"]["contains"] == ["saa job id"]
    assert "saa job id" in body["all_contains"]


def test_version_and_system_info_answer_what_playbooks_read(api: Any) -> None:
    assert api.get("/rest/version").json()["version"].startswith("6.")
    info = api.get("/rest/system_info").json()
    assert info["base_url"].startswith("http") and info["time_zone"]


def test_an_outsider_cannot_read_cef_metadata(as_user: Callable[..., Any], outsider: Any) -> None:
    assert as_user(outsider).get("/rest/cef_metadata").status_code == 403
