"""`manage.py load_apps`: one line per app, bad files reported and skipped, exit status."""
from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.models import App
from tests.catalogue.helpers import load_apps_command

pytestmark = pytest.mark.django_db

WriteJson = Callable[[str, Any], Path]


def _tgz(path: Path, members: dict[str, Any]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            payload = json.dumps(data).encode()
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return path


def test_it_prints_one_line_per_app_and_a_summary(write_json: WriteJson, sample_app: dict[str, Any]) -> None:
    path = write_json("sample.json", sample_app)
    out, err, failed = load_apps_command(path)
    assert not failed and not err
    assert out.splitlines() == ["created Sample Intel 1.0.0 (3 actions)",
                                "1 app: 1 created, 0 updated, 0 unchanged, 0 failed"]
    out, _, _ = load_apps_command(path)
    assert out.splitlines()[0] == "unchanged Sample Intel 1.0.0 (3 actions)"


def test_a_folder_loads_every_app_and_skips_json_that_is_not_an_app(
        write_json: WriteJson, sample_app: dict[str, Any], tmp_path: Path) -> None:
    other = dict(sample_app, appid="5a3b2c1d-0000-4000-8000-000000000002", name="Other Intel")
    write_json("apps/a.json", sample_app)
    write_json("apps/b.json", other)
    write_json("apps/release_notes.json", {"notes": ["fixed things"]})
    write_json("apps/readme.txt", "not an app")
    out, _, failed = load_apps_command(tmp_path / "apps")
    assert not failed
    assert out.splitlines()[-1] == "2 apps: 2 created, 0 updated, 0 unchanged, 0 failed"
    assert set(App.objects.filter(builtin=False).values_list("name", flat=True)) == {"Sample Intel", "Other Intel"}


def test_bad_files_are_reported_with_their_key_path_and_skipped(
        write_json: WriteJson, sample_app: dict[str, Any], tmp_path: Path) -> None:
    write_json("apps/good.json", sample_app)
    broken = json.loads(json.dumps(sample_app))
    broken["appid"] = "5a3b2c1d-0000-4000-8000-000000000003"
    broken["actions"][1]["parameters"]["ip"]["contains"] = "ip"  # must be a list
    write_json("apps/bad_key.json", broken)
    write_json("apps/truncated.json", '{"appid": "x", "actions": [')

    out, err, failed = load_apps_command(tmp_path / "apps", tmp_path / "missing.json")

    assert failed
    assert "bad_key.json: actions[1].parameters.ip.contains: expected a list" in err
    assert "truncated.json: $: not valid JSON" in err
    assert "missing.json: no such file or folder" in err
    assert "created Sample Intel 1.0.0 (3 actions)" in out
    assert out.splitlines()[-1] == "4 apps: 1 created, 0 updated, 0 unchanged, 3 failed"
    assert list(App.objects.filter(builtin=False).values_list("name", flat=True)) == ["Sample Intel"]


def test_an_app_with_a_bad_action_is_not_half_imported(write_json: WriteJson, sample_app: dict[str, Any]) -> None:
    sample_app["actions"].append(dict(sample_app["actions"][1]))  # a second "lookup ip"
    _, err, failed = load_apps_command(write_json("dup.json", sample_app))
    assert failed and "duplicate" in err
    assert not App.objects.filter(appid=sample_app["appid"]).exists()


def test_an_update_that_fails_leaves_the_previous_version_whole(
        write_json: WriteJson, sample_app: dict[str, Any]) -> None:
    load_apps_command(write_json("v1.json", sample_app))
    newer = json.loads(json.dumps(sample_app))
    newer["app_version"] = "2.0.0"
    newer["actions"][2]["type"] = "t" * 65  # does not fit the column: refused before any write
    _, _, failed = load_apps_command(write_json("v2.json", newer))
    app = App.objects.get(appid=sample_app["appid"])
    assert failed and app.version == "1.0.0" and app.actions.count() == 3


def test_an_app_tarball_is_loaded_from_its_manifest(sample_app: dict[str, Any], tmp_path: Path) -> None:
    tgz = _tgz(tmp_path / "sample.tgz", {"sampleintel/sampleintel.json": sample_app,
                                         "sampleintel/tests/fixture.json": {"appid": "y", "actions": []}})
    out, _, failed = load_apps_command(tgz)
    assert not failed and out.startswith("created Sample Intel 1.0.0 (3 actions)")


def test_loading_a_builtin_app_definition_is_refused() -> None:
    _, err, failed = load_apps_command(Path(__file__).resolve().parents[2] / "engine/apps/http/app.json")
    assert failed and "is the built-in app 'HTTP'" in err
