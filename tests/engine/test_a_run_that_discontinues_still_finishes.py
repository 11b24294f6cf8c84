"""phantom.discontinue() stops a run's further callbacks, and the run still ends with
on_finish, also when what the step started elsewhere (a child playbook) makes the run's
holder write its batch at once (engine.execution.batch: the run's outstanding steps are
cancelled before the batch's own on_finish is written, not after)."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from engine.models import Container, PlaybookRun, RunStep
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_run_that_starts_a_child_and_discontinues_ends_with_on_finish(
        run_to_end: Callable[..., PlaybookRun], container: Container) -> None:
    python_playbook("quiet_child", """
        import phantom.rules as phantom

        def on_start(container):
            phantom.debug("child ran")

        def on_finish(container, summary):
            pass
    """)
    parent = python_playbook("stops_early", """
        import phantom.rules as phantom

        def on_start(container):
            phantom.playbook("quiet_child", container=container)
            phantom.discontinue()

        def on_finish(container, summary):
            phantom.debug("finished")
    """)
    run = run_to_end(parent, container)
    assert run.status == "success", run.message
    assert RunStep.objects.get(run=run, kind="finish").status == "done"
