"""A worker killed (SIGKILL) inside a connector action, after it claimed the action: once
its lease expires another worker finishes every run; a write action is never executed
twice (recorded as "interrupted: not retried", its callback called with success=False), a
read-only one is executed again and its run succeeds; events stay gap-free."""
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

# Code steps go to one clean worker throughout; only the worker that takes the connector
# actions carries the fault, so it dies inside an action, not elsewhere.
CODE_QUEUES = ("default", "callbacks")


def test_a_write_action_whose_worker_died_in_the_connector_is_not_executed_again(
        workers: Workers, ledger_path: Path) -> None:
    runs = start_runs(ledger.WRITE, 3)
    workers.start(queues=CODE_QUEUES)
    workers.wait_killed(workers.start(kill_at="connector_call", queues=("actions",)))
    workers.start()
    ended = workers.wait_ended(runs)
    interrupted = [run for run in ended if assert_write_action_at_most_once(run, ledger_path)]
    assert len(interrupted) == 1, "exactly the action the worker died in is interrupted"
    # It died after the claim and before the connector: the action never reached the app.
    assert ledger.executions(ledger_path, "block_ip", interrupted[0].container_id) == 0
    for run in ended:
        assert_gap_free_events(run)


def test_a_read_only_action_whose_worker_died_in_the_connector_is_executed_again_and_its_run_succeeds(
        workers: Workers, ledger_path: Path) -> None:
    runs = start_runs(ledger.READ, 3)
    workers.start(queues=CODE_QUEUES)
    workers.wait_killed(workers.start(kill_at="connector_call", queues=("actions",)))
    workers.start()
    ended = workers.wait_ended(runs)
    for run in ended:
        assert_read_action_at_least_once(run, ledger_path)
        assert_gap_free_events(run)
