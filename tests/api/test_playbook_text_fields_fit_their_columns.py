"""Text longer than its column (a playbook's name, repo, category, type) is a 400 naming the
field on every route that writes one, never a database error (PostgreSQL's varchar refused
it with a 500; SQLite stored it). editor.models.check_lengths does it on save()."""
from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from editor.models import Playbook
from tests.editor.fixtures import GRAPH

pytestmark = pytest.mark.django_db

LONG = "x" * 300


def with_top(**fields: Any) -> dict[str, Any]:
    doc = copy.deepcopy(GRAPH)
    doc.update(fields)
    return doc


def with_type(kind: str) -> dict[str, Any]:
    doc = copy.deepcopy(GRAPH)
    doc["coa"]["playbook_type"] = kind
    return doc


def refused(response: Any, field: str) -> None:
    assert response.status_code == 400, response.content[:500]
    body = response.json()
    assert body["failed"] is True and f"field '{field}'" in body["message"], body


def test_a_new_playbook_with_a_name_too_long_is_refused_naming_the_name(api: APIClient) -> None:
    refused(api.post("/api/playbooks", {"name": LONG}, format="json"), "name")
    assert not Playbook.objects.exists()


@pytest.mark.parametrize("route", ["/api/playbooks", "/rest/playbook"])
@pytest.mark.parametrize("field,doc", [("category", with_top(category=LONG)),
                                       ("playbook_type", with_type("automation" * 10))])
def test_a_document_whose_field_does_not_fit_is_refused_naming_it(api: APIClient, route: str, field: str,
                                                                  doc: dict[str, Any]) -> None:
    refused(api.post(route, {"name": "p", "json": doc}, format="json"), field)
    assert not Playbook.objects.exists()


def test_saving_a_version_whose_category_does_not_fit_is_refused_and_stores_nothing(api: APIClient) -> None:
    pid = api.post("/api/playbooks", {"name": "p", "json": GRAPH}, format="json").json()["id"]
    refused(api.put(f"/api/playbooks/{pid}", {"json": with_top(category=LONG), "base_version": 1}, format="json"),
            "category")
    playbook = Playbook.objects.get(pk=pid)
    assert (playbook.latest_version, playbook.category) == (1, "Triage")


@pytest.mark.parametrize("field,value", [("name", LONG), ("repo", LONG)])
def test_a_rest_create_or_rename_too_long_is_refused_naming_the_field(api: APIClient, field: str, value: str) -> None:
    refused(api.post("/rest/playbook", {"name": "p", "json": GRAPH, field: value}, format="json"), field)
    pid = api.post("/rest/playbook", {"name": "p", "json": GRAPH}, format="json").json()["id"]
    refused(api.post(f"/rest/playbook/{pid}", {field: value}, format="json"), field)
    assert Playbook.objects.get(pk=pid).name == "p"


def test_an_imported_file_whose_category_does_not_fit_fails_naming_it(api: APIClient) -> None:
    upload = io.BytesIO(json.dumps(with_top(category=LONG)).encode())
    upload.name = "p.json"
    response = api.post("/api/playbooks/import", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert "category" in response.json()["message"]
    assert not Playbook.objects.exists()


def test_a_copy_of_a_playbook_with_the_longest_name_gets_a_name_that_fits(api: APIClient) -> None:
    name = "n" * 256
    pid = api.post("/api/playbooks", {"name": name, "json": GRAPH}, format="json").json()["id"]
    names = []
    for _ in range(2):
        response = api.post(f"/api/playbooks/{pid}/duplicate")
        assert response.status_code == 201, response.content[:500]
        names.append(response.json()["name"])
    assert [len(n) for n in names] == [256, 256]
    assert names[0].endswith("_copy") and names[1].endswith("_copy_2")
