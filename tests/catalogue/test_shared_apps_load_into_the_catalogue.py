"""All 207 SOAR app definitions in ../shared/apps load, and the API lists every app and action."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from engine.models import App, AppAction
from tests.catalogue.helpers import load_apps_command

pytestmark = [pytest.mark.django_db, pytest.mark.corpus, pytest.mark.urls("tests.catalogue.urls")]


def _definitions(folder: Path) -> dict[str, dict[str, object]]:
    return {d["appid"]: d for d in (json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json")))}


def test_every_shared_app_loads_and_a_second_load_changes_nothing(shared_apps: Path) -> None:
    definitions = _definitions(shared_apps)
    out, err, failed = load_apps_command(shared_apps)
    assert not failed, err
    assert out.splitlines()[-1] == f"{len(definitions)} apps: {len(definitions)} created, 0 updated, 0 unchanged, 0 failed"
    stored = {a.appid: a for a in App.objects.filter(appid__in=definitions)}
    assert len(stored) == len(definitions)
    for appid, definition in definitions.items():
        assert stored[appid].definition == definition
    assert AppAction.objects.filter(app__appid__in=definitions).count() == sum(
        len(d["actions"]) for d in definitions.values())  # type: ignore[arg-type]
    out, _, _ = load_apps_command(shared_apps)
    assert out.splitlines()[-1].endswith(f"0 created, 0 updated, {len(definitions)} unchanged, 0 failed")


def test_the_catalogue_api_lists_every_shared_app_and_action(api: APIClient, catalogue_of_shared_apps: Path) -> None:
    definitions = _definitions(catalogue_of_shared_apps)
    timings = []
    for headers in ({}, {}, {"HTTP_ACCEPT_ENCODING": "gzip"}, {"HTTP_ACCEPT_ENCODING": "gzip"}):
        started = time.perf_counter()
        response = api.get("/api/apps", **headers)
        timings.append(f"{(time.perf_counter() - started) * 1000:.0f} ms {len(response.content) // 1024} KiB")
    print("GET /api/apps cold, warm, gzip cold, gzip warm: " + "; ".join(timings))
    response = api.get("/api/apps")
    assert response.status_code == 200
    listed = {a["appid"]: a for a in response.json()}
    found = [appid for appid in definitions if appid in listed]
    print(f"catalogue apps {len(found)}/{len(definitions)}")
    actions = sum(len(listed[appid]["actions"]) for appid in found)
    print(f"catalogue actions {actions}")
    assert len(found) == len(definitions)
    for appid, definition in definitions.items():
        api_actions = {a["name"]: a for a in listed[appid]["actions"]}
        assert set(api_actions) == {a["action"] for a in definition["actions"]}  # type: ignore[attr-defined]
        for action in definition["actions"]:  # type: ignore[attr-defined]
            declared = set(action.get("parameters") or {})
            assert {p["name"] for p in api_actions[action["action"]]["parameters"]} == declared
            assert len(api_actions[action["action"]]["outputs"]) == len(action.get("output") or [])
