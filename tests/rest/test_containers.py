"""SOAR's container endpoint: a container posted with its artifacts in one POST, with
SOAR's run_automation semantics (active playbooks start once, after the last artifact),
owner updates by `owner_id` or `owner`, and the parent link its children are listed by."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from engine.artifacts import automation_requested
from engine.models import Artifact, AuditEntry, Container, PlaybookRun
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db

SOURCE = "def on_start(container):\n    return\n\ndef on_finish(container, summary):\n    return\n"


def _artifact(i: int, **more: Any) -> dict[str, Any]:
    return {"name": f"ip {i}", "label": "event", "source_data_identifier": f"sdi-{i}",
            "cef": {"sourceAddress": f"10.0.0.{i}"}, **more}


@pytest.fixture
def requests_seen() -> Iterator[list[int]]:
    """The containers whose automation was requested (after commit), in order."""
    seen: list[int] = []

    def listener(sender: Any, container: Container, **kwargs: Any) -> None:
        seen.append(container.pk)

    automation_requested.connect(listener, dispatch_uid="test-containers")
    yield seen
    automation_requested.disconnect(dispatch_uid="test-containers")


def test_a_container_posted_with_its_artifacts_answers_each_artifacts_id(rest: APIClient) -> None:
    body = rest.post("/rest/container", {"name": "case", "artifacts": [_artifact(1), _artifact(2)]},
                     format="json").json()
    assert body["success"] is True
    ids = [a["id"] for a in body["artifacts"]]
    assert [a["success"] for a in body["artifacts"]] == [True, True]
    assert list(Artifact.objects.filter(container_id=body["id"]).order_by("id").values_list("id", flat=True)) == ids
    assert Container.objects.get(pk=body["id"]).artifact_count == 2


def test_the_artifacts_keep_what_was_posted(rest: APIClient, owner: User) -> None:
    art = _artifact(1, cef_types={"sourceAddress": ["ip"]}, tags=["t1"], severity="high",
                    data={"raw": 1}, start_time="2026-01-02T03:04:05Z")
    cid = rest.post("/rest/container", {"name": "case", "artifacts": [art]}, format="json").json()["id"]
    stored = rest.get(f"/rest/container/{cid}/artifacts").json()["data"][0]
    assert stored["cef"] == {"sourceAddress": "10.0.0.1"} and stored["cef_types"] == {"sourceAddress": ["ip"]}
    assert stored["tags"] == ["t1"] and stored["severity"] == "high" and stored["data"] == {"raw": 1}
    assert stored["start_time"].startswith("2026-01-02T03:04:05") and stored["owner_id"] == owner.pk


def test_duplicates_within_one_post_are_answered_with_the_first_ones_id(rest: APIClient) -> None:
    body = rest.post("/rest/container", {"name": "case", "artifacts": [_artifact(1), _artifact(2), _artifact(1)]},
                     format="json").json()
    first, _, third = body["artifacts"]
    assert third == {"failed": True, "existing_artifact_id": first["id"], "message": "artifact already exists"}
    assert Artifact.objects.filter(container_id=body["id"]).count() == 2


def test_artifacts_without_an_sdi_are_never_deduplicated(rest: APIClient) -> None:
    plain = {"name": "note", "cef": {"msg": "x"}}
    body = rest.post("/rest/container", {"name": "case", "artifacts": [plain, plain]}, format="json").json()
    assert all(a["success"] for a in body["artifacts"])


def test_active_playbooks_start_once_after_the_last_artifact(
    rest: APIClient, requests_seen: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    playbook = python_playbook("watcher", SOURCE)
    playbook.labels, playbook.active = ["events"], True
    playbook.save()
    with django_capture_on_commit_callbacks(execute=True):
        cid = rest.post("/rest/container", {"name": "case", "label": "events",
                                            "artifacts": [_artifact(i) for i in range(5)]}, format="json").json()["id"]
    assert requests_seen == [cid]
    assert PlaybookRun.objects.filter(container_id=cid, playbook=playbook).count() == 1


def test_run_automation_false_starts_nothing(rest: APIClient, requests_seen: list[int],
                                             django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        rest.post("/rest/container", {"name": "case", "run_automation": False, "artifacts": [_artifact(1)]},
                  format="json")
    assert requests_seen == []


def test_an_artifacts_own_run_automation_is_ignored_in_a_container_post(
    rest: APIClient, requests_seen: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    arts = [_artifact(1, run_automation=True), _artifact(2, run_automation=False)]
    with django_capture_on_commit_callbacks(execute=True):
        cid = rest.post("/rest/container", {"name": "case", "artifacts": arts}, format="json").json()["id"]
    assert requests_seen == [cid]


def test_a_container_without_artifacts_starts_nothing(rest: APIClient, requests_seen: list[int],
                                                      django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        rest.post("/rest/container", {"name": "case"}, format="json")
    assert requests_seen == []


def test_a_bad_artifact_is_named_by_its_index_and_nothing_is_stored(rest: APIClient) -> None:
    arts = [_artifact(1), _artifact(2), {"name": "bad", "label": ""}]
    response = rest.post("/rest/container", {"name": "case", "artifacts": arts}, format="json")
    assert response.status_code == 400 and "artifacts[2]" in response.json()["message"]
    assert "label" in response.json()["message"]
    assert Container.objects.count() == 0 and Artifact.objects.count() == 0


@pytest.mark.parametrize("bad", [{"bogus": 1}, {"name": "x" * 2000}, {"tags": "t"}, {"cef": []},
                                 {"start_time": "yesterday"}, {"name": "a\x00b"}, {"label": None}])
def test_each_kind_of_bad_artifact_is_refused_with_its_field(rest: APIClient, bad: dict[str, Any]) -> None:
    response = rest.post("/rest/container", {"name": "case", "artifacts": [_artifact(1), bad]}, format="json")
    assert response.status_code == 400, response.content
    assert "artifacts[1]" in response.json()["message"] and next(iter(bad)) in response.json()["message"]


def test_every_created_artifact_lands_in_the_audit_trail(rest: APIClient, owner: User) -> None:
    body = rest.post("/rest/container", {"name": "case", "artifacts": [_artifact(1), _artifact(2)]},
                     format="json").json()
    entries = AuditEntry.objects.filter(container_id=body["id"])
    assert set(entries.filter(object_type="artifact").values_list("object_id", flat=True)) == {
        a["id"] for a in body["artifacts"]}
    assert entries.filter(object_type="container", action="create", object_id=body["id"]).exists()
    assert set(entries.values_list("username", flat=True)) == {owner.username}


def test_owner_id_assigns_the_container(rest: APIClient, analyst: User) -> None:
    cid = rest.post("/rest/container", {"name": "case"}, format="json").json()["id"]
    assert rest.post(f"/rest/container/{cid}", {"owner_id": analyst.pk}, format="json").json()["success"]
    body = rest.get(f"/rest/container/{cid}").json()
    assert body["owner_id"] == analyst.pk and body["owner_name"] == analyst.username
    assert rest.post(f"/rest/container/{cid}", {"owner_id": None}, format="json").status_code == 200
    assert Container.objects.get(pk=cid).owner_id is None


def test_owner_id_of_nobody_is_a_400_naming_the_field(rest: APIClient, analyst: User) -> None:
    cid = rest.post("/rest/container", {"name": "case", "owner_id": analyst.pk}, format="json").json()["id"]
    for bad in (987654, "me", 0):
        response = rest.post(f"/rest/container/{cid}", {"owner_id": bad}, format="json")
        assert response.status_code == 400 and "owner_id" in response.json()["message"]
    assert Container.objects.get(pk=cid).owner_id == analyst.pk


def test_owner_by_name_assigns_too(rest: APIClient, analyst: User) -> None:
    cid = rest.post("/rest/container", {"name": "case"}, format="json").json()["id"]
    assert rest.post(f"/rest/container/{cid}", {"owner": "analyst"}, format="json").status_code == 200
    assert Container.objects.get(pk=cid).owner_id == analyst.pk
    response = rest.post(f"/rest/container/{cid}", {"owner": "nobody-here"}, format="json")
    assert response.status_code == 400 and "owner" in response.json()["message"]


def test_owner_and_owner_id_naming_two_users_is_refused(rest: APIClient, analyst: User, viewer: User) -> None:
    cid = rest.post("/rest/container", {"name": "case"}, format="json").json()["id"]
    response = rest.post(f"/rest/container/{cid}", {"owner": "viewer", "owner_id": analyst.pk}, format="json")
    assert response.status_code == 400 and "owner_id" in response.json()["message"]


def test_an_owner_update_lands_in_the_audit_trail(rest: APIClient, analyst: User) -> None:
    cid = rest.post("/rest/container", {"name": "case"}, format="json").json()["id"]
    rest.post(f"/rest/container/{cid}", {"owner_id": analyst.pk}, format="json")
    entry = AuditEntry.objects.filter(object_type="container", object_id=cid, action="update").get()
    assert "owner_id" in entry.detail["fields"]


def test_a_viewer_cannot_assign_a_container(rest: APIClient, rest_as: Callable[[User], APIClient],
                                           viewer: User, analyst: User) -> None:
    cid = rest.post("/rest/container", {"name": "case"}, format="json").json()["id"]
    assert rest_as(viewer).post(f"/rest/container/{cid}", {"owner_id": analyst.pk}, format="json").status_code == 403
    assert Container.objects.get(pk=cid).owner_id is None


def test_a_parent_link_is_set_checked_and_read_back(rest: APIClient) -> None:
    parent = rest.post("/rest/container", {"name": "parent"}, format="json").json()["id"]
    child = rest.post("/rest/container", {"name": "child", "parent_container": parent}, format="json").json()["id"]
    assert rest.get(f"/rest/container/{child}").json()["parent_container"] == parent
    response = rest.post("/rest/container", {"name": "orphan", "parent_container": 987654}, format="json")
    assert response.status_code == 400 and "parent_container" in response.json()["message"]
    cycle = rest.post(f"/rest/container/{parent}", {"parent_container": child}, format="json")
    assert cycle.status_code == 400 and "parent_container" in cycle.json()["message"]
    itself = rest.post(f"/rest/container/{parent}", {"parent_container": parent}, format="json")
    assert itself.status_code == 400


def test_containers_filter_by_owner_id_and_parent(rest: APIClient, analyst: User) -> None:
    parent = rest.post("/rest/container", {"name": "parent", "owner_id": analyst.pk}, format="json").json()["id"]
    rest.post("/rest/container", {"name": "child", "parent_container": parent}, format="json")
    assert rest.get(f"/rest/container?_filter_owner_id={analyst.pk}").json()["count"] == 1
    assert rest.get(f"/rest/container?_filter_parent_container={parent}").json()["data"][0]["name"] == "child"
