"""Import and export of SOAR playbook files through the commands and the API."""
from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from editor.files import export_json, export_tgz, import_paths
from editor.models import Playbook
from tests.editor.fixtures import GRAPH

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, name: str, doc: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, indent=4, sort_keys=True), encoding="utf-8")
    return path


def test_importing_a_json_file_stores_it_verbatim_and_exports_the_same_text(tmp_path: Path) -> None:
    path = write(tmp_path, "triage.json", GRAPH)
    [outcome] = import_paths([str(path)])
    assert outcome.status == "created"
    assert export_json(Playbook.objects.get(name="triage")) == path.read_text(encoding="utf-8")


def test_importing_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "triage.json", GRAPH)
    import_paths([str(path)])
    [again] = import_paths([str(path)])
    assert again.status == "unchanged" and Playbook.objects.get(name="triage").latest_version == 1


def test_a_py_beside_the_json_is_kept_as_its_module(tmp_path: Path) -> None:
    path = write(tmp_path, "triage.json", GRAPH)
    path.with_suffix(".py").write_text("import phantom.rules as phantom\n", encoding="utf-8")
    import_paths([str(tmp_path)])
    assert Playbook.objects.get(name="triage").current().python == "import phantom.rules as phantom\n"  # type: ignore[union-attr]


def test_a_bundle_round_trips(tmp_path: Path) -> None:
    write(tmp_path, "triage.json", GRAPH)
    import_paths([str(tmp_path / "triage.json")])
    bundle = export_tgz([Playbook.objects.get(name="triage")])
    with tarfile.open(fileobj=io.BytesIO(bundle)) as tar:
        assert sorted(tar.getnames()) == ["triage.json", "triage.py"]
    Playbook.objects.all().delete()
    (tmp_path / "b.tgz").write_bytes(bundle)
    [outcome] = import_paths([str(tmp_path / "b.tgz")])
    assert outcome.status == "created"
    assert json.loads(export_json(Playbook.objects.get(name="triage"))) == GRAPH


def test_bad_files_are_reported_and_skipped_and_nothing_is_half_imported(tmp_path: Path) -> None:
    write(tmp_path, "good.json", GRAPH)
    (tmp_path / "broken.json").write_text('{"coa": {"data": {"nodes": ', encoding="utf-8")
    write(tmp_path, "other.json", {"hello": "world"})
    bad_graph = json.loads(json.dumps(GRAPH))
    bad_graph["coa"]["data"]["nodes"] = "not an object"
    write(tmp_path, "bad_graph.json", bad_graph)
    outcomes = {o.file.rsplit("/", 1)[-1]: o for o in import_paths([str(tmp_path)])}
    assert outcomes["good.json"].status == "created"
    assert outcomes["broken.json"].status == "failed" and "line 1" in outcomes["broken.json"].message
    assert outcomes["other.json"].status == "failed"
    assert outcomes["bad_graph.json"].status == "failed" and "nodes" in outcomes["bad_graph.json"].message
    assert list(Playbook.objects.values_list("name", flat=True)) == ["good"]


def test_the_import_command_prints_a_line_per_file_and_fails_on_bad_ones(tmp_path: Path) -> None:
    write(tmp_path, "good.json", GRAPH)
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_playbooks", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "created   playbook good" in text and "failed" in text and "2 file(s): 1 created, 1 failed" in text


def test_compile_and_export_commands_write_files(tmp_path: Path) -> None:
    path = write(tmp_path, "triage.json", GRAPH)
    call_command("compile_playbook", str(path), "-o", str(tmp_path / "out.py"), stdout=io.StringIO())
    assert "import phantom.rules as phantom" in (tmp_path / "out.py").read_text()
    import_paths([str(path)])
    for fmt in ("json", "py", "tgz"):
        call_command("export_playbook", "triage", "--format", fmt, "-o", str(tmp_path / f"x.{fmt}"), stdout=io.StringIO())
        assert (tmp_path / f"x.{fmt}").stat().st_size > 0


def test_the_api_saves_versions_and_refuses_a_stale_save_with_the_current_version(api: APIClient, tmp_path: Path) -> None:
    import_paths([str(write(tmp_path, "triage.json", GRAPH))])
    pid = Playbook.objects.get(name="triage").pk
    doc = api.get(f"/api/playbooks/{pid}").json()["json"]
    doc["coa"]["data"]["description"] = "changed"
    first = api.put(f"/api/playbooks/{pid}", {"json": doc, "base_version": 1}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = api.put(f"/api/playbooks/{pid}", {"json": doc, "base_version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert [v["version"] for v in api.get(f"/api/playbooks/{pid}/versions").json()] == [2, 1]
    assert api.post(f"/api/playbooks/{pid}/versions/1/restore").json()["version"] == 3


def test_the_compile_endpoint_returns_python_and_located_errors(api: APIClient, tmp_path: Path) -> None:
    import_paths([str(write(tmp_path, "triage.json", GRAPH))])
    pid = Playbook.objects.get(name="triage").pk
    ok = api.post(f"/api/playbooks/{pid}/compile", {"json": GRAPH}, format="json").json()
    assert "def on_start(container" in ok["source"]
    broken = json.loads(json.dumps(GRAPH))
    broken["coa"]["data"]["edges"].append({"id": "x", "sourceNode": "0", "sourcePort": "0_out", "targetNode": "99",
                                           "targetPort": "99_in"})
    bad = api.post(f"/api/playbooks/{pid}/compile", {"json": broken}, format="json").json()
    assert bad["source"] == "" and any("99" in e["message"] for e in bad["errors"])


def test_activation_is_refused_for_an_invalid_playbook(api: APIClient) -> None:
    created = api.post("/api/playbooks", {"name": "empty"}, format="json").json()
    assert api.post(f"/api/playbooks/{created['id']}/activate").json() == {"active": True}
    doc = created["json"]
    doc["coa"]["data"]["edges"].append({"id": "x", "sourceNode": "0", "sourcePort": "0_out", "targetNode": "7",
                                        "targetPort": "7_in"})
    api.put(f"/api/playbooks/{created['id']}", {"json": doc, "base_version": 1}, format="json")
    response = api.post(f"/api/playbooks/{created['id']}/activate")
    assert response.status_code == 400 and response.json()["errors"]
