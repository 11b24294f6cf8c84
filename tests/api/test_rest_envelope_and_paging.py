"""SOAR's list envelope, 0-based paging, sorting."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from engine.models import Container

pytestmark = pytest.mark.django_db


@pytest.fixture
def containers() -> list[Container]:
    return [Container.objects.create(name=f"case {i:02d}", severity=("low", "high")[i % 2]) for i in range(25)]


def test_it_returns_the_soar_list_envelope(api: APIClient, containers: list[Container]) -> None:
    body = api.get("/rest/container").json()
    assert set(body) == {"count", "num_pages", "data"}
    assert body["count"] == 25 and body["num_pages"] == 3 and len(body["data"]) == 10


def test_pages_start_at_zero(api: APIClient, containers: list[Container]) -> None:
    first = api.get("/rest/container?page=0&page_size=10&sort=name&order=asc").json()["data"]
    last = api.get("/rest/container?page=2&page_size=10&sort=name&order=asc").json()["data"]
    assert first[0]["name"] == "case 00"
    assert [c["name"] for c in last] == [f"case {i}" for i in range(20, 25)]


def test_page_size_zero_returns_everything(api: APIClient, containers: list[Container]) -> None:
    body = api.get("/rest/container?page_size=0").json()
    assert body["count"] == 25 and len(body["data"]) == 25 and body["num_pages"] == 1


def test_it_sorts_by_a_field_in_either_order(api: APIClient, containers: list[Container]) -> None:
    asc = api.get("/rest/container?sort=name&order=asc&page_size=0").json()["data"]
    desc = api.get("/rest/container?sort=name&order=desc&page_size=0").json()["data"]
    assert [c["name"] for c in asc] == sorted(c["name"] for c in asc)
    assert [c["name"] for c in desc] == list(reversed([c["name"] for c in asc]))


def test_it_refuses_an_unknown_sort_field_naming_it(api: APIClient, containers: list[Container]) -> None:
    response = api.get("/rest/container?sort=password")
    assert response.status_code == 400
    assert "sort" in response.json()["message"] and "password" in response.json()["message"]


@pytest.mark.parametrize("query", ["page=-1", "page=abc", "page_size=1.5", "order=sideways"])
def test_it_refuses_bad_paging_parameters(api: APIClient, query: str) -> None:
    response = api.get(f"/rest/container?{query}")
    assert response.status_code == 400
    assert response.json()["failed"] is True
    assert query.split("=")[0] in response.json()["message"]


def test_a_container_reads_back_with_soar_field_names(api: APIClient) -> None:
    created = api.post("/rest/container", {"name": "x", "label": "events", "tags": ["a"]}, format="json").json()
    body = api.get(f"/rest/container/{created['id']}").json()
    for field in (
        "id", "name", "label", "severity", "sensitivity", "status", "owner", "owner_name", "tags", "due_time",
        "source_data_identifier", "artifact_count", "kill_chain", "start_time", "end_time", "close_time",
        "create_time", "hash", "version", "description", "container_update_time", "artifact_update_time",
        "asset_name", "ingest_app_id", "current_rule_run_id", "container_type", "custom_fields", "data",
    ):
        assert field in body, field
    assert body["tags"] == ["a"]
