"""Importing a classic file converts it: the modern result is stored as a new playbook
version and the conversion report comes back with the outcome (files and the API)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from classickit import action, end, link, playbook, start
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from editor import soarfile
from editor.files import export_json, import_bytes, import_paths
from editor.graph import validate
from editor.models import Playbook
from tests.conftest import token_client

pytestmark = pytest.mark.django_db

CLASSIC = playbook(start(), action("geolocate_ip_1", 1, act="geolocate ip", assets=("maxmind", "maxmind_2")), end(),
                   link("id-start", "geolocate_ip_1"), link("geolocate_ip_1", "id-end"))


def _bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc).encode()


def test_it_converts_a_classic_file_on_import_and_returns_the_report() -> None:
    [outcome] = import_bytes("geo.json", _bytes(CLASSIC))
    assert outcome.status == "created" and outcome.kind == "classic playbook"
    assert outcome.report is not None and outcome.report["playbook"] == "geo"
    assert {b["name"] for b in outcome.report["blocks"]} == {"on_start", "geolocate_ip_1", "on_finish"}
    stored = json.loads(export_json(Playbook.objects.get(name="geo")))
    assert "nodes" in stored["coa"]["data"] and "joint" not in stored["coa"]["data"]
    assert not [e for e in validate(stored) if e.severity == "error"]
    version = Playbook.objects.get(name="geo").current()
    assert version is not None and version.python == ""  # exports and runs use the compiled modern module
    assert version.message.startswith("converted from classic geo.json")


def test_it_imports_the_same_classic_file_twice_without_a_new_version() -> None:
    import_bytes("geo.json", _bytes(CLASSIC))
    [again] = import_bytes("geo.json", _bytes(CLASSIC))
    assert again.status == "unchanged" and again.report is not None


def test_it_reads_the_custom_code_of_a_classic_file_from_the_py_beside_it(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(CLASSIC))
    cell = doc["coa"]["data"]["joint"]["cells"][1]
    cell.update(has_custom_block=True, custom_code=cell["block_code"])
    (tmp_path / "geo.json").write_text(json.dumps(doc), encoding="utf-8")
    edited = cell["block_code"].replace("phantom.debug('geolocate_ip_1() called')", "phantom.debug('edited in the .py')")
    (tmp_path / "geo.py").write_text(f"import phantom.rules as phantom\n\n{edited}\n", encoding="utf-8")
    [outcome] = import_paths([str(tmp_path)])
    stored = soarfile.load_playbook(export_json(Playbook.objects.get(name="geo")))
    node = next(n for n in stored.nodes.values() if n.function_name == "geolocate_ip_1")
    assert node.custom_code is not None and "edited in the .py" in node.custom_code
    assert outcome.report is not None
    assert any(".py" in c for b in outcome.report["blocks"] for c in b["changes"])


def test_it_keeps_modern_imports_as_they_were() -> None:
    modern = json.loads(json.dumps(CLASSIC))
    [classic] = import_bytes("geo.json", _bytes(modern))
    text = export_json(Playbook.objects.get(name="geo"))
    [outcome] = import_bytes("plain.json", text.encode())
    assert outcome.status == "created" and outcome.kind == "playbook" and outcome.report is None
    assert export_json(Playbook.objects.get(name="plain")) == text
    assert classic.report is not None


def test_the_import_endpoint_returns_the_conversion_report_to_an_editor(editor: User) -> None:
    client = token_client(editor)
    upload = SimpleUploadedFile("geo.json", _bytes(CLASSIC), content_type="application/json")
    response = client.post("/api/playbooks/import", {"file": upload}, format="multipart")
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["status"] == "created" and result["playbook_id"] == Playbook.objects.get(name="geo").pk
    report = result["report"]
    assert report["status"] == "converted-with-changes"
    block = next(b for b in report["blocks"] if b["name"] == "geolocate_ip_1")
    assert block["status"] == "converted-with-changes" and "2 assets" in block["changes"][0]


def test_the_import_endpoint_keeps_answering_modern_files_without_a_report(editor: User) -> None:
    import_bytes("geo.json", _bytes(CLASSIC))
    text = export_json(Playbook.objects.get(name="geo"))
    upload = SimpleUploadedFile("again.json", text.encode(), content_type="application/json")
    result = token_client(editor).post("/api/playbooks/import", {"file": upload}, format="multipart").json()["results"][0]
    assert result["status"] == "created" and result["report"] is None


def test_an_analyst_may_not_import_a_classic_playbook(analyst: User) -> None:
    upload = SimpleUploadedFile("geo.json", _bytes(CLASSIC), content_type="application/json")
    response = token_client(analyst).post("/api/playbooks/import", {"file": upload}, format="multipart")
    assert response.status_code == 403
    assert not Playbook.objects.exists()


def test_the_playbook_list_page_shows_the_report_after_a_classic_import(editor: User) -> None:
    from tests.conftest import PASSWORD

    client = Client()
    assert client.login(username=editor.username, password=PASSWORD)
    page = client.get("/playbooks/").content.decode()
    assert 'data-testid="conversion-report"' in page
    assert "showReports(res.results)" in page and "/edit" in page
