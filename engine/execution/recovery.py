"""Finding work a dead worker left behind, and continuing it.

Every worker process calls `sweep()` when it starts and every third of the lease span
(engine.execution.worker; the rq worker command likewise). It wakes
- runs whose lease expired (their holder died or stalled): the next holder takes over
  (`take_over`) and continues from the journal;
- runs with a due pending step but no holder and no wake-up for a whole lease span (a
  worker died between a commit and the enqueue that followed it);
- connector actions whose worker's lease expired: retried or recorded as interrupted
  (engine.execution.actions.interrupted), and those handed over but never claimed.
"""
from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from engine.execution import actions, dispatch, lease
from engine.models import ActionRun, PlaybookRun, RunStep

log = logging.getLogger(__name__)

ACTIVE_RUN = ("pending", "running", "waiting")


def take_over(run_id: int) -> None:
    """Remove what the run's previous holder created for a step it never journaled: action
    runs without a step and child runs without a step (their ids were handed to playbook
    code, whose step will run again and create them anew)."""
    with transaction.atomic():
        orphans = ActionRun.objects.filter(playbook_run_id=run_id, status="pending", steps__isnull=True)
        removed = orphans.delete()[0]
        children = PlaybookRun.objects.filter(parent_run_id=run_id, status="pending", steps__isnull=True)
        removed += children.delete()[0]
    if removed:
        log.warning("run %s: removed %d rows a step left before its worker stopped", run_id, removed)


def sweep() -> dict[str, int]:
    """Wake what dead workers left; returns counts (for logs and tests)."""
    now = timezone.now()
    stale = now - lease.lease_span()
    expired = list(PlaybookRun.objects.filter(status__in=ACTIVE_RUN, lease_expires__lt=now).exclude(lease_owner="")
                   .values_list("pk", flat=True)[:1000])
    unheld = list(RunStep.objects.filter(status="pending", run__lease_owner="", run__status__in=ACTIVE_RUN)
                  .filter(Q(not_before__isnull=True, create_time__lt=stale) | Q(not_before__lt=stale))
                  .values_list("run_id", flat=True).distinct()[:1000])
    runs = sorted(set(expired) | set(unheld))
    if runs:
        dispatch.advance_runs(runs)
    interrupted = unclaimed = 0
    for step in RunStep.objects.filter(kind="action", status="running", lease_expires__lt=now).select_related("run"):
        if not step.worker:
            # Handed over but never claimed: the enqueue after the hand-over was lost.
            if RunStep.objects.filter(pk=step.pk, worker="", status="running").update(lease_expires=now + lease.lease_span()):
                dispatch.run_action(step.pk)
                unclaimed += 1
            continue
        with transaction.atomic():
            outcome = actions.interrupted(step)
        log.warning("action step %s of run %s: its worker stopped; %s", step.pk, step.run_id, outcome)
        interrupted += 1
    return {"runs": len(runs), "interrupted_actions": interrupted, "unclaimed_actions": unclaimed}
