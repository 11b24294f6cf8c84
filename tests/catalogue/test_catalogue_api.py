"""`GET /api/apps`, `/api/apps/<id>` and `/api/assets`: what the editor's pickers read."""
from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from engine.apps.catalogue import parse_app
from engine.catalogue import sync_app
from engine.models import App, Asset

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.catalogue.urls")]

ClientFor = Callable[[User], APIClient]


@pytest.fixture
def sample(sample_app: dict[str, Any]) -> App:
    return sync_app(parse_app(sample_app))[0]


def test_the_app_list_shows_every_action_with_parameters_and_outputs(
        as_user: ClientFor, viewer: User, sample: App) -> None:
    apps = {a["name"]: a for a in as_user(viewer).get("/api/apps").json()}
    assert {"HTTP", "Utilities", "Sample Intel"} <= set(apps)
    body = apps["Sample Intel"]
    assert {k: v for k, v in body.items() if k != "actions"} == {
        "id": sample.pk, "appid": sample.appid, "name": "Sample Intel", "version": "1.0.0",
        "product_vendor": "Example", "product_name": "Intel", "builtin": False}
    assert [a["name"] for a in body["actions"]] == ["block ip", "lookup ip", "test connectivity"]
    lookup = body["actions"][1]
    assert {k: lookup[k] for k in ("identifier", "description", "type", "read_only")} == {
        "identifier": "lookup_ip", "description": "Reputation of an IP", "type": "investigate", "read_only": True}
    assert lookup["parameters"] == [
        {"name": "ip", "data_type": "string", "required": True, "contains": ["ip"], "default": None,
         "value_list": [], "primary": True, "order": 0, "description": "IP to look up"},
        {"name": "verbose", "data_type": "boolean", "required": False, "contains": [], "default": False,
         "value_list": [], "primary": False, "order": 1, "description": ""},
    ]
    assert lookup["outputs"] == [{"data_path": "action_result.data.*.score", "data_type": "numeric",
                                  "contains": [], "example_values": [42]}]


def test_parameters_are_listed_by_their_declared_order(api: APIClient, sample_app: dict[str, Any]) -> None:
    sample_app["actions"][1]["parameters"]["ip"]["order"] = 5
    sync_app(parse_app(sample_app))
    apps = {a["name"]: a for a in api.get("/api/apps").json()}
    lookup = next(a for a in apps["Sample Intel"]["actions"] if a["name"] == "lookup ip")
    assert [p["name"] for p in lookup["parameters"]] == ["verbose", "ip"]


def test_the_app_list_takes_three_queries_cold_and_one_warm(api: APIClient, sample_app: dict[str, Any]) -> None:
    for n in range(5):
        sync_app(parse_app({**sample_app, "appid": f"00000000-0000-4000-8000-00000000000{n}", "name": f"App {n}"}))
    api.get("/rest/container")  # the token lookup and role cache warm up
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            listed = api.get("/api/apps").json()
        catalogue = [q["sql"] for q in queries.captured_queries if "engine_app" in q["sql"]]
        assert all('"definition"' not in sql for sql in catalogue)
        counts.append(len(catalogue))
    assert len(listed) == App.objects.count() == 7
    assert counts == [3, 1]  # (id, update_time) + apps + their actions; then (id, update_time)


def test_the_app_list_shows_an_update_at_once(api: APIClient, sample_app: dict[str, Any], sample: App) -> None:
    before = {a["name"]: a for a in api.get("/api/apps").json()}["Sample Intel"]
    sample_app["app_version"] = "1.1.0"
    sample_app["actions"] = sample_app["actions"][:2]
    sync_app(parse_app(sample_app))
    after = {a["name"]: a for a in api.get("/api/apps").json()}["Sample Intel"]
    assert (before["version"], len(before["actions"])) == ("1.0.0", 3)
    assert (after["version"], len(after["actions"])) == ("1.1.0", 2)


def test_the_app_list_is_gzipped_for_clients_that_accept_it(api: APIClient, sample: App) -> None:
    plain = api.get("/api/apps")
    packed = api.get("/api/apps", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert json.loads(plain.content) == plain.json()


def test_one_app_adds_its_description_and_asset_schema(api: APIClient, sample: App) -> None:
    body = api.get(f"/api/apps/{sample.pk}").json()
    assert body["description"] == "A made-up threat intelligence service"
    assert body["configuration"]["api_key"] == {"data_type": "password", "required": True, "order": 1}
    assert len(body["actions"]) == 3
    assert api.get("/api/apps/99999").status_code == 404


def test_the_asset_list_names_the_app_and_its_actions(as_user: ClientFor, viewer: User, sample: App) -> None:
    Asset.objects.create(name="intel", app=sample, tags=["prod"], configuration={"api_key": "x"})
    body = as_user(viewer).get("/api/assets").json()
    assert body == [{"id": Asset.objects.get(name="intel").pk, "name": "intel", "app_id": sample.pk,
                     "app_appid": sample.appid, "app_name": "Sample Intel",
                     "actions": ["block ip", "lookup ip", "test connectivity"], "tags": ["prod"],
                     "disabled": False}]


def test_the_outsider_reads_neither_list(as_user: ClientFor, outsider: User) -> None:
    client = as_user(outsider)
    assert client.get("/api/apps").status_code == 403
    assert client.get("/api/assets").status_code == 403
