"""The engine runs the module a version stored when it was saved (compile on save) and
writes no editor table; a version stored by an older compiler is compiled again, in
memory, before it runs."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from editor.compiler import COMPILER_VERSION
from editor.models import Playbook, PlaybookVersion
from engine.execution import runs
from engine.models import Container, PlaybookRun, RunData
from tests.editor.fixtures import GRAPH


def module(which: str) -> str:
    """What the compiler is made to emit: a module that says which one ran."""
    return ("import phantom.rules as phantom\n\n"
            f"def on_start(container):\n    phantom.save_run_data(key='which', value='{which}')\n\n"
            "def on_finish(container, summary):\n    pass\n")


def emits(monkeypatch: pytest.MonkeyPatch, which: str) -> None:
    monkeypatch.setattr("editor.compiler.render_module", lambda playbook, lookup=None: module(which))


def which(run: PlaybookRun) -> str:
    assert run.status == "success", run.message
    return str(RunData.objects.get(run=run, key="which").value)


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch, transactional_db: Any) -> Playbook:
    """A graph playbook saved while the compiler emitted the 'stored' module, after which
    the compiler emits the 'recompiled' one."""
    emits(monkeypatch, "stored")
    playbook = Playbook(name="graph")
    playbook.save_version(json.dumps(GRAPH))
    emits(monkeypatch, "recompiled")
    return playbook


def stored_row(playbook: Playbook) -> tuple[str, int, str]:
    version = PlaybookVersion.objects.get(playbook=playbook)
    return version.compiled, version.compiler_version, version.compile_error


def test_a_run_uses_the_stored_module_while_the_compiler_version_matches(
        saved: Playbook, container: Container, run_to_end: Callable[..., PlaybookRun]) -> None:
    assert which(run_to_end(saved, container)) == "stored"


def test_a_version_stored_by_an_older_compiler_is_recompiled_without_writing_the_version(
        saved: Playbook, container: Container, run_to_end: Callable[..., PlaybookRun],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs, "COMPILER_VERSION", COMPILER_VERSION + 1)  # the compiler moved on
    assert which(run_to_end(saved, container)) == "recompiled"
    assert stored_row(saved) == (module("stored"), COMPILER_VERSION, "")


def test_a_module_from_a_newer_compiler_runs_as_stored(
        saved: Playbook, container: Container, run_to_end: Callable[..., PlaybookRun]) -> None:
    # A worker not yet upgraded cannot do better than the newer compiler did.
    PlaybookVersion.objects.filter(playbook=saved).update(compiler_version=COMPILER_VERSION + 1)
    assert which(run_to_end(saved, container)) == "stored"
