"""SOAR's `container_attachment`: upload with container_id, base64 file_content, file_name
and metadata; list per container; download the bytes; delete."""
from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from engine.models import AuditEntry, VaultItem
from tests.conftest import token_client

pytestmark = pytest.mark.django_db

CONTENT = b"MZ\x90\x00 not really a program"


@pytest.fixture(autouse=True)
def _vault(tmp_path: Path, settings: Any) -> None:
    settings.SOAR_VAULT_DIR = tmp_path / "vault"


def _upload(client: Any, case_id: int, **extra: Any) -> Any:
    body = {"container_id": case_id, "file_content": base64.b64encode(CONTENT).decode(),
            "file_name": "sample.exe", "metadata": {"contains": ["pe file"]}, **extra}
    return client.post("/rest/container_attachment", body, format="json")


def test_an_upload_answers_the_files_hash_and_lands_in_the_vault(rest: Any, make_container: Any) -> None:
    case = make_container()
    response = _upload(rest, case.pk)
    assert response.status_code == 200, response.json()
    body = response.json()
    sha1 = hashlib.sha1(CONTENT).hexdigest()  # noqa: S324 - SOAR's vault id
    assert body["succeeded"] is True and body["hash"] == sha1 and body["vault_id"] == sha1
    item = VaultItem.objects.get(pk=body["id"])
    assert (item.container_id, item.name, item.size, item.metadata) == (case.pk, "sample.exe", len(CONTENT),
                                                                        {"contains": ["pe file"]})
    assert (Path(settings.SOAR_VAULT_DIR) / item.path).read_bytes() == CONTENT


def test_the_container_lists_its_attachments(rest: Any, make_container: Any) -> None:
    case = make_container()
    _upload(rest, case.pk)
    _upload(rest, make_container(name="other").pk)
    body = rest.get(f"/rest/container/{case.pk}/attachments").json()
    assert body["count"] == 1
    row = body["data"][0]
    assert (row["container"], row["name"], row["hash"]) == (case.pk, "sample.exe", hashlib.sha1(CONTENT).hexdigest())


def test_an_attachment_downloads_as_its_bytes(rest: Any, make_container: Any) -> None:
    attachment_id = _upload(rest, make_container().pk).json()["id"]
    response = rest.get(f"/rest/container_attachment/{attachment_id}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert "sample.exe" in response["Content-Disposition"]
    assert rest.get("/rest/container_attachment/777777/download").status_code == 404


def test_bad_uploads_are_refused_naming_the_field(rest: Any, make_container: Any) -> None:
    case = make_container()
    for extra, field in (({"file_content": "***not base64***"}, "file_content"), ({"file_name": ""}, "file_name"),
                         ({"metadata": [1]}, "metadata"), ({"container_id": 999999}, "container_id"),
                         ({"colour": "red"}, "colour")):
        response = _upload(rest, case.pk, **extra)
        assert response.status_code == 400, extra
        assert field in response.json()["message"]


def test_deleting_an_attachment_removes_the_file_once_unused(rest: Any, make_container: Any,
                                                             django_capture_on_commit_callbacks: Any) -> None:
    first = _upload(rest, make_container().pk).json()["id"]
    second = _upload(rest, make_container(name="two").pk).json()["id"]
    path = Path(settings.SOAR_VAULT_DIR) / VaultItem.objects.get(pk=first).path
    with django_capture_on_commit_callbacks(execute=True):
        assert rest.delete(f"/rest/container_attachment/{first}").status_code == 200
    assert path.exists()  # the other container still holds it
    with django_capture_on_commit_callbacks(execute=True):
        assert rest.delete(f"/rest/container_attachment/{second}").status_code == 200
    assert not path.exists()


def test_a_viewer_may_not_upload_and_writes_are_audited(viewer: Any, analyst: Any, make_container: Any) -> None:
    case = make_container()
    assert _upload(token_client(viewer), case.pk).status_code == 403
    attachment_id = _upload(token_client(analyst), case.pk).json()["id"]
    rename = token_client(analyst).post(f"/rest/container_attachment/{attachment_id}", {"file_name": "renamed.bin"},
                                        format="json")
    assert rename.status_code == 200
    assert VaultItem.objects.get(pk=attachment_id).name == "renamed.bin"
    entries = AuditEntry.objects.filter(object_type="container_attachment", object_id=attachment_id)
    assert sorted(entries.values_list("action", flat=True)) == ["create", "update"]
    assert entries.first().container_id == case.pk
