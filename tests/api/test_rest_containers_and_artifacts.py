"""Creating, reading, updating containers and artifacts the SOAR way."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from engine.models import Artifact, Container

pytestmark = pytest.mark.django_db

ART = {"name": "ip", "label": "event", "source_data_identifier": "e-1", "cef": {"sourceAddress": "1.1.1.1"}}


def test_create_answers_success_and_the_new_id(api: APIClient) -> None:
    body = api.post("/rest/container", {"name": "case", "label": "events"}, format="json").json()
    assert body["success"] is True and Container.objects.get(pk=body["id"]).name == "case"


def test_a_container_may_carry_its_artifacts(api: APIClient) -> None:
    body = api.post("/rest/container", {"name": "case", "artifacts": [ART, ART]}, format="json").json()
    assert body["success"] is True
    first, second = body["artifacts"]
    assert first["success"] is True
    assert second == {"failed": True, "existing_artifact_id": first["id"], "message": "artifact already exists"}
    assert Container.objects.get(pk=body["id"]).artifact_count == 1


def test_a_container_with_a_known_sdi_names_the_existing_one(api: APIClient) -> None:
    first = api.post("/rest/container", {"name": "a", "source_data_identifier": "x-1"}, format="json").json()
    response = api.post("/rest/container", {"name": "b", "source_data_identifier": "x-1"}, format="json")
    assert response.status_code == 409
    assert response.json()["existing_container_id"] == first["id"]


def test_posting_the_same_artifact_twice_with_an_sdi_returns_the_duplicate_response(api: APIClient) -> None:
    cid = api.post("/rest/container", {"name": "case"}, format="json").json()["id"]
    first = api.post("/rest/artifact", {**ART, "container_id": cid}, format="json").json()
    response = api.post("/rest/artifact", {**ART, "container_id": cid}, format="json")
    body = response.json()
    assert response.status_code == 409
    assert body["existing_artifact_id"] == first["id"] and body["failed"] is True and body["message"]


def test_posting_the_same_artifact_twice_without_an_sdi_stores_both(api: APIClient) -> None:
    cid = api.post("/rest/container", {"name": "case"}, format="json").json()["id"]
    art = {k: v for k, v in ART.items() if k != "source_data_identifier"}
    assert api.post("/rest/artifact", {**art, "container_id": cid}, format="json").json()["success"]
    assert api.post("/rest/artifact", {**art, "container_id": cid}, format="json").json()["success"]
    assert Artifact.objects.filter(container_id=cid).count() == 2


def test_a_containers_artifacts_are_listed_under_it(api: APIClient) -> None:
    cid = api.post("/rest/container", {"name": "case", "artifacts": [ART]}, format="json").json()["id"]
    other = api.post("/rest/container", {"name": "other", "artifacts": [ART]}, format="json").json()["id"]
    body = api.get(f"/rest/container/{cid}/artifacts").json()
    assert body["count"] == 1 and body["data"][0]["container"] == cid
    assert api.get(f"/rest/container/{other}/artifacts").json()["count"] == 1
    assert api.get("/rest/container/999999/artifacts").status_code == 404


def test_an_update_is_a_post_to_the_objects_url(api: APIClient) -> None:
    cid = api.post("/rest/container", {"name": "case"}, format="json").json()["id"]
    assert api.post(f"/rest/container/{cid}", {"status": "closed", "severity": "high"}, format="json").json()["success"]
    container = Container.objects.get(pk=cid)
    assert container.status == "closed" and container.severity == "high" and container.close_time is not None


def test_an_artifact_cannot_move_to_another_container(api: APIClient) -> None:
    body = api.post("/rest/container", {"name": "case", "artifacts": [ART]}, format="json").json()
    other = api.post("/rest/container", {"name": "other"}, format="json").json()["id"]
    response = api.post(f"/rest/artifact/{body['artifacts'][0]['id']}", {"container_id": other}, format="json")
    assert response.status_code == 400 and "container_id" in response.json()["message"]


def test_deleting_an_artifact_uncounts_it(api: APIClient) -> None:
    body = api.post("/rest/container", {"name": "case", "artifacts": [ART]}, format="json").json()
    assert api.delete(f"/rest/artifact/{body['artifacts'][0]['id']}").json() == {"success": True}
    assert Container.objects.get(pk=body["id"]).artifact_count == 0


def test_the_owner_is_written_by_username_and_read_back(api: APIClient) -> None:
    cid = api.post("/rest/container", {"name": "case", "owner": "owner"}, format="json").json()["id"]
    body = api.get(f"/rest/container/{cid}").json()
    assert body["owner"] == "owner" and body["owner_name"] == "owner" and isinstance(body["owner_id"], int)
