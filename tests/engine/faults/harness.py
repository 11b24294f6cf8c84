"""What every fault test asserts about the runs once a second worker has finished them."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.models import ActionRun, PlaybookRun, RunData, RunEvent
from tests.engine.faults import ledger

INTERRUPTED = "interrupted: not retried"


def callback_success(run: PlaybookRun) -> Any:
    """The `success` argument the action's callback received (None if it never ran)."""
    row = RunData.objects.filter(run=run, key="success").first()
    return None if row is None else json.loads(row.value)


def assert_gap_free_events(run: PlaybookRun) -> None:
    """Events numbered 1..N with no gap or duplicate, and each step's events stored once."""
    seqs = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)), f"run {run.pk}: event seqs {seqs}"
    assert len(seqs) == run.event_seq
    kinds = list(RunEvent.objects.filter(run=run).values_list("kind", flat=True))
    for kind in ("run.started", "run.finished", "action.finished"):
        assert kinds.count(kind) == 1, f"run {run.pk}: {kinds.count(kind)} {kind} events: {kinds}"


def assert_write_action_at_most_once(run: PlaybookRun, path: Path) -> bool:
    """A write action ran at most once; if its outcome was lost it is recorded as
    interrupted and its callback saw success=False. Returns True when it was interrupted."""
    assert run.status == "success", f"run {run.pk}: {run.status} {run.message}"
    count = ledger.executions(path, "block_ip", run.container_id)
    assert count <= 1, f"run {run.pk}: the write action ran {count} times"
    action_run = ActionRun.objects.get(playbook_run=run)
    if action_run.message.startswith(INTERRUPTED):
        assert action_run.status == "failed"
        assert callback_success(run) is False
        return True
    assert count == 1 and action_run.status == "success", (count, action_run.status, action_run.message)
    assert callback_success(run) is True
    return False


def assert_read_action_at_least_once(run: PlaybookRun, path: Path) -> int:
    """A read-only action ran at least once and its run succeeded with it; returns how
    often it ran."""
    assert run.status == "success", f"run {run.pk}: {run.status} {run.message}"
    count = ledger.executions(path, "lookup_ip", run.container_id)
    assert count >= 1, f"run {run.pk}: the read-only action never ran"
    action_run = ActionRun.objects.get(playbook_run=run)
    assert action_run.status == "success", action_run.message
    assert callback_success(run) is True
    return count
