"""A container's status and severity are among those configured (/rest/container_status,
/rest/severity), in their configured spelling; anything else is a 400 naming the field."""
from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_it_refuses_a_status_nobody_configured(rest: Any) -> None:
    answer = rest.post("/rest/container", {"name": "c", "status": "bogus"}, format="json")
    assert answer.status_code == 400
    assert "status" in answer.json()["message"] and "new" in answer.json()["message"]


def test_it_refuses_a_severity_nobody_configured(rest: Any) -> None:
    made = rest.post("/rest/container", {"name": "c"}, format="json").json()
    answer = rest.post(f"/rest/container/{made['id']}", {"severity": "apocalyptic"}, format="json")
    assert answer.status_code == 400 and "severity" in answer.json()["message"]
    assert rest.get(f"/rest/container/{made['id']}").json()["severity"] == "medium"


def test_it_stores_an_added_status_in_its_configured_spelling(rest: Any) -> None:
    assert rest.post("/rest/container_status", {"name": "Escalated", "status_type": "inprogress"},
                     format="json").status_code == 200
    made = rest.post("/rest/container", {"name": "c", "status": "escalated", "severity": "HIGH"}, format="json")
    assert made.status_code == 200, made.json()
    record = rest.get(f"/rest/container/{made.json()['id']}").json()
    assert (record["status"], record["severity"]) == ("Escalated", "high")
