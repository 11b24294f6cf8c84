"""SOAR's `container_pin` bodies (`container_id`, message, data, pin_type, pin_style;
`/rest/container/<id>/pins`) and `indicator` reads."""
from __future__ import annotations

from typing import Any

import pytest

from engine.models import AuditEntry, Indicator, Pin
from tests.conftest import token_client

pytestmark = pytest.mark.django_db


def test_a_pin_is_posted_with_soar_body(rest: Any, make_container: Any) -> None:
    case = make_container()
    response = rest.post("/rest/container_pin", {"container_id": case.pk, "message": "Affected host",
                                                 "data": "10.0.0.5", "pin_type": "card_medium",
                                                 "pin_style": "red", "playbook_id": 3}, format="json")
    assert response.status_code == 200, response.json()
    pin = Pin.objects.get(pk=response.json()["id"])
    assert (pin.container_id, pin.message, pin.data, pin.pin_type, pin.pin_style) == (
        case.pk, "Affected host", "10.0.0.5", "card_medium", "red")
    read = rest.get(f"/rest/container_pin/{pin.pk}").json()
    assert (read["container"], read["author"], read["message"]) == (case.pk, "owner", "Affected host")


def test_the_container_lists_its_pins(rest: Any, make_container: Any) -> None:
    case = make_container()
    Pin.objects.create(container=case, message="one")
    Pin.objects.create(container=make_container(name="other"), message="elsewhere")
    body = rest.get(f"/rest/container/{case.pk}/pins").json()
    assert body["count"] == 1 and body["data"][0]["message"] == "one"


def test_a_pin_is_updated_and_deleted_with_audit(analyst: Any, make_container: Any) -> None:
    case = make_container()
    client = token_client(analyst)
    pin_id = client.post("/rest/container_pin", {"container": case.pk, "message": "m", "pin_type": "data"},
                         format="json").json()["id"]
    assert client.post(f"/rest/container_pin/{pin_id}", {"pin_style": "blue"}, format="json").status_code == 200
    assert Pin.objects.get(pk=pin_id).pin_style == "blue"
    assert client.delete(f"/rest/container_pin/{pin_id}").status_code == 200
    actions = sorted(AuditEntry.objects.filter(object_type="container_pin", object_id=pin_id)
                     .values_list("action", flat=True))
    assert actions == ["create", "delete", "update"]


def test_bad_pins_are_refused_naming_the_field(rest: Any, make_container: Any) -> None:
    case = make_container()
    for body, field in (({"container_id": case.pk, "pin_type": "poster"}, "pin_type"),
                        ({"container_id": case.pk, "pin_style": "plaid"}, "pin_style"),
                        ({"message": "m"}, "container_id"),
                        ({"container_id": 999999, "message": "m"}, "container_id"),
                        ({"container_id": case.pk, "mood": "m"}, "mood")):
        response = rest.post("/rest/container_pin", body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["message"]


def test_a_viewer_may_not_pin(viewer: Any, make_container: Any) -> None:
    body = {"container_id": make_container().pk, "message": "m"}
    assert token_client(viewer).post("/rest/container_pin", body, format="json").status_code == 403


def test_indicators_are_read_and_tagged(rest: Any, viewer: Any) -> None:
    indicator = Indicator.for_value("8.8.8.8", cef_key="destinationAddress", data_types=["ip"])
    body = rest.get("/rest/indicator?_filter_value='8.8.8.8'").json()
    assert body["count"] == 1 and body["data"][0]["cef_keys"] == ["destinationAddress"]
    assert rest.post(f"/rest/indicator/{indicator.pk}", {"tags": ["bad"]}, format="json").status_code == 200
    assert Indicator.objects.get(pk=indicator.pk).tags == ["bad"]
    assert token_client(viewer).post(f"/rest/indicator/{indicator.pk}", {"tags": []},
                                     format="json").status_code == 403


def test_an_indicator_is_found_by_its_value(rest: Any) -> None:
    indicator = Indicator.for_value("evil.example", cef_key="destinationDnsDomain", data_types=["domain"])
    body = rest.get("/rest/indicator_by_value?indicator_value=evil.example").json()
    assert (body["id"], body["value"], body["data_types"]) == (indicator.pk, "evil.example", ["domain"])
    missing = rest.get("/rest/indicator_by_value?indicator_value=nothing.example")
    assert missing.status_code == 404 and missing.json()["failed"] is True
    assert rest.get("/rest/indicator_by_value").status_code == 400


def test_the_containers_an_indicator_was_seen_in_are_listed(rest: Any, make_container: Any,
                                                            make_artifact: Any) -> None:
    seen, also, elsewhere = make_container(name="seen"), make_container(name="also"), make_container(name="no")
    make_artifact(seen, cef={"destinationAddress": "192.0.2.50"})
    make_artifact(also, name="b", cef={"sourceAddress": ["10.0.0.1", "192.0.2.50"]})
    make_artifact(elsewhere, name="c", cef={"sourceAddress": "192.0.2.500"})  # contains it, is not it
    body = rest.get("/rest/indicator_common_container?indicator_value=192.0.2.50").json()
    assert sorted(row["container_name"] for row in body["data"]) == ["also", "seen"]
    assert body["count"] == 2
    indicator = Indicator.for_value("192.0.2.50")
    by_id = rest.get(f"/rest/indicator_common_container?indicator_ids={indicator.pk}").json()
    assert by_id["count"] == 2
    bad = rest.get("/rest/indicator_common_container?indicator_ids=x")
    assert bad.status_code == 400 and "indicator_ids" in bad.json()["message"]
    assert rest.get("/rest/indicator_common_container").status_code == 400
