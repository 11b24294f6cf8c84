"""One worker advances a run at a time (its lease is a compare-and-set on the run row),
and a wake-up that arrives while the holder is letting go is not lost (release is a
compare-and-set on wake_seq: the holder looks again)."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from engine.apps.catalogue import parse_app
from engine.catalogue import sync_app
from engine.execution import actions, advance, lease
from engine.execution.batch import Batch
from engine.execution.runs import start_run
from engine.models import Asset, Container, RunStep
from tests.engine.conftest import python_playbook
from tests.engine.faults import ledger

pytestmark = pytest.mark.django_db(transaction=True)

QUIET = """
import phantom.rules as phantom

def on_start(container):
    phantom.debug("started")

def on_finish(container, summary):
    pass
"""

ACTING = """
import json
import phantom.rules as phantom

def on_start(container):
    phantom.act("block ip", parameters=[{"target": "x"}], assets=["ledger"], callback=acted, name="act_1")

def acted(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    phantom.save_run_data(key="success", value=json.dumps(success))

def on_finish(container, summary):
    pass
"""


def in_thread(fn: Callable[[], Any], into: dict[str, Any], key: str) -> threading.Thread:
    def target() -> None:
        try:
            into[key] = fn()
        except BaseException as exc:  # reported by the test, not lost in the thread
            into[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=target, name=key)
    thread.start()
    return thread


@pytest.fixture
def ledger_asset(tmp_path: Path, transactional_db: Any) -> Iterator[Path]:
    app, _ = sync_app(parse_app(ledger.APP_JSON))
    Asset.objects.create(name="ledger", app=app, configuration={"ledger": str(tmp_path / "ledger.txt")})
    undo = ledger.install()
    try:
        yield tmp_path / "ledger.txt"
    finally:
        undo()


def test_a_second_worker_is_told_busy_while_the_first_advances_the_run(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    run = start_run(python_playbook("quiet", QUIET), container)
    entered, go = threading.Event(), threading.Event()
    real_execute = advance.execute

    def held(step: RunStep, work: Batch) -> list[RunStep]:
        entered.set()
        go.wait(60)
        return real_execute(step, work)

    monkeypatch.setattr(advance, "execute", held)
    results: dict[str, Any] = {}
    first = in_thread(lambda: advance.advance(run.pk, "worker-a"), results, "a")
    assert entered.wait(60), results
    second = in_thread(lambda: advance.advance(run.pk, "worker-b"), results, "b")
    second.join(60)
    go.set()
    first.join(60)
    assert results["b"] == "busy"
    assert isinstance(results["a"], str) and results["a"].startswith("advanced"), results["a"]
    run.refresh_from_db()
    assert run.status == "success" and run.lease_owner == ""
    assert set(RunStep.objects.filter(run=run).values_list("worker", flat=True)) == {"worker-a"}


def test_a_wake_up_while_the_holder_lets_go_is_not_lost(
        container: Container, ledger_asset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = start_run(python_playbook("acting", ACTING), container, simulate_writes=False)
    real_release = lease.release
    woke: dict[str, Any] = {}

    def release_after_a_completion(held: lease.Lease, wake_seq: int) -> bool:
        # The holder has found nothing ready and read wake_seq; before its release, the
        # connector action completes in another worker, creating the callback and waking
        # the run (which that worker finds busy).
        if not woke:
            step = RunStep.objects.get(run=run, kind="action")
            in_thread(lambda: actions.run_action_task(step.pk, "worker-c"), woke, "action").join(60)
            in_thread(lambda: advance.advance(run.pk, "worker-b"), woke, "advance").join(60)
        return real_release(held, wake_seq)

    monkeypatch.setattr(lease, "release", release_after_a_completion)
    outcome = advance.advance(run.pk, "worker-a")
    assert woke == {"action": "done", "advance": "busy"}, woke
    assert outcome.startswith("advanced"), outcome
    run.refresh_from_db()
    assert run.status == "success", run.message
    callback = RunStep.objects.get(run=run, kind="callback")
    assert callback.status == "done" and callback.worker == "worker-a"
    assert ledger.executions(ledger_asset, "block_ip", "x") == 1
