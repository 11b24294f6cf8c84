"""Import then export gives back the same JSON, for every corpus file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.soarfile import dump_custom_function, dump_playbook, load_custom_function, load_playbook

pytestmark = pytest.mark.corpus


def test_it_round_trips_every_modern_playbook_losslessly(corpus: Path) -> None:
    files = sorted((corpus / "modern").glob("*.json"))
    same = 0
    for path in files:
        original = json.loads(path.read_text())
        exported = dump_playbook(load_playbook(path.read_bytes(), str(path)))
        same += json.loads(exported) == original
    print(f"roundtrip modern {same}/{len(files)}")
    assert same == len(files) and files


def test_it_round_trips_every_custom_function_losslessly(corpus: Path) -> None:
    files = sorted((corpus / "custom_functions").glob("*.json"))
    same = 0
    for path in files:
        original = json.loads(path.read_text())
        exported = dump_custom_function(load_custom_function(path.read_bytes(), str(path)))
        same += json.loads(exported) == original
    print(f"roundtrip custom_functions {same}/{len(files)}")
    assert same == len(files) and files


def test_it_exports_with_sorted_keys_and_four_space_indent_like_soar(corpus: Path) -> None:
    path = corpus / "modern" / "AD_LDAP_Account_Locking.json"
    exported = dump_playbook(load_playbook(path.read_bytes()))
    assert exported == path.read_text().rstrip("\n") or exported == json.dumps(
        json.loads(path.read_text()), sort_keys=True, indent=4
    )
    assert exported.startswith('{\n    "blockly": false,')
    assert not exported.endswith("\n")
