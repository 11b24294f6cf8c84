"""A draft that does not compile is saved with its error; a run of it is refused with that
stored message, naming the block, and nothing is started."""
from __future__ import annotations

import json

import pytest

from editor.models import Playbook, PlaybookVersion
from engine.execution.runs import RunError, start_run
from engine.models import Container, PlaybookRun
from tests.editor.fixtures import graph_with_broken_code


def broken() -> Playbook:
    doc = graph_with_broken_code()
    playbook = Playbook(name="broken")
    playbook.save_version(json.dumps(doc))
    return playbook


def test_a_run_of_a_version_that_does_not_compile_is_refused_naming_the_block(container: Container) -> None:
    playbook = broken()
    with pytest.raises(RunError, match=r"^broken does not compile: cannot compile playbook: block 3: invalid Python"):
        start_run(playbook, container)
    assert not PlaybookRun.objects.exists()


def test_the_refusal_is_the_stored_message_not_a_new_compile(container: Container) -> None:
    playbook = broken()
    PlaybookVersion.objects.filter(playbook=playbook).update(compile_error="does not compile: block 9: as stored")
    with pytest.raises(RunError, match=r"^broken does not compile: block 9: as stored$"):
        start_run(playbook, container)
