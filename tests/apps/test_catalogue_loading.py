"""Apps load from a JSON file, a folder of them, or an installable tarball."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from engine.apps.catalogue import AppDefinitionError, load_app, load_app_bytes, load_apps, parse_app
from tests.apps.factories import minimal_app


def write_tarball(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return path


def test_it_builds_dataclasses_from_an_app_json_file(tmp_path: Path) -> None:
    path = tmp_path / "example.json"
    path.write_text(json.dumps(minimal_app()))
    app = load_app(path)
    assert (app.name, app.version, app.product_vendor, app.logo) == (
        "Example", "1.2.3", "Vendor", "logo.svg")
    assert app.configuration["api_key"].is_secret
    assert app.configuration["server"].default == "https://x"
    block = app.action("block_ip")
    assert block is not None and block is app.action("block ip")
    assert [p.name for p in block.parameters] == ["ip", "direction"]
    assert block.param("direction") is not None
    assert block.param("direction").value_list == ("in", "out")  # type: ignore[union-attr]
    assert block.outputs[0].example_values == (True,)
    assert block.is_write
    assert app.source == str(path)


def test_it_loads_every_app_json_in_a_folder_and_skips_other_json(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(minimal_app(name="A")))
    (tmp_path / "b.json").write_text(json.dumps(
        minimal_app(appid="21111111-2222-4333-8444-555555555555", name="B")))
    (tmp_path / "release_notes.json").write_text(json.dumps({"notes": []}))
    (tmp_path / "README.md").write_text("not an app")
    assert [a.name for a in load_apps(tmp_path)] == ["A", "B"]


def test_it_finds_the_app_json_inside_an_installable_tarball(tmp_path: Path) -> None:
    tarball = write_tarball(tmp_path / "example.tgz", {
        "example/example.json": json.dumps(minimal_app()).encode(),
        "example/example_connector.py": b"print('hi')\n",
        "example/tests/fixtures/example.json": json.dumps(minimal_app(name="Fixture")).encode(),
        "example/wheels/data.json": b"{not json",
    })
    app = load_app(tarball)
    assert app.name == "Example"
    assert app.source.endswith("example.tgz!example/example.json")
    assert [a.name for a in load_apps(tmp_path)] == ["Example"]


def test_it_loads_an_unpacked_app_folder(tmp_path: Path) -> None:
    (tmp_path / "example.json").write_text(json.dumps(minimal_app()))
    (tmp_path / "example_connector.py").write_text("pass\n")
    assert load_app(tmp_path).name == "Example"


def test_it_refuses_a_tarball_without_an_app_definition(tmp_path: Path) -> None:
    tarball = write_tarball(tmp_path / "empty.tgz", {"x/readme.txt": b"nothing"})
    with pytest.raises(AppDefinitionError, match="no JSON file with 'appid'"):
        load_app(tarball)


def test_it_refuses_a_tarball_with_two_app_definitions_side_by_side(tmp_path: Path) -> None:
    tarball = write_tarball(tmp_path / "two.tgz", {
        "x/a.json": json.dumps(minimal_app()).encode(),
        "x/b.json": json.dumps(minimal_app(name="B")).encode(),
    })
    with pytest.raises(AppDefinitionError, match="more than one app definition"):
        load_app(tarball)


def test_it_accepts_a_numeric_version_and_missing_optional_keys() -> None:
    data = minimal_app()
    data["app_version"] = 2
    del data["logo"], data["configuration"], data["description"]
    data["actions"][1].pop("read_only")
    app = parse_app(data)
    assert app.version == "2" and app.logo is None and dict(app.configuration) == {}
    # A contain action without read_only is assumed to change things.
    assert app.actions[1].read_only is False


def test_it_parses_an_uploaded_tarball_or_json_from_bytes(tmp_path: Path) -> None:
    tarball = write_tarball(tmp_path / "example.tgz", {
        "example/example.json": json.dumps(minimal_app()).encode()})
    assert load_app_bytes(tarball.read_bytes(), "upload.tgz").name == "Example"
    assert load_app_bytes(json.dumps(minimal_app()).encode(), "example.json").name == "Example"
    with pytest.raises(AppDefinitionError, match=r"^upload\.tgz: \$: not a readable tarball"):
        load_app_bytes(b"not gzip", "upload.tgz")
