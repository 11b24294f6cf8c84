"""`POST /api/apps/upload`: only the admin role installs apps; bad uploads name the problem."""
from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from engine.models import App

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.catalogue.urls")]

ClientFor = Callable[[User], APIClient]


def _upload(client: APIClient, name: str, payload: bytes) -> Any:
    return client.post("/api/apps/upload", {"file": SimpleUploadedFile(name, payload)}, format="multipart")


def test_the_editor_may_not_upload_an_app(as_user: ClientFor, editor: User, sample_app: dict[str, Any]) -> None:
    response = _upload(as_user(editor), "sample.json", json.dumps(sample_app).encode())
    assert response.status_code == 403
    assert not App.objects.filter(appid=sample_app["appid"]).exists()


def test_the_analyst_and_the_outsider_may_not_upload_either(
        as_user: ClientFor, analyst: User, outsider: User, sample_app: dict[str, Any]) -> None:
    for user in (analyst, outsider):
        assert _upload(as_user(user), "sample.json", json.dumps(sample_app).encode()).status_code == 403


def test_the_owner_uploads_an_app_and_then_a_newer_version(
        as_user: ClientFor, owner: User, sample_app: dict[str, Any]) -> None:
    client = as_user(owner)
    body = _upload(client, "sample.json", json.dumps(sample_app).encode()).json()
    app = App.objects.get(appid=sample_app["appid"])
    assert body == {"success": True, "outcome": "created", "id": app.pk, "appid": sample_app["appid"],
                    "name": "Sample Intel", "version": "1.0.0", "actions": 3}
    sample_app["app_version"] = "1.0.1"
    again = _upload(client, "sample.json", json.dumps(sample_app).encode()).json()
    assert (again["outcome"], again["id"], again["version"]) == ("updated", app.pk, "1.0.1")


def test_the_owner_uploads_an_app_tarball(as_user: ClientFor, owner: User, sample_app: dict[str, Any]) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        payload = json.dumps(sample_app).encode()
        info = tarfile.TarInfo("sampleintel/sampleintel.json")
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
    body = _upload(as_user(owner), "sampleintel.tgz", buffer.getvalue()).json()
    assert body["outcome"] == "created" and body["actions"] == 3


def test_a_bad_upload_is_a_400_naming_the_file_and_key_path(
        as_user: ClientFor, owner: User, sample_app: dict[str, Any]) -> None:
    sample_app["actions"][1]["read_only"] = "yes"
    response = _upload(as_user(owner), "broken.json", json.dumps(sample_app).encode())
    assert response.status_code == 400
    body = response.json()
    assert body["failed"] is True and body["file"] == "broken.json"
    assert body["key_path"] == "actions[1].read_only"
    assert body["message"].startswith("broken.json: actions[1].read_only: expected true or false")
    assert not App.objects.filter(appid=sample_app["appid"]).exists()


def test_an_upload_that_is_not_json_or_a_tarball_is_a_400(as_user: ClientFor, owner: User) -> None:
    response = _upload(as_user(owner), "app.tgz", b"this is no tarball")
    assert response.status_code == 400 and response.json()["file"] == "app.tgz"
    response = _upload(as_user(owner), "app.json", b"\x89PNG...")
    assert response.status_code == 400 and "app.json" in response.json()["message"]


def test_an_upload_without_a_file_field_says_how_to_send_one(as_user: ClientFor, owner: User) -> None:
    response = as_user(owner).post("/api/apps/upload", {"other": "x"}, format="multipart")
    assert response.status_code == 400 and "'file'" in response.json()["message"]
