"""Golden files: compiled Python for the fixture playbooks; a change in output shows up
as a reviewable diff.  Regenerate with UPDATE_GOLDEN=1."""

from __future__ import annotations

import ast
import json
import os

import pytest
from pbkit import FIXTURES, GOLDEN

from editor.compiler import compile_playbook

CASES = sorted(p.stem for p in FIXTURES.glob("*.json"))


@pytest.mark.parametrize("name", CASES)
def test_it_compiles_each_fixture_to_its_golden_module(name: str) -> None:
    source = compile_playbook(json.loads((FIXTURES / f"{name}.json").read_text())).source
    ast.parse(source)
    golden = GOLDEN / f"{name}.py.txt"  # .txt: formatters and linters must not touch it
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(source)
    assert golden.exists(), f"no golden file; run with UPDATE_GOLDEN=1 to create {golden}"
    assert source == golden.read_text()


def test_there_are_golden_files_for_a_handful_of_fixtures() -> None:
    assert len(CASES) >= 5
    assert {p.name.removesuffix(".py.txt") for p in GOLDEN.glob("*.py.txt")} == set(CASES)
