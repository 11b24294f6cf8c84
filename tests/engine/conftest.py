"""Helpers for engine tests: store a hand-written playbook module and run it to the end."""
from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from typing import Any

import pytest

from editor.models import Playbook
from engine.execution.runs import start_run
from engine.execution.worker import drain
from engine.models import Container, Note, PlaybookRun

EMPTY_GRAPH = {"coa": {"data": {"nodes": {}, "edges": []}, "playbook_type": "automation"}, "labels": ["*"]}


def python_playbook(name: str, source: str, *, playbook_type: str = "automation") -> Playbook:
    """A playbook whose version is a hand-written SOAR-style module."""
    doc = json.loads(json.dumps(EMPTY_GRAPH))
    doc["coa"]["playbook_type"] = playbook_type
    playbook = Playbook(name=name)
    playbook.save_version(json.dumps(doc), python=textwrap.dedent(source))
    return playbook

def run_code(container: Container, run_to_end: Callable[..., PlaybookRun], body: str, *, prelude: str = "") -> Any:
    """Run `body` (the inside of on_start, which sets `out`) in a playbook on `container` and
    return `out` as JSON read back from the note the playbook adds."""
    indented = "\n".join("            " + line for line in body.strip().splitlines())
    pb = python_playbook("probe", f"""
        import json
        import phantom.rules as phantom
        {prelude}

        def on_start(container):
{indented}
            phantom.add_note(container=container, title="out", content=json.dumps(out))

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    return json.loads(Note.objects.get(container=container, title="out").content)



@pytest.fixture
def container(transactional_db: Any) -> Container:
    return Container.objects.create(name="case", label="events")


def ended(run_id: int) -> bool:
    return PlaybookRun.objects.get(pk=run_id).status in ("success", "failed", "cancelled")


@pytest.fixture
def run_to_end(transactional_db: Any) -> Callable[..., PlaybookRun]:
    """Start a run and execute its tasks in this thread until it has ended.

    Engine tests use real transactions: tasks are enqueued by on_commit hooks, exactly as
    in production.
    """

    def run(playbook: Playbook, container: Container, **kwargs: Any) -> PlaybookRun:
        started = start_run(playbook, container, **kwargs)
        drain(until=lambda: ended(started.pk))
        return PlaybookRun.objects.get(pk=started.pk)

    return run
