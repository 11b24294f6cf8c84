"""A run's lease: the one worker that advances a run, for a limited time.

Taking, renewing and releasing are each one compare-and-set UPDATE of the run row, in
autocommit (no transaction stays open while a run is held). A holder that dies stops
renewing; once its lease has expired (settings.SOAR_LEASE_S) any worker may take the run
over and continue from the journal (engine.execution.advance).

A process renews the leases it holds from one keeper thread, so a long block (a code step
waiting on a slow service, a connector call) keeps its run without the step's own thread
doing anything. The keeper also renews the leases of connector actions being executed
(RunStep.lease_expires), the other thing a dead worker can leave behind.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import F, Q
from django.utils import timezone

from engine.models import PlaybookRun, RunStep

log = logging.getLogger(__name__)


def lease_span() -> timedelta:
    return timedelta(seconds=settings.SOAR_LEASE_S)


@dataclass
class Lease:
    run_id: int
    owner: str
    took_over: bool  # the previous holder's lease had expired: it died or stalled


def take(run_id: int, owner: str) -> Lease | None:
    """Take the run's lease, or None when a live worker holds it (or the run is gone).

    A free lease is taken with one statement; an expired one is taken over with a second,
    so the caller knows it must recover what the previous holder left half done."""
    now = timezone.now()
    values = {"lease_owner": owner[:128], "lease_expires": now + lease_span()}
    if PlaybookRun.objects.filter(pk=run_id, lease_owner="").update(**values):
        _keeper.hold_run(run_id, owner)
        return Lease(run_id, owner, took_over=False)
    if PlaybookRun.objects.filter(pk=run_id, lease_expires__lt=now).exclude(lease_owner="").update(**values):
        log.warning("run %s: took over an expired lease", run_id)
        _keeper.hold_run(run_id, owner)
        return Lease(run_id, owner, took_over=True)
    return None


def release(lease: Lease, wake_seq: int) -> bool:
    """Give the lease back unless the run was woken since `wake_seq` was read; False means
    there may be new work and the caller still holds the lease."""
    released = PlaybookRun.objects.filter(pk=lease.run_id, lease_owner=lease.owner[:128], wake_seq=wake_seq).update(
        lease_owner="", lease_expires=None)
    if released:
        _keeper.drop_run(lease.run_id)
        return True
    return False


def abandon(lease: Lease) -> None:
    """Give the lease back whatever happened (after an engine error)."""
    PlaybookRun.objects.filter(pk=lease.run_id, lease_owner=lease.owner[:128]).update(lease_owner="", lease_expires=None)
    _keeper.drop_run(lease.run_id)


def bump(run_ids: list[int]) -> None:
    """Record a wake-up of these runs (in the caller's transaction)."""
    PlaybookRun.objects.filter(pk__in=run_ids).update(wake_seq=F("wake_seq") + 1)


def take_action(step_id: int, owner: str) -> bool:
    """Claim a connector action a run handed over (status running, nobody on it yet)."""
    taken = RunStep.objects.filter(pk=step_id, kind="action", status="running", worker="").update(
        worker=owner[:128], lease_expires=timezone.now() + lease_span(), start_time=timezone.now(),
        attempts=F("attempts") + 1)
    if taken:
        _keeper.hold_step(step_id, owner)
    return bool(taken)


def drop_action(step_id: int) -> None:
    _keeper.drop_step(step_id)


class _Keeper:
    """Renews this process's leases every third of their span, from one daemon thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[int, str] = {}
        self._steps: dict[int, str] = {}
        self._thread: threading.Thread | None = None

    def hold_run(self, run_id: int, owner: str) -> None:
        with self._lock:
            self._runs[run_id] = owner
            self._start()

    def drop_run(self, run_id: int) -> None:
        with self._lock:
            self._runs.pop(run_id, None)

    def hold_step(self, step_id: int, owner: str) -> None:
        with self._lock:
            self._steps[step_id] = owner
            self._start()

    def drop_step(self, step_id: int) -> None:
        with self._lock:
            self._steps.pop(step_id, None)

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._loop, name="lease-keeper", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            threading.Event().wait(max(0.2, settings.SOAR_LEASE_S / 3))
            try:
                if not self.renew(timezone.now()):
                    # Holding nothing: give the connection back (a test database, a
                    # PostgreSQL connection slot) until there is something to renew.
                    connection.close()
            except Exception:
                log.exception("could not renew leases")
                close_old_connections()

    def renew(self, now: datetime) -> bool:
        """Renew every lease held; False when none is."""
        with self._lock:
            runs, steps = dict(self._runs), dict(self._steps)
        if not runs and not steps:
            return False
        until = now + lease_span()
        for run_id, owner in runs.items():
            PlaybookRun.objects.filter(pk=run_id, lease_owner=owner[:128]).update(lease_expires=until)
        for step_id, owner in steps.items():
            RunStep.objects.filter(Q(pk=step_id) & Q(worker=owner[:128]) & Q(status="running")).update(
                lease_expires=until)
        return True


_keeper = _Keeper()
