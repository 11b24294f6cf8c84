"""SOAR's `container_comment` (`/rest/container_comment`, `/rest/container/<id>/comments`)
and `evidence` (`/rest/evidence`: container_id, object_id and its content type)."""
from __future__ import annotations

from typing import Any

import pytest

from engine.models import AuditEntry, ContainerComment, Evidence, Note
from tests.conftest import token_client

pytestmark = pytest.mark.django_db


def test_a_comment_is_posted_with_container_id_and_read_back(rest: Any, make_container: Any) -> None:
    case = make_container()
    response = rest.post("/rest/container_comment", {"container_id": case.pk, "comment": "escalating"}, format="json")
    assert response.status_code == 200, response.json()
    comment_id = response.json()["id"]
    assert response.json()["success"] is True
    read = rest.get(f"/rest/container_comment/{comment_id}").json()
    assert (read["container"], read["comment"], read["user"]) == (case.pk, "escalating", "owner")
    assert read["time"]


def test_the_container_lists_its_comments(rest: Any, make_container: Any) -> None:
    case, other = make_container(), make_container(name="other")
    for text in ("one", "two"):
        ContainerComment.objects.create(container=case, comment=text)
    ContainerComment.objects.create(container=other, comment="elsewhere")
    body = rest.get(f"/rest/container/{case.pk}/comments").json()
    assert body["count"] == 2 and [c["comment"] for c in body["data"]] == ["one", "two"]
    listed = rest.get(f"/rest/container_comment?_filter_container={other.pk}").json()
    assert [c["comment"] for c in listed["data"]] == ["elsewhere"]


def test_a_comment_without_text_or_container_is_refused_naming_the_field(rest: Any, make_container: Any) -> None:
    missing = rest.post("/rest/container_comment", {"comment": "x"}, format="json")
    assert missing.status_code == 400 and "container_id" in missing.json()["message"]
    empty = rest.post("/rest/container_comment", {"container_id": make_container().pk, "comment": ""}, format="json")
    assert empty.status_code == 400 and "comment" in empty.json()["message"]
    nowhere = rest.post("/rest/container_comment", {"container_id": 987654, "comment": "x"}, format="json")
    assert nowhere.status_code == 400 and "987654" in nowhere.json()["message"]


def test_a_viewer_may_not_comment_and_an_outsider_reads_nothing(viewer: Any, outsider: Any,
                                                                 make_container: Any) -> None:
    case = make_container()
    body = {"container_id": case.pk, "comment": "x"}
    assert token_client(viewer).post("/rest/container_comment", body, format="json").status_code == 403
    assert token_client(outsider).get(f"/rest/container/{case.pk}/comments").status_code == 403


def test_comment_writes_land_in_the_audit_trail(analyst: Any, make_container: Any) -> None:
    case = make_container()
    client = token_client(analyst)
    comment_id = client.post("/rest/container_comment", {"container_id": case.pk, "comment": "x"},
                             format="json").json()["id"]
    assert client.post(f"/rest/container_comment/{comment_id}", {"comment": "y"}, format="json").status_code == 200
    assert ContainerComment.objects.get(pk=comment_id).comment == "y"
    entry = AuditEntry.objects.get(object_type="container_comment", object_id=comment_id, action="create")
    assert (entry.username, entry.container_id) == ("analyst", case.pk)


def test_an_artifact_is_marked_as_evidence(rest: Any, make_container: Any, make_artifact: Any) -> None:
    case = make_container()
    artifact = make_artifact(case)
    response = rest.post("/rest/evidence", {"container_id": case.pk, "object_id": artifact.pk,
                                            "content_type": "artifact"}, format="json")
    assert response.status_code == 200, response.json()
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert (evidence.container_id, evidence.content_type, evidence.artifact_id) == (case.pk, "artifact_id",
                                                                                     artifact.pk)
    read = rest.get(f"/rest/evidence/{evidence.pk}").json()
    assert (read["container"], read["object_id"], read["content_type"], read["object_type"]) == (
        case.pk, artifact.pk, "artifact", "artifact")
    again = rest.post("/rest/evidence", {"container_id": case.pk, "object_id": artifact.pk,
                                         "object_type": "artifact"}, format="json")
    assert again.json()["id"] == evidence.pk  # marking twice keeps one record
    assert rest.get(f"/rest/container/{case.pk}/evidence").json()["count"] == 1


def test_a_note_is_marked_as_evidence_with_object_type(rest: Any, make_container: Any) -> None:
    case = make_container()
    note = Note.objects.create(container=case, title="n")
    response = rest.post("/rest/evidence", {"container_id": case.pk, "object_id": note.pk, "object_type": "note"},
                         format="json")
    assert response.status_code == 200
    assert Evidence.objects.get(pk=response.json()["id"]).note_id == note.pk


def test_evidence_of_a_missing_or_foreign_object_is_refused(rest: Any, make_container: Any,
                                                            make_artifact: Any) -> None:
    case = make_container()
    foreign = make_artifact(make_container(name="other"))
    for body, field in (
        ({"container_id": case.pk, "object_id": 424242, "content_type": "artifact"}, "object_id"),
        ({"container_id": case.pk, "object_id": foreign.pk, "content_type": "artifact"}, "object_id"),
        ({"container_id": case.pk, "object_id": foreign.pk, "content_type": "email"}, "content_type"),
        ({"container_id": case.pk, "object_id": "x", "content_type": "artifact"}, "object_id"),
    ):
        response = rest.post("/rest/evidence", body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["message"]


def test_evidence_is_removed_by_delete_and_audited(analyst: Any, make_container: Any, make_artifact: Any) -> None:
    case = make_container()
    artifact = make_artifact(case)
    client = token_client(analyst)
    evidence_id = client.post("/rest/evidence", {"container_id": case.pk, "object_id": artifact.pk,
                                                 "content_type": "artifact"}, format="json").json()["id"]
    assert client.delete(f"/rest/evidence/{evidence_id}").status_code == 200
    assert not Evidence.objects.exists()
    actions = set(AuditEntry.objects.filter(object_type="evidence").values_list("action", flat=True))
    assert actions == {"create", "delete"}


def test_an_attachment_is_marked_with_the_references_spelling(rest: Any, make_container: Any) -> None:
    from engine.models import VaultItem

    case = make_container()
    item = VaultItem.objects.create(container=case, vault_id="a" * 40, name="mail.eml", path="aa/" + "a" * 40)
    response = rest.post("/rest/evidence", {"container_id": case.pk, "object_id": item.pk,
                                            "content_type": "containerattachment"}, format="json")
    assert response.status_code == 200, response.json()
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert evidence.vault_item_id == item.pk
    assert rest.get(f"/rest/evidence/{evidence.pk}").json()["content_type"] == "container_attachment"
