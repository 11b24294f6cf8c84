"""Compile on save: a playbook version stores the module it runs, with the compiler
version that made it, whatever route stores it (they all go through Playbook.save_version);
a version that does not compile is stored all the same, with why it cannot run."""
from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from editor.compiler import COMPILER_VERSION, compile_playbook
from editor.models import Playbook, PlaybookVersion
from tests.editor.fixtures import GRAPH, _node

pytestmark = pytest.mark.django_db


def with_broken_code_block() -> dict[str, Any]:
    doc = copy.deepcopy(GRAPH)
    block = _node("3", "code", "broken_code", 300, functionId=2, inputParameters=[], outputVariables=[])
    block["userCode"] = "\n    x = (\n"
    doc["coa"]["data"]["nodes"]["3"] = block
    doc["coa"]["data"]["edges"].append({"id": "port_2_to_port_3", "sourceNode": "2", "sourcePort": "2_out",
                                        "targetNode": "3", "targetPort": "3_in"})
    return doc


def current(pid: int) -> PlaybookVersion:
    version = Playbook.objects.get(pk=pid).current()
    assert version is not None
    return version


def test_a_saved_graph_version_carries_its_compiled_module_and_the_compiler_version() -> None:
    version = Playbook(name="hello").save_version(json.dumps(GRAPH))
    version.refresh_from_db()
    assert version.compiled == compile_playbook(GRAPH).source
    assert (version.compiler_version, version.compile_error) == (COMPILER_VERSION, "")


def test_a_saved_hand_written_module_is_the_module_it_runs() -> None:
    source = "def on_start(container):\n    pass\n"
    empty = {"coa": {"data": {"nodes": {}, "edges": []}, "playbook_type": "automation"}}
    version = Playbook(name="by_hand").save_version(json.dumps(empty), python=source)
    version.refresh_from_db()
    assert (version.compiled, version.compiler_version, version.compile_error) == (source, COMPILER_VERSION, "")


def test_a_draft_that_does_not_compile_is_stored_with_its_error_naming_the_block() -> None:
    version = Playbook(name="broken").save_version(json.dumps(with_broken_code_block()))
    version.refresh_from_db()
    assert version.compiled == ""
    assert version.compiler_version == COMPILER_VERSION
    assert version.compile_error.startswith("does not compile: cannot compile playbook: block 3: invalid Python")


def test_a_hand_written_module_that_does_not_parse_is_stored_with_the_line() -> None:
    empty = {"coa": {"data": {"nodes": {}, "edges": []}, "playbook_type": "automation"}}
    version = Playbook(name="bad").save_version(json.dumps(empty), python="def on_start(container:\n    pass\n")
    version.refresh_from_db()
    assert version.compiled == ""
    assert version.compile_error.startswith("does not parse: <playbook bad> line 1: ")


def test_the_editor_save_stores_the_module_and_keeps_a_draft_with_errors(api: APIClient) -> None:
    created = api.post("/api/playbooks", {"name": "edited", "json": GRAPH}, format="json")
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert current(pid).compiled == compile_playbook(GRAPH).source
    saved = api.put(f"/api/playbooks/{pid}", {"json": with_broken_code_block(), "base_version": 1}, format="json")
    assert saved.status_code == 200, saved.content
    version = current(pid)
    assert version.number == 2
    assert (version.compiled, version.compiler_version) == ("", COMPILER_VERSION)
    assert "block 3" in version.compile_error


def test_a_restored_version_is_compiled_again_when_stored(api: APIClient) -> None:
    playbook = Playbook(name="restored")
    playbook.save_version(json.dumps(with_broken_code_block()))
    playbook.save_version(json.dumps(GRAPH))
    PlaybookVersion.objects.filter(playbook=playbook, number=2).update(compiled="", compiler_version=0)
    restored = api.post(f"/api/playbooks/{playbook.pk}/versions/2/restore", {}, format="json")
    assert restored.status_code in (200, 201), restored.content
    version = current(playbook.pk)
    assert version.number == 3
    assert (version.compiled, version.compiler_version) == (compile_playbook(GRAPH).source, COMPILER_VERSION)


def test_an_imported_playbook_file_is_stored_with_its_module(api: APIClient) -> None:
    upload = io.BytesIO(json.dumps(GRAPH).encode())
    upload.name = "imported.json"
    response = api.post("/api/playbooks/import", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    version = current(response.json()["results"][0]["playbook_id"])
    assert (version.compiled, version.compiler_version) == (compile_playbook(GRAPH).source, COMPILER_VERSION)


def test_only_save_version_creates_versions() -> None:
    """So no route can store a version without its module: nothing else in the app code
    creates PlaybookVersion rows."""
    root = Path(__file__).resolve().parents[2]
    creators = []
    for path in sorted([*root.glob("editor/**/*.py"), *root.glob("engine/**/*.py"), *root.glob("soar/**/*.py")]):
        if "migrations" in path.parts or "frontend" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"PlaybookVersion(\.objects\.(bulk_)?create|\()|versions\.(bulk_)?create", text):
            creators.append(str(path.relative_to(root)))
    assert creators == ["editor/models/playbooks.py"]
