"""A worker killed (SIGKILL) after a step's work and before its journal entry: the next
worker runs a code step again (nothing of it was journaled), records a write action that
had already reached its app as "interrupted: not retried" (never executed twice, its
callback called with success=False), and executes a read-only action again; every run
finishes and its events stay gap-free."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.faults import ledger
from tests.engine.faults.conftest import Workers, start_runs
from tests.engine.faults.harness import (
    assert_gap_free_events,
    assert_read_action_at_least_once,
    assert_write_action_at_most_once,
)

pytestmark = pytest.mark.django_db(transaction=True)

CODE_QUEUES = ("default", "callbacks")


def test_a_code_step_whose_entry_was_not_journaled_runs_again_and_its_run_succeeds(
        workers: Workers, ledger_path: Path) -> None:
    runs = start_runs(ledger.WRITE, 3)
    # On every queue: the first step it finishes is an on_start, so it dies there.
    workers.wait_killed(workers.start(kill_at="before_commit"))
    workers.start()
    ended = workers.wait_ended(runs)
    for run in ended:
        assert not assert_write_action_at_most_once(run, ledger_path), "no action was running when it died"
        assert_gap_free_events(run)


def test_a_write_action_that_reached_its_app_but_was_not_journaled_is_not_executed_again(
        workers: Workers, ledger_path: Path) -> None:
    runs = start_runs(ledger.WRITE, 3)
    workers.start(queues=CODE_QUEUES)
    workers.wait_killed(workers.start(kill_at="before_commit", queues=("actions",)))
    workers.start()
    ended = workers.wait_ended(runs)
    interrupted = [run for run in ended if assert_write_action_at_most_once(run, ledger_path)]
    assert len(interrupted) == 1, "exactly the action the worker died after is interrupted"
    assert ledger.executions(ledger_path, "block_ip", interrupted[0].container_id) == 1
    for run in ended:
        assert_gap_free_events(run)


def test_a_read_only_action_that_was_not_journaled_is_executed_again_and_its_run_succeeds(
        workers: Workers, ledger_path: Path) -> None:
    runs = start_runs(ledger.READ, 3)
    workers.start(queues=CODE_QUEUES)
    workers.wait_killed(workers.start(kill_at="before_commit", queues=("actions",)))
    workers.start()
    ended = workers.wait_ended(runs)
    counts = [assert_read_action_at_least_once(run, ledger_path) for run in ended]
    assert sorted(counts) == [1, 1, 2], "the action the worker died after ran again, the others once"
    for run in ended:
        assert_gap_free_events(run)
