"""``manage.py convert_classic PATH... [-o DIR] [--report FILE.json]``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from classickit import APPS, CLASSIC, action, end, link, playbook, start
from django.core.management import call_command
from django.core.management.base import CommandError

from editor import soarfile
from editor.graph import validate

pytestmark = pytest.mark.django_db

CLASSIC_DOC = playbook(start(), action("geolocate_ip_1", 1), end(), link("id-start", "geolocate_ip_1"))


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("convert_classic", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_converts_a_folder_writes_modern_files_and_a_report(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "geo.json").write_text(json.dumps(CLASSIC_DOC), encoding="utf-8")
    out = run(str(src), "-o", str(tmp_path / "out"), "--report", str(tmp_path / "report.json"))
    assert "[1/1]" in out and "geo: 3 blocks" in out
    doc = soarfile.read_playbook(tmp_path / "out" / "geo.json")
    assert not [e for e in validate(doc) if e.severity == "error"]
    assert "def geolocate_ip_1(" in (tmp_path / "out" / "geo.py").read_text(encoding="utf-8")
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["failed"] == 0
    assert report["playbooks"][0]["playbook"] == "geo" and report["playbooks"][0]["blocks"]


def test_it_reports_and_skips_bad_input_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "good.json").write_text(json.dumps(CLASSIC_DOC), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "modern.json").write_text(json.dumps({"coa": {"data": {"nodes": {}, "edges": []}}}), encoding="utf-8")
    (tmp_path / "odd.json").write_text(json.dumps({"coa": {"data": {"joint": {"cells": "nope"}}}}), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 file"):
        call_command("convert_classic", str(tmp_path), str(tmp_path / "missing.json"), stdout=out,
                     stderr=io.StringIO())
    text = out.getvalue()
    assert "Traceback" not in text
    assert "failed    " in text and "broken.json: invalid JSON" in text
    assert "skipped" in text and "not a classic playbook (modern)" in text
    assert "missing.json: no such file" in text
    assert "good:" in text and "odd:" in text  # a classic file without blocks still converts
    assert "nothing written: use -o DIR" in text


@pytest.mark.corpus
def test_it_converts_the_whole_classic_corpus(tmp_path: Path) -> None:
    if not CLASSIC.is_dir():
        pytest.skip("shared classic corpus not available at ../shared")
    out = run(str(CLASSIC), "--apps", str(APPS), "--report", str(tmp_path / "r.json"))
    assert "98 of 98 file(s) converted" in out
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["summary"]["failed"] == 0
