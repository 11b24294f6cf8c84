"""SOAR's `cef` (`/rest/cef`: default and custom CEF fields with their contains types; only
custom ones change) and `/rest/cef_metadata`."""
from __future__ import annotations

from typing import Any

import pytest

from engine.models import AuditEntry, CefField
from tests.conftest import token_client

pytestmark = pytest.mark.django_db


def test_the_default_cef_fields_are_listed_with_their_contains(rest: Any) -> None:
    body = rest.get("/rest/cef?page_size=0").json()
    rows = {row["name"]: row for row in body["data"]}
    assert body["count"] == len(rows) > 20
    assert rows["sourceAddress"]["type"] == "default" and rows["sourceAddress"]["data_type"] == ["ip"]
    assert set(rows["sourceAddress"]) >= {"id", "name", "data_type", "type"}


def test_a_custom_cef_field_is_added_as_the_docs_show(rest: Any) -> None:
    response = rest.post("/rest/cef", {"name": "docs-test-cef", "data_type": ["test"]}, format="json")
    assert response.status_code == 200, response.json()
    cef_id = response.json()["id"]
    row = rest.get(f"/rest/cef/{cef_id}").json()
    assert (row["name"], row["data_type"], row["type"]) == ("docs-test-cef", ["test"], "custom")
    meta = rest.get("/rest/cef_metadata").json()
    assert meta["cef"]["docs-test-cef"]["contains"] == ["test"] and "test" in meta["all_contains"]


def test_a_custom_cef_field_is_updated_and_deleted(rest: Any) -> None:
    cef_id = rest.post("/rest/cef", {"name": "myDestination", "data_type": ["ip"]}, format="json").json()["id"]
    assert rest.post(f"/rest/cef/{cef_id}", {"data_type": ["ip", "myIp"]}, format="json").status_code == 200
    assert CefField.objects.get(pk=cef_id).data_type == ["ip", "myIp"]
    assert rest.delete(f"/rest/cef/{cef_id}").status_code == 200
    assert not CefField.objects.filter(pk=cef_id).exists()
    assert sorted(AuditEntry.objects.filter(object_type="cef", object_id=cef_id).values_list("action", flat=True)) \
        == ["create", "delete", "update"]


def test_default_cef_fields_do_not_change(rest: Any) -> None:
    rest.get("/rest/cef")
    default = CefField.objects.get(name="sourceAddress")
    changed = rest.post(f"/rest/cef/{default.pk}", {"data_type": ["domain"]}, format="json")
    assert changed.status_code == 400 and "default" in changed.json()["message"]
    assert rest.delete(f"/rest/cef/{default.pk}").status_code == 400
    assert CefField.objects.get(pk=default.pk).data_type == ["ip"]


def test_bad_cef_fields_are_refused_naming_the_field(rest: Any) -> None:
    for body, field in (({"name": "bad name!", "data_type": ["ip"]}, "name"),
                        ({"name": "sourceAddress", "data_type": ["ip"]}, "name"),
                        ({"name": "fine", "data_type": [1]}, "data_type")):
        response = rest.post("/rest/cef", body, format="json")
        assert response.status_code == 400 and field in response.json()["message"], body


def test_only_an_admin_adds_cef_fields(analyst: Any, viewer: Any) -> None:
    assert token_client(viewer).get("/rest/cef").status_code == 200
    assert token_client(analyst).post("/rest/cef", {"name": "x", "data_type": ["ip"]}, format="json").status_code == 403


def test_indicator_cef_filters_are_listed_and_switched(rest: Any, analyst: Any) -> None:
    body = rest.get("/rest/indicator_cef_filter?page_size=0").json()
    rows = {row["cef_name"]: row for row in body["data"]}
    assert rows["sourceAddress"]["apply_filter"] is False
    filter_id = rows["sourceAddress"]["id"]
    assert rest.post(f"/rest/indicator_cef_filter/{filter_id}", {"apply_filter": True}, format="json").status_code == 200
    assert CefField.objects.get(pk=filter_id).apply_filter is True
    assert rest.post(f"/rest/indicator_cef_filter/{filter_id}", {"name": "x"}, format="json").status_code == 200
    assert CefField.objects.get(pk=filter_id).name == "sourceAddress"  # read-only: unchanged
    assert rest.post("/rest/indicator_cef_filter", {"apply_filter": True}, format="json").status_code == 405
    assert rest.delete(f"/rest/indicator_cef_filter/{filter_id}").status_code == 405
    assert token_client(analyst).post(f"/rest/indicator_cef_filter/{filter_id}", {"apply_filter": False},
                                      format="json").status_code == 403
    assert AuditEntry.objects.filter(object_type="indicator_cef_filter", object_id=filter_id, action="update").exists()
