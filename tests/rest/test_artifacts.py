"""SOAR's artifact endpoint: one artifact or a list in one POST (one result per item),
deduplication by SOAR's hash, automation once per container, the audit trail."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from engine.artifacts import automation_requested
from engine.models import Artifact, AuditEntry, Container
from engine.serializers import ArtifactSerializer

pytestmark = pytest.mark.django_db


def _artifact(cid: int, i: int, **more: Any) -> dict[str, Any]:
    return {"container_id": cid, "name": f"ip {i}", "label": "event", "source_data_identifier": f"sdi-{i}",
            "cef": {"sourceAddress": f"10.0.0.{i}"}, **more}


@pytest.fixture
def requests_seen() -> Iterator[list[int]]:
    seen: list[int] = []
    automation_requested.connect(lambda sender, container, **kw: seen.append(container.pk), weak=False,
                                 dispatch_uid="test-artifacts")
    yield seen
    automation_requested.disconnect(dispatch_uid="test-artifacts")


def test_one_artifact_answers_success_and_its_id(rest: APIClient, make_container: Callable[..., Container]) -> None:
    cid = make_container().pk
    body = rest.post("/rest/artifact", _artifact(cid, 1), format="json").json()
    assert body == {"success": True, "id": Artifact.objects.get(container_id=cid).pk}
    assert Container.objects.get(pk=cid).artifact_count == 1


def test_the_same_artifact_again_is_a_409_naming_the_first(rest: APIClient,
                                                           make_container: Callable[..., Container]) -> None:
    cid = make_container().pk
    first = rest.post("/rest/artifact", _artifact(cid, 1), format="json").json()["id"]
    response = rest.post("/rest/artifact", _artifact(cid, 1), format="json")
    assert response.status_code == 409 and response.json()["existing_artifact_id"] == first
    assert Container.objects.get(pk=cid).artifact_count == 1


def test_a_list_answers_one_result_per_item_in_order(rest: APIClient, make_container: Callable[..., Container]) -> None:
    a, b = make_container().pk, make_container(name="other").pk
    first = rest.post("/rest/artifact", _artifact(a, 1), format="json").json()["id"]
    items = [_artifact(a, 2), _artifact(b, 3), _artifact(a, 1), {"name": "no container"}, "text",
             _artifact(987654, 4), _artifact(a, 5, cef="not an object"), _artifact(a, 2)]
    response = rest.post("/rest/artifact", items, format="json")
    assert response.status_code == 200
    out = response.json()
    assert len(out) == len(items)
    assert out[0]["success"] and out[1]["success"]
    assert out[2] == {"failed": True, "existing_artifact_id": first, "message": "artifact already exists"}
    assert out[3]["failed"] and "container_id" in out[3]["message"]
    assert out[4] == {"failed": True, "message": "expected an artifact object"}
    assert out[5]["failed"] and "987654" in out[5]["message"]
    assert out[6]["failed"] and "cef" in out[6]["message"]
    assert out[7] == {"failed": True, "existing_artifact_id": out[0]["id"], "message": "artifact already exists"}
    assert Artifact.objects.get(pk=out[1]["id"]).container_id == b
    assert Container.objects.get(pk=a).artifact_count == 2 and Container.objects.get(pk=b).artifact_count == 1


def test_a_list_may_name_the_container_by_container_too(rest: APIClient,
                                                        make_container: Callable[..., Container]) -> None:
    cid = make_container().pk
    item = {k: v for k, v in _artifact(cid, 1).items() if k != "container_id"}
    out = rest.post("/rest/artifact", [{**item, "container": cid}, {**item, "container": str(cid), "name": "x"}],
                    format="json").json()
    assert [o.get("success") for o in out] == [True, True]


def test_a_list_starts_automation_once_per_container_when_asked(
    rest: APIClient, make_container: Callable[..., Container], requests_seen: list[int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    a, b, c = make_container().pk, make_container(name="b").pk, make_container(name="c").pk
    items = [_artifact(a, 1), _artifact(a, 2, run_automation=True), _artifact(a, 3),
             _artifact(b, 4, run_automation=False), _artifact(c, 5, run_automation=True)]
    with django_capture_on_commit_callbacks(execute=True):
        rest.post("/rest/artifact", items, format="json")
    assert sorted(requests_seen) == [a, c]


def test_a_duplicate_never_requests_automation(rest: APIClient, make_container: Callable[..., Container],
                                               requests_seen: list[int],
                                               django_capture_on_commit_callbacks: Any) -> None:
    cid = make_container().pk
    rest.post("/rest/artifact", _artifact(cid, 1), format="json")
    with django_capture_on_commit_callbacks(execute=True):
        rest.post("/rest/artifact", [_artifact(cid, 1, run_automation=True)], format="json")
        rest.post("/rest/artifact", _artifact(cid, 1, run_automation=True), format="json")
    assert requests_seen == []


def test_a_non_boolean_run_automation_fails_its_item(rest: APIClient, make_container: Callable[..., Container]) -> None:
    cid = make_container().pk
    out = rest.post("/rest/artifact", [_artifact(cid, 1, run_automation="yes")], format="json").json()
    assert out[0]["failed"] and "run_automation" in out[0]["message"]


def test_every_artifact_of_a_list_lands_in_the_audit_trail(rest: APIClient, owner: User,
                                                           make_container: Callable[..., Container]) -> None:
    cid = make_container().pk
    out = rest.post("/rest/artifact", [_artifact(cid, 1), _artifact(cid, 2)], format="json").json()
    audited = AuditEntry.objects.filter(object_type="artifact", action="create", container_id=cid)
    assert sorted(audited.values_list("object_id", flat=True)) == sorted(o["id"] for o in out)
    assert set(audited.values_list("user_id", flat=True)) == {owner.pk}


def test_one_artifact_lands_in_the_audit_trail_once(rest: APIClient, make_container: Callable[..., Container]) -> None:
    cid = make_container().pk
    aid = rest.post("/rest/artifact", _artifact(cid, 1), format="json").json()["id"]
    assert AuditEntry.objects.filter(object_type="artifact", object_id=aid).count() == 1


def test_a_viewer_cannot_post_artifacts(rest_as: Callable[[User], APIClient], viewer: User,
                                        make_container: Callable[..., Container]) -> None:
    cid = make_container().pk
    assert rest_as(viewer).post("/rest/artifact", [_artifact(cid, 1)], format="json").status_code == 403
    assert not Artifact.objects.exists()


def test_a_list_too_long_is_refused(rest: APIClient, make_container: Callable[..., Container],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.rest import containers

    monkeypatch.setattr(containers, "MAX_ARTIFACTS_PER_POST", 2)
    cid = make_container().pk
    response = rest.post("/rest/artifact", [_artifact(cid, i) for i in range(3)], format="json")
    assert response.status_code == 400 and "at most 2" in response.json()["message"]


# The quick check that spares most artifacts DRF's per-field work must never accept what the
# serializer refuses (it may send anything it is unsure of to the serializer).
BODIES: list[dict[str, Any]] = [
    {"name": "ok", "label": "event", "cef": {"a": 1}, "tags": ["x"], "source_data_identifier": "s"},
    {"name": ""}, {"label": ""}, {"label": "   "}, {"severity": ""}, {"name": "x" * 1024}, {"name": "x" * 1025},
    {"label": "l" * 129}, {"name": "a\x00b"}, {"name": "é"}, {"name": "\ud800"}, {"name": 5}, {"name": True},
    {"name": None}, {"type": None}, {"kill_chain": None}, {"label": None}, {"cef": None}, {"cef": []},
    {"cef": "x"}, {"tags": ["a", 1]}, {"tags": "a"}, {"tags": ["t" * 129]}, {"data": [1]}, {"cef_types": {}},
    {"bogus": 1}, {"id": 5}, {"hash": "h"}, {"run_automation": "x"}, {"start_time": "2026-01-01T00:00:00Z"},
    {"end_time": "soon"}, {"ingest_app_id": "a" * 65}, {"description": "d" * 5000}, {"source_data_identifier": None},
]


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_the_quick_check_never_accepts_what_the_serializer_refuses(body: dict[str, Any]) -> None:
    accepted = ArtifactSerializer(data=body, context={"container": True}).is_valid()
    if ArtifactSerializer.plainly_valid(body):
        assert accepted, body


def test_the_quick_check_takes_the_common_artifact() -> None:
    assert ArtifactSerializer.plainly_valid(BODIES[0])


def test_artifacts_created_together_read_back_like_one_created_alone(
    rest: APIClient, make_container: Callable[..., Container],
) -> None:
    """Artifacts inserted together (one bulk_create) read back like one created alone: defaults, nulls, JSON."""
    alone_id = rest.post("/rest/artifact", _artifact(make_container().pk, 1), format="json").json()["id"]
    together = rest.post("/rest/container", {"name": "bulk", "artifacts": [
        {k: v for k, v in _artifact(0, 1).items() if k != "container_id"}]}, format="json").json()
    alone = rest.get(f"/rest/artifact/{alone_id}").json()
    bulk = rest.get(f"/rest/artifact/{together['artifacts'][0]['id']}").json()
    varying = {"id", "container", "create_time", "start_time", "update_time"}
    assert {k: v for k, v in bulk.items() if k not in varying} == {k: v for k, v in alone.items() if k not in varying}
    assert bulk["type"] is None and bulk["description"] == "" and bulk["version"] == 1 and bulk["has_note"] is False
