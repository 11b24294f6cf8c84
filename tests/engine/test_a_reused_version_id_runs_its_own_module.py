"""A version id that comes back after a rollback (SQLite's id counter is rolled back with
the transaction) runs the new version's module, not the one the engine read for the
rolled-back version."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection, transaction

from engine.execution.runs import cached_source
from engine.models import Container, PlaybookRun, RunData
from tests.engine.conftest import python_playbook

SAY = ("import phantom.rules as phantom\n\ndef on_start(container):\n    phantom.save_run_data(key='said', value='{}')\n\n"
       "def on_finish(container, summary):\n    pass\n")


class Rollback(Exception):
    pass


def test_a_version_id_reused_after_a_rollback_runs_the_new_versions_module(
        container: Container, run_to_end: Callable[..., PlaybookRun]) -> None:
    with pytest.raises(Rollback), transaction.atomic():
        gone = python_playbook("gone", SAY.format("gone"))
        version = gone.current()
        assert version is not None
        gone_id = version.pk
        assert "'gone'" in cached_source(gone_id)
        raise Rollback
    kept = python_playbook("kept", SAY.format("kept"))
    version = kept.current()
    assert version is not None
    if connection.vendor == "sqlite":
        assert version.pk == gone_id  # the trap this guards against
    run = run_to_end(kept, container)
    assert RunData.objects.get(run=run, key="said").value == "kept"
