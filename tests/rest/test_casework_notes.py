"""SOAR's notes (`/rest/note`, `/rest/container/<id>/notes`): created with `container_id` as
the REST reference shows, or `container`; general, artifact and task notes."""
from __future__ import annotations

from typing import Any

import pytest

from engine.models import AuditEntry, ContainerPhase, ContainerTask, ContainerWorkbook, Note
from tests.conftest import token_client

pytestmark = pytest.mark.django_db


def test_a_note_is_created_with_container_id_as_the_docs_show(rest: Any, make_container: Any) -> None:
    case = make_container()
    response = rest.post("/rest/note", {"container_id": case.pk, "title": "Triage", "content": "looks benign",
                                        "note_type": "general", "note_format": "markdown"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["success"] is True
    note = Note.objects.get(pk=body["id"])
    assert (note.container_id, note.title, note.content, note.author.username) == (case.pk, "Triage",
                                                                                   "looks benign", "owner")
    read = rest.get(f"/rest/note/{note.pk}").json()
    assert read["container"] == case.pk and read["container_id"] == case.pk and read["author"] == "owner"


def test_a_note_is_created_with_container_too(rest: Any, make_container: Any) -> None:
    case = make_container()
    response = rest.post("/rest/note", {"container": case.pk, "title": "t", "content": "c"}, format="json")
    assert response.status_code == 200
    assert Note.objects.get(pk=response.json()["id"]).note_type == "general"


def test_it_answers_400_naming_container_id_when_the_container_is_missing(rest: Any) -> None:
    response = rest.post("/rest/note", {"container_id": 999999, "title": "t"}, format="json")
    assert response.status_code == 400
    assert response.json()["failed"] is True and "container_id" in response.json()["message"]
    response = rest.post("/rest/note", {"title": "t"}, format="json")
    assert response.status_code == 400 and "container_id" in response.json()["message"]


def test_an_artifact_note_names_its_artifact(rest: Any, make_container: Any, make_artifact: Any) -> None:
    case = make_container()
    artifact = make_artifact(case)
    response = rest.post("/rest/note", {"container_id": case.pk, "artifact_id": artifact.pk, "note_type": "artifact",
                                        "title": "ip", "content": "seen before"}, format="json")
    assert response.status_code == 200, response.json()
    note = Note.objects.get(pk=response.json()["id"])
    assert note.artifact_id == artifact.pk
    artifact.refresh_from_db()
    assert artifact.has_note is True
    missing = rest.post("/rest/note", {"container_id": case.pk, "note_type": "artifact", "title": "x"}, format="json")
    assert missing.status_code == 400 and "artifact_id" in missing.json()["message"]


def test_an_artifact_of_another_container_is_refused(rest: Any, make_container: Any, make_artifact: Any) -> None:
    artifact = make_artifact(make_container(name="other"))
    case = make_container()
    response = rest.post("/rest/note", {"container_id": case.pk, "artifact_id": artifact.pk, "note_type": "artifact"},
                         format="json")
    assert response.status_code == 400 and "artifact_id" in response.json()["message"]


def _task(container: Any) -> ContainerTask:
    workbook = ContainerWorkbook.objects.create(container=container, name="Response")
    phase = ContainerPhase.objects.create(workbook=workbook, container=container, name="Detect")
    return ContainerTask.objects.create(phase=phase, container=container, name="Investigate")


def test_a_task_note_is_linked_to_its_task(rest: Any, make_container: Any) -> None:
    case = make_container()
    task = _task(case)
    response = rest.post("/rest/note", {"container_id": case.pk, "note_type": "task", "task_id": task.pk,
                                        "phase_id": task.phase_id, "title": "done", "content": "checked"},
                         format="json")
    assert response.status_code == 200, response.json()
    note_id = response.json()["id"]
    assert list(task.notes.values_list("pk", flat=True)) == [note_id]
    assert rest.get(f"/rest/note/{note_id}").json()["task_id"] == task.pk
    missing = rest.post("/rest/note", {"container_id": case.pk, "note_type": "task", "title": "x"}, format="json")
    assert missing.status_code == 400 and "task_id" in missing.json()["message"]


def test_an_unknown_note_type_is_refused_naming_the_field(rest: Any, make_container: Any) -> None:
    response = rest.post("/rest/note", {"container_id": make_container().pk, "note_type": "diary"}, format="json")
    assert response.status_code == 400 and "note_type" in response.json()["message"]


def test_the_container_lists_its_notes_in_soar_envelope(rest: Any, make_container: Any) -> None:
    case, other = make_container(), make_container(name="other")
    for title in ("a", "b", "c"):
        Note.objects.create(container=case, title=title)
    Note.objects.create(container=other, title="elsewhere")
    body = rest.get(f"/rest/container/{case.pk}/notes?page_size=2&sort=title&order=desc").json()
    assert body["count"] == 3 and body["num_pages"] == 2
    assert [n["title"] for n in body["data"]] == ["c", "b"]
    assert rest.get("/rest/container/999999/notes").status_code == 404


def test_a_viewer_reads_notes_but_may_not_write_them(viewer: Any, make_container: Any) -> None:
    case = make_container()
    client = token_client(viewer)
    assert client.get(f"/rest/container/{case.pk}/notes").status_code == 200
    assert client.post("/rest/note", {"container_id": case.pk, "title": "t"}, format="json").status_code == 403


def test_an_outsider_reads_no_notes(outsider: Any, make_container: Any) -> None:
    assert token_client(outsider).get(f"/rest/container/{make_container().pk}/notes").status_code == 403


def test_note_writes_land_in_the_audit_trail(analyst: Any, make_container: Any) -> None:
    case = make_container()
    client = token_client(analyst)
    note_id = client.post("/rest/note", {"container_id": case.pk, "title": "t"}, format="json").json()["id"]
    assert client.post(f"/rest/note/{note_id}", {"content": "more"}, format="json").status_code == 200
    assert client.delete(f"/rest/note/{note_id}").status_code == 200
    trail = list(AuditEntry.objects.filter(object_type="note", object_id=note_id).values_list("action", "username",
                                                                                                "container_id"))
    assert sorted(trail) == sorted([("create", "analyst", case.pk), ("update", "analyst", case.pk),
                                    ("delete", "analyst", case.pk)])


def test_ids_beyond_the_database_range_are_refused_naming_the_field(rest: Any, make_container: Any) -> None:
    case = make_container()
    for body, field in (({"container_id": 2**64, "title": "t"}, "container_id"),
                        ({"container_id": case.pk, "artifact_id": 2**63, "note_type": "artifact"}, "artifact_id"),
                        ({"container_id": case.pk, "task_id": -1, "note_type": "task"}, "task_id")):
        response = rest.post("/rest/note", body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["message"]
    for url, text in (("/rest/container_comment", "comment"), ("/rest/container_pin", "message")):
        response = rest.post(url, {"container_id": 2**63, text: "c"}, format="json")
        assert response.status_code == 400 and "container_id" in response.json()["message"], url


def test_notes_take_soarsdk_empty_attachments_and_sort_by_modified_time(rest: Any, make_container: Any) -> None:
    case = make_container()
    ok = rest.post("/rest/note", {"container_id": case.pk, "title": "t", "attachments": []}, format="json")
    assert ok.status_code == 200, ok.json()
    refused = rest.post("/rest/note", {"container_id": case.pk, "title": "t", "attachments": [{"x": 1}]},
                        format="json")
    assert refused.status_code == 400 and "attachments" in refused.json()["message"]
    listed = rest.get(f"/rest/note?_filter_container={case.pk}&sort=modified_time&order=desc")
    assert listed.status_code == 200 and listed.json()["count"] == 1
