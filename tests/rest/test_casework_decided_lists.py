"""SOAR's custom lists (`/rest/decided_list`): by id or by name, with `content`,
`append_rows`, `update_rows` ({"<row index>": [cells]}) and `delete_rows` ([indices])."""
from __future__ import annotations

from typing import Any

import pytest

from engine.models import AuditEntry, CustomList
from tests.conftest import token_client

pytestmark = pytest.mark.django_db


def _make(rest: Any, name: str = "My list", content: Any = None) -> int:
    body = {"name": name, "content": content if content is not None else [["1.1.1.1"], ["1.1.1.2"], ["1.1.1.3"]]}
    response = rest.post("/rest/decided_list", body, format="json")
    assert response.status_code == 200, response.json()
    return int(response.json()["id"])


def test_a_list_is_read_by_its_name(rest: Any) -> None:
    list_id = _make(rest)
    body = rest.get("/rest/decided_list/My list").json()
    assert (body["id"], body["name"], body["content"]) == (list_id, "My list", [["1.1.1.1"], ["1.1.1.2"], ["1.1.1.3"]])
    assert rest.get("/rest/decided_list/nobody's list").status_code == 404


def test_content_that_is_not_rows_of_cells_is_refused(rest: Any) -> None:
    response = rest.post("/rest/decided_list", {"name": "flat", "content": ["a", "b"]}, format="json")
    assert response.status_code == 400 and "content" in response.json()["message"]


def test_rows_are_appended_updated_and_deleted_by_name(rest: Any) -> None:
    _make(rest)
    url = "/rest/decided_list/My list"
    assert rest.post(url, {"append_rows": [["2.2.2.2", "new"]]}, format="json").status_code == 200
    assert rest.post(url, {"update_rows": {"1": ["9.9.9.9"]}}, format="json").status_code == 200
    assert rest.post(url, {"delete_rows": [0, 2]}, format="json").status_code == 200
    assert CustomList.objects.get(name="My list").content == [["9.9.9.9"], ["2.2.2.2", "new"]]


def test_row_operations_work_by_id_and_content_replaces_every_row(rest: Any) -> None:
    list_id = _make(rest)
    assert rest.post(f"/rest/decided_list/{list_id}", {"content": [["x"]], "append_rows": [["y"]]},
                     format="json").status_code == 200
    assert CustomList.objects.get(pk=list_id).content == [["x"], ["y"]]


def test_bad_row_operations_are_refused_and_change_nothing(rest: Any) -> None:
    list_id = _make(rest)
    url = f"/rest/decided_list/{list_id}"
    for body, field in (({"update_rows": {"7": ["x"]}}, "update_rows"), ({"update_rows": [["x"]]}, "update_rows"),
                        ({"delete_rows": ["first"]}, "delete_rows"), ({"delete_rows": 1}, "delete_rows"),
                        ({"append_rows": "x"}, "append_rows"), ({"colour": 1}, "colour")):
        response = rest.post(url, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["message"]
    assert CustomList.objects.get(pk=list_id).content == [["1.1.1.1"], ["1.1.1.2"], ["1.1.1.3"]]


def test_a_list_is_renamed_and_deleted_by_name(rest: Any) -> None:
    _make(rest)
    assert rest.post("/rest/decided_list/My list", {"name": "Blocked"}, format="json").status_code == 200
    assert rest.delete("/rest/decided_list/Blocked").status_code == 200
    assert not CustomList.objects.exists()


def test_list_names_are_unique(rest: Any) -> None:
    _make(rest)
    response = rest.post("/rest/decided_list", {"name": "My list", "content": []}, format="json")
    assert response.status_code == 400 and "name" in response.json()["message"]


def test_a_viewer_reads_lists_but_may_not_change_them(rest: Any, viewer: Any, outsider: Any) -> None:
    _make(rest)
    client = token_client(viewer)
    assert client.get("/rest/decided_list/My list").status_code == 200
    assert client.post("/rest/decided_list/My list", {"append_rows": [["x"]]}, format="json").status_code == 403
    assert client.delete("/rest/decided_list/My list").status_code == 403
    assert token_client(outsider).get("/rest/decided_list/My list").status_code == 403


def test_list_writes_by_name_land_in_the_audit_trail(analyst: Any) -> None:
    client = token_client(analyst)
    list_id = _make(client)
    client.post("/rest/decided_list/My list", {"append_rows": [["x"]]}, format="json")
    client.delete("/rest/decided_list/My list")
    actions = sorted(AuditEntry.objects.filter(object_type="decided_list", object_id=list_id)
                     .values_list("action", flat=True))
    assert actions == ["create", "delete", "update"]
