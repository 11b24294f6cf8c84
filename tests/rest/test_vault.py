"""The vault over REST (SOAR's Vault endpoints): vault_add, vault_info, vault_document
(list, detail, download) and vault_delete, with the bodies and answers of SOAR's reference."""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

import pytest

from engine.models import AuditEntry, VaultItem

pytestmark = pytest.mark.django_db(transaction=True)

CONTENT = b"%PDF-1.4 a report\n"
SHA1 = hashlib.sha1(CONTENT, usedforsecurity=False).hexdigest()


def _add(client: Any, container_id: int, content: bytes = CONTENT, name: str = "report.pdf", **extra: Any) -> Any:
    body = {"container_id": container_id, "file_content": base64.b64encode(content).decode(), "file_name": name,
            **extra}
    return client.post("/rest/vault_add", body, format="json")


def test_vault_add_stores_the_file_and_answers_its_vault_id(rest: Any, make_container: Callable[..., Any]) -> None:
    case = make_container()
    r = _add(rest, case.pk, metadata={"contains": ["pdf"]})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["succeeded"] is True and body["vault_id"] == SHA1 and body["hash"] == SHA1
    assert body["container"] == case.pk and body["size"] == len(CONTENT)
    item = VaultItem.objects.get(pk=body["id"])
    assert item.name == "report.pdf" and item.metadata == {"contains": ["pdf"]}


def test_the_same_file_added_twice_is_one_vault_file(rest: Any, make_container: Callable[..., Any]) -> None:
    case = make_container()
    first = _add(rest, case.pk).json()
    second = _add(rest, case.pk).json()
    assert first["id"] == second["id"] and VaultItem.objects.count() == 1


def test_vault_add_names_the_field_of_bad_input(rest: Any, make_container: Callable[..., Any]) -> None:
    case = make_container()
    r = rest.post("/rest/vault_add", {"container_id": case.pk, "file_name": "x", "file_content": "not base64!"},
                  format="json")
    assert r.status_code == 400 and "file_content" in r.json()["message"]
    r = rest.post("/rest/vault_add", {"file_name": "x", "file_content": "eA=="}, format="json")
    assert r.status_code == 400 and "container_id" in r.json()["message"]
    r = _add(rest, case.pk, name="")
    assert r.status_code == 400 and "file_name" in r.json()["message"]
    r = _add(rest, case.pk, metadata=["pdf"])
    assert r.status_code == 400 and "metadata" in r.json()["message"]


def test_vault_add_answers_404_for_a_container_that_does_not_exist(rest: Any) -> None:
    assert _add(rest, 987654).status_code == 404


def test_a_viewer_cannot_add_to_the_vault(rest_as: Callable[..., Any], viewer: Any,
                                          make_container: Callable[..., Any]) -> None:
    assert _add(rest_as(viewer), make_container().pk).status_code == 403
    assert not VaultItem.objects.exists()


def test_vault_info_finds_files_by_vault_id_container_or_name(rest: Any, make_container: Callable[..., Any]) -> None:
    case = make_container()
    _add(rest, case.pk)
    for query in (f"vault_id={SHA1}", f"container_id={case.pk}", "file_name=report.pdf"):
        body = rest.get(f"/rest/vault_info?{query}").json()
        assert body["succeeded"] is True and len(body["data"]) == 1, query
        info = body["data"][0]
        assert info["vault_id"] == SHA1 and info["container_id"] == case.pk and info["mime_type"] == "application/pdf"
    assert rest.get("/rest/vault_info?file_name=other").json()["succeeded"] is False
    assert rest.get("/rest/vault_info").status_code == 400


def test_vault_document_lists_details_and_downloads_files(rest_as: Callable[..., Any], viewer: Any, rest: Any,
                                                          make_container: Callable[..., Any]) -> None:
    case = make_container()
    added = _add(rest, case.pk).json()
    client = rest_as(viewer)
    listed = client.get(f"/rest/vault_document?_filter_hash=\"{SHA1}\"&_filter_container={case.pk}").json()
    assert listed["count"] == 1 and listed["data"][0]["hash"] == SHA1 and listed["data"][0]["names"] == ["report.pdf"]
    detail = client.get(f"/rest/vault_document/{added['id']}").json()
    assert detail["id"] == added["id"] and detail["containers"] == [case.pk]
    download = client.get(f"/rest/vault_document/{added['id']}/download")
    assert download.status_code == 200 and b"".join(download.streaming_content) == CONTENT
    assert "report.pdf" in download["Content-Disposition"]


def test_download_attachment_answers_the_file_by_its_vault_id(rest_as: Callable[..., Any], viewer: Any, rest: Any,
                                                             make_container: Callable[..., Any]) -> None:
    _add(rest, make_container().pk)
    client = rest_as(viewer)
    r = client.get(f"/rest/download_attachment?vault_id={SHA1}")
    assert r.status_code == 200 and b"".join(r.streaming_content) == CONTENT
    assert client.get(f"/rest/download_attachment?vault_id={'0' * 40}").status_code == 404
    missing = client.get("/rest/download_attachment")
    assert missing.status_code == 400 and "vault_id" in missing.json()["message"]


def test_a_vault_document_is_not_deleted_through_its_own_url(rest: Any, make_container: Callable[..., Any]) -> None:
    added = _add(rest, make_container().pk).json()
    assert rest.delete(f"/rest/vault_document/{added['id']}").status_code == 405
    assert VaultItem.objects.filter(pk=added["id"]).exists()


def test_vault_delete_removes_the_file_and_keeps_content_another_container_holds(
        rest: Any, make_container: Callable[..., Any]) -> None:
    from django.conf import settings

    one, two = make_container(), make_container(name="other")
    _add(rest, one.pk)
    _add(rest, two.pk)
    stored = settings.SOAR_VAULT_DIR / SHA1[:2] / SHA1
    r = rest.post("/rest/vault_delete", {"vault_id": SHA1, "container_id": one.pk}, format="json")
    assert r.status_code == 200 and r.json()["deleted_file_names"] == ["report.pdf"]
    assert stored.exists()
    r = rest.delete(f"/rest/vault_delete?vault_id={SHA1}&container_id={two.pk}")
    assert r.status_code == 200 and not VaultItem.objects.exists()
    assert not stored.exists()


def test_vault_delete_removes_several_matches_only_when_told(rest: Any, make_container: Callable[..., Any]) -> None:
    _add(rest, make_container().pk)
    _add(rest, make_container(name="other").pk)
    r = rest.post("/rest/vault_delete", {"vault_id": SHA1}, format="json")
    assert r.status_code == 400 and "remove_all" in r.json()["message"]
    assert rest.post("/rest/vault_delete", {"vault_id": SHA1, "remove_all": True}, format="json").status_code == 200
    assert not VaultItem.objects.exists()
    assert rest.post("/rest/vault_delete", {"vault_id": SHA1}, format="json").status_code == 404


def test_vault_writes_land_in_the_audit_trail(rest: Any, make_container: Callable[..., Any]) -> None:
    case = make_container()
    added = _add(rest, case.pk).json()
    rest.post("/rest/vault_delete", {"vault_id": SHA1}, format="json")
    actions = list(AuditEntry.objects.filter(object_type="vault_document", object_id=added["id"])
                   .order_by("id").values_list("action", "container_id", "username"))
    assert actions == [("create", case.pk, "owner"), ("delete", case.pk, "owner")]
