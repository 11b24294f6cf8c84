"""Bad input gets a 400 that says where, never a 500, and nothing is half-stored."""
from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from engine.models import Artifact, Container

pytestmark = pytest.mark.django_db


def post_raw(client: APIClient, url: str, body: bytes | str):  # type: ignore[no-untyped-def]
    return client.generic("POST", url, body, content_type="application/json")


def test_malformed_json_says_where_it_is_broken(api: APIClient) -> None:
    response = post_raw(api, "/rest/container", '{"name": "x",\n "label": }')
    assert response.status_code == 400
    assert "malformed JSON at line 2 column" in response.json()["message"]


def test_json_that_is_not_an_object_is_refused(api: APIClient) -> None:
    response = post_raw(api, "/rest/container", "[1, 2]")
    assert response.status_code == 400
    assert "JSON object" in response.json()["message"]


def test_nan_is_not_json(api: APIClient) -> None:
    response = post_raw(api, "/rest/container", '{"name": NaN}')
    assert response.status_code == 400


def test_bytes_that_are_not_utf8_are_refused(api: APIClient) -> None:
    response = post_raw(api, "/rest/container", b'{"name": "\xff"}')
    assert response.status_code == 400
    assert "UTF-8" in response.json()["message"]


def test_an_unknown_field_is_named(api: APIClient) -> None:
    response = api.post("/rest/container", {"name": "x", "colour": "red"}, format="json")
    assert response.status_code == 400
    assert "field 'colour': unknown field" in response.json()["message"]
    assert Container.objects.count() == 0


@pytest.mark.parametrize("body,field", [
    ({"name": ["x"]}, "name"),
    ({"name": "x", "tags": "a,b"}, "tags"),
    ({"name": "x", "tags": [1, 2]}, "tags"),
    ({"name": "x", "due_time": "next tuesday"}, "due_time"),
    ({"name": "x", "data": [1]}, "data"),
    ({"name": "x", "in_case": "maybe"}, "in_case"),
    ({"name": "x", "owner": "nobody-by-that-name"}, "owner"),
    ({"label": "events"}, "name"),
])
def test_a_wrong_type_names_the_field(api: APIClient, body: dict[str, object], field: str) -> None:
    response = api.post("/rest/container", body, format="json")
    assert response.status_code == 400, response.json()
    assert f"field '{field}'" in response.json()["message"]


def test_an_artifact_needs_an_existing_container(api: APIClient) -> None:
    response = api.post("/rest/artifact", {"container_id": 999999, "cef": {}}, format="json")
    assert response.status_code == 400
    assert "container_id" in response.json()["message"]


def test_a_bad_embedded_artifact_stores_nothing(api: APIClient) -> None:
    body = {"name": "x", "artifacts": [{"name": "ok", "cef": {}}, {"name": "bad", "cef": "not an object"}]}
    response = api.post("/rest/container", body, format="json")
    assert response.status_code == 400
    assert "artifacts[1]" in response.json()["message"] and "cef" in response.json()["message"]
    assert Container.objects.count() == 0 and Artifact.objects.count() == 0


@override_settings(SOAR_MAX_BODY_BYTES=2048)
def test_an_oversized_body_is_refused_with_the_limit(api: APIClient) -> None:
    response = api.post("/rest/container", {"name": "x" * 5000}, format="json")
    assert response.status_code == 413
    assert "2048" in response.json()["message"]


def test_an_unknown_object_is_a_404_in_soar_shape(api: APIClient) -> None:
    response = api.get("/rest/container/424242")
    assert response.status_code == 404
    assert response.json()["failed"] is True


def test_deeply_nested_json_is_refused_not_crashed(api: APIClient) -> None:
    response = post_raw(api, "/rest/container", '{"name": "x", "data": ' + "[" * 100000 + "]" * 100000 + "}")
    assert response.status_code in (400, 413)
