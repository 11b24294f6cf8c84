"""Starting a run, and a trigger's check for a run still going, read only the runs of that
playbook on that container: never every run the playbook had on other containers.

Counted in SQLite virtual-machine instructions (a progress handler), not timed: the work
must not grow with the playbook's history elsewhere. Before the (container, playbook)
index, 2,000 earlier runs made starting one on a new container cost twenty times the
instructions (and 56 ms per start with 100,000 earlier runs, inside the write transaction).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from editor.models import Playbook
from engine.execution.runs import start_run
from engine.models import Container, PlaybookRun
from engine.triggers import trigger
from tests.engine.conftest import python_playbook

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "sqlite", reason="counts SQLite VM instructions")]

SOURCE = """
import phantom.rules as phantom
def on_start(container):
    return
def on_finish(container, summary):
    return
"""


def _history(playbook: Playbook, runs: int) -> None:
    """`runs` finished runs of the playbook, each on a container of its own."""
    others = Container.objects.bulk_create([Container(name=f"other {i}", label="elsewhere") for i in range(runs)])
    PlaybookRun.objects.bulk_create([PlaybookRun(playbook=playbook, container=c, status="success") for c in others])


def _instructions(work: Callable[[], Any]) -> int:
    counted = [0]

    def tick() -> int:
        counted[0] += 1
        return 0

    connection.ensure_connection()
    driver = connection.connection
    driver.set_progress_handler(tick, 1)
    try:
        work()
    finally:
        driver.set_progress_handler(None, 1)
    return counted[0]


def _costs(history: int) -> tuple[int, int]:
    playbook = python_playbook(f"triage {history}", SOURCE)
    _history(playbook, history)
    Playbook.objects.filter(pk=playbook.pk).update(active=True, labels=["events"])
    fresh = Container.objects.create(name="fresh", label="events")
    started = _instructions(lambda: start_run(playbook, fresh, scope="new"))
    PlaybookRun.objects.filter(container=fresh).update(status="success")
    Playbook.objects.exclude(pk=playbook.pk).update(active=False)
    triggered = _instructions(lambda: trigger(Container.objects.get(pk=fresh.pk)))
    return started, triggered


def test_it_starts_a_run_on_a_new_container_without_reading_the_playbooks_runs_elsewhere() -> None:
    small_start, small_trigger = _costs(10)
    large_start, large_trigger = _costs(2000)
    # A few B-tree levels more at most; the walk it replaced cost instructions per run.
    assert large_start < small_start * 1.5, (small_start, large_start)
    assert large_trigger < small_trigger * 1.5, (small_trigger, large_trigger)
