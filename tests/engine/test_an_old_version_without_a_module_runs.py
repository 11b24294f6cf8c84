"""Versions stored before compile on save (no module, compiler version 0; or a module an
older engine wrote there) run: the engine compiles them in memory and leaves the row as
it was."""
from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from editor.models import Playbook, PlaybookVersion
from engine.execution.runs import RunError, start_run
from engine.models import Container, PlaybookRun, RunData
from tests.editor.fixtures import GRAPH, graph_with_broken_code
from tests.engine.conftest import python_playbook

SAY = ("import phantom.rules as phantom\n\ndef on_start(container):\n    phantom.save_run_data(key='said', value='{}')\n\n"
       "def on_finish(container, summary):\n    pass\n")


def as_before_compile_on_save(playbook: Playbook, compiled: str = "") -> None:
    PlaybookVersion.objects.filter(playbook=playbook).update(compiled=compiled, compile_error="", compiler_version=0)


def row(playbook: Playbook) -> tuple[str, int, str]:
    version = PlaybookVersion.objects.get(playbook=playbook)
    return version.compiled, version.compiler_version, version.compile_error


def test_an_old_graph_version_without_a_module_runs_and_stays_as_it_was(
        container: Container, run_to_end: Callable[..., PlaybookRun]) -> None:
    playbook = Playbook(name="old_graph")
    playbook.save_version(json.dumps(GRAPH))
    as_before_compile_on_save(playbook)
    run = run_to_end(playbook, container)
    assert run.status == "success", run.message
    assert row(playbook) == ("", 0, "")


def test_an_old_hand_written_version_runs_its_module(container: Container,
                                                     run_to_end: Callable[..., PlaybookRun]) -> None:
    playbook = python_playbook("old_module", SAY.format("hello"))
    as_before_compile_on_save(playbook)
    run = run_to_end(playbook, container)
    assert run.status == "success", run.message
    assert RunData.objects.get(run=run, key="said").value == "hello"


def test_a_module_an_older_engine_stored_is_not_what_runs(container: Container,
                                                          run_to_end: Callable[..., PlaybookRun]) -> None:
    playbook = python_playbook("stale", SAY.format("current"))
    as_before_compile_on_save(playbook, compiled=SAY.format("stale"))
    run = run_to_end(playbook, container)
    assert RunData.objects.get(run=run, key="said").value == "current"


def test_an_old_version_that_does_not_compile_is_refused_naming_the_block(container: Container) -> None:
    doc = graph_with_broken_code()
    playbook = Playbook(name="old_broken")
    playbook.save_version(json.dumps(doc))
    as_before_compile_on_save(playbook)
    with pytest.raises(RunError, match="old_broken does not compile: .*block 3: invalid Python"):
        start_run(playbook, container)
    assert not PlaybookRun.objects.exists()
