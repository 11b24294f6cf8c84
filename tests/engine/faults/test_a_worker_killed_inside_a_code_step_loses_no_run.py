"""A worker killed (SIGKILL) inside a code step (on_start, or an action's callback): the
next worker runs the step again from the journal, an action already journaled is not
executed again, every run succeeds and its events stay gap-free."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.execution.worker import drain
from engine.models import ActionRun, RunStep
from tests.engine.faults import ledger
from tests.engine.faults.conftest import Workers, start_runs
from tests.engine.faults.harness import assert_gap_free_events, assert_write_action_at_most_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_start_step_whose_worker_died_runs_again_and_its_run_succeeds(workers: Workers, ledger_path: Path) -> None:
    runs = start_runs(ledger.WRITE, 3)
    workers.wait_killed(workers.start(kill_at="code_step"))
    workers.start()
    ended = workers.wait_ended(runs)
    for run in ended:
        assert not assert_write_action_at_most_once(run, ledger_path)
        assert_gap_free_events(run)


def test_a_callback_whose_worker_died_runs_again_without_executing_its_action_again(
        workers: Workers, ledger_path: Path) -> None:
    [run] = start_runs(ledger.WRITE, 1)
    # This process runs on_start and the action (the connector is registered here too), and
    # stops once the callback is due; the worker that takes the callback dies in it.
    drain(until=lambda: RunStep.objects.filter(run=run, kind="callback", status="pending").exists())
    assert ledger.executions(ledger_path, "block_ip", run.container_id) == 1
    workers.wait_killed(workers.start(kill_at="code_step"))
    workers.start()
    [ended] = workers.wait_ended([run])
    assert not assert_write_action_at_most_once(ended, ledger_path)
    assert RunStep.objects.filter(run=run, kind="callback", status="done").count() == 1
    assert_gap_free_events(ended)


def test_a_worker_that_died_while_the_code_ran_leaves_no_action_run_behind(workers: Workers, ledger_path: Path) -> None:
    # It dies right after the engine served on_start's phantom.act, which created the
    # action run: the next worker takes the run over, removes that orphan and runs on_start
    # again, which creates the action run anew.
    runs = start_runs(ledger.WRITE, 2)
    workers.wait_killed(workers.start(kill_at="code_call"))
    workers.start()
    ended = workers.wait_ended(runs)
    for run in ended:
        assert not assert_write_action_at_most_once(run, ledger_path)
        assert ActionRun.objects.filter(playbook_run=run).count() == 1
        assert_gap_free_events(run)
