"""Fault tests: worker processes killed with SIGKILL at the points issue 21 names
(engine.execution.faults), then a second worker that must finish every run.

The workers are real processes (`manage.py db_worker`, or `engine_rqworker` with
SOAR_TASK_BACKEND=rq) on the test database, as tests/e2e starts them, with the Ledger test
connector registered (tests.engine.faults.worker) so that every real execution of an action
is counted in a file.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from editor.models import Playbook
from engine.apps.catalogue import parse_app
from engine.catalogue import sync_app
from engine.execution import brokers
from engine.execution.journal import TERMINAL_RUN
from engine.models import Asset, PlaybookRun
from tests.engine.conftest import python_playbook
from tests.engine.faults import ledger

ROOT = Path(__file__).resolve().parents[3]
LEASE_S = 2
# Generous: a worker starting (Django, the runner pool) plus a lease expiring and a sweep;
# these bound a failure, they are not timings under test.
DEATH_TIMEOUT_S = 90.0
FINISH_TIMEOUT_S = 120.0

PLAYBOOK = '''
import json
import phantom.rules as phantom

def on_start(container):
    phantom.act(ACTION, parameters=[{"target": str(container["id"])}], assets=["ledger"], callback=acted,
                name="act_1")

def acted(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    phantom.save_run_data(key="success", value=json.dumps(success))

def on_finish(container, summary):
    pass
'''


def database_url() -> str:
    """The test database, for the worker processes (as tests/e2e/conftest.py does)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Workers:
    """Worker processes of one test; whatever is still alive is stopped at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.procs: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, *, kill_at: str = "", queues: tuple[str, ...] = ()) -> subprocess.Popen[bytes]:
        """A worker on `queues` (all when empty) that kills itself at `kill_at`."""
        env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "soar.settings",
               "SOAR_TESTING": "1", "SOAR_LEASE_S": str(LEASE_S), "SOAR_EMBEDDED_WORKER": "0"}
        env.pop("PYTEST_CURRENT_TEST", None)
        env.pop("SOAR_FAULT_KILL_AT", None)
        if kill_at:
            env["SOAR_FAULT_KILL_AT"] = kill_at
        if brokers.using_rq():
            command = ["engine_rqworker", *queues]
        else:
            command = ["db_worker", "--queue-name", ",".join(queues) or "*", "--interval", "0.05",
                       "--no-startup-delay"]
        log = self.folder / f"worker-{len(self.procs)}-{kill_at or 'clean'}.log"
        # A file, not a pipe: nobody reads it while the worker runs.
        with open(log, "wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "tests.engine.faults.worker", *command], cwd=ROOT,
                                    env=env, stdout=out, stderr=subprocess.STDOUT)
        self.procs.append((proc, log))
        return proc

    def logs(self) -> str:
        return "\n".join(f"--- {log.name} (exit {proc.poll()}) ---\n{log.read_text(errors='replace')[-4000:]}"
                         for proc, log in self.procs)

    def wait_killed(self, proc: subprocess.Popen[bytes]) -> None:
        """Wait until the worker killed itself with SIGKILL (fails on any other exit)."""
        try:
            code = proc.wait(timeout=DEATH_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the worker never reached its fault point\n{self.logs()}")
        assert code == -signal.SIGKILL, f"the worker exited with {code}, not SIGKILL\n{self.logs()}"

    def wait_ended(self, runs: list[PlaybookRun]) -> list[PlaybookRun]:
        """Wait until every run has ended; returns them fresh."""
        ids = [r.pk for r in runs]
        deadline = time.monotonic() + FINISH_TIMEOUT_S
        while True:
            found = list(PlaybookRun.objects.filter(pk__in=ids).order_by("pk"))
            if all(r.status in TERMINAL_RUN for r in found):
                return found
            if time.monotonic() > deadline:
                states = {r.pk: (r.status, r.lease_owner) for r in found}
                pytest.fail(f"runs did not finish: {states}\n{self.logs()}")
            time.sleep(0.1)

    def stop(self) -> None:
        for proc, _ in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc, _ in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def workers(tmp_path: Path, transactional_db: Any, settings: Any) -> Iterator[Workers]:
    settings.SOAR_LEASE_S = LEASE_S
    started = Workers(tmp_path)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def ledger_path(tmp_path: Path, transactional_db: Any) -> Iterator[Path]:
    """The Ledger app's asset 'ledger', writing to a file of this test; the connector is
    registered in this process too (a test may run tasks itself before a worker does)."""
    path = tmp_path / "ledger.txt"
    app, _ = sync_app(parse_app(ledger.APP_JSON))
    Asset.objects.create(name="ledger", app=app, configuration={"ledger": str(path)})
    undo = ledger.install()
    try:
        yield path
    finally:
        undo()


def playbook(action: str) -> Playbook:
    """A playbook that runs `action` on the ledger asset once and records the callback's
    `success` in run data."""
    return python_playbook(f"faults {action}", PLAYBOOK.replace("ACTION", json.dumps(action)))


def start_runs(action: str, n: int) -> list[PlaybookRun]:
    """`n` runs of the playbook running `action`, each on a container of its own (the
    ledger tells their executions apart by container id), connectors really called."""
    from engine.execution.runs import start_run
    from engine.models import Container

    pb = playbook(action)
    return [start_run(pb, Container.objects.create(name=f"case {i}", label="events"), simulate_writes=False)
            for i in range(n)]
