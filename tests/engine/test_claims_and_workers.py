"""A step runs exactly once, whichever workers (threads or processes) receive it."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from editor.models import CustomFunction
from engine.execution.runs import start_run
from engine.execution.steps import claim, execute_step
from engine.models import Container, PlaybookRun, RunData, RunStep
from tests.engine.conftest import ended, python_playbook

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]

COUNTING = '''
import json
import phantom.rules as phantom

def on_start(container):
    seen = phantom.get_run_data(key="starts")
    phantom.save_run_data(key="starts", value=json.dumps((json.loads(seen) if seen else 0) + 1))

def on_finish(container, summary):
    pass
'''


def test_only_one_of_two_racing_claims_wins(container: Container) -> None:
    run = start_run(python_playbook("count", COUNTING), container)
    step = RunStep.objects.get(run=run, kind="start")
    barrier = threading.Barrier(8)
    wins: list[bool] = []

    def racer(n: int) -> None:
        barrier.wait()
        wins.append(claim(step.pk, f"racer-{n}"))
        connection.close()

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]


def test_a_step_delivered_to_many_threads_executes_once(container: Container) -> None:
    run = start_run(python_playbook("count", COUNTING), container)
    step = RunStep.objects.get(run=run, kind="start")
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def worker(n: int) -> None:
        barrier.wait()
        outcomes.append(execute_step(step.pk, f"thread-{n}"))
        connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("done") == 1 and outcomes.count("not claimed") == 5
    assert RunData.objects.get(run=run, key="starts").value == "1"


FANOUT = '''
import json, os
import phantom.rules as phantom

def on_start(container):
    for n in range(12):
        phantom.custom_function(custom_function="local/slow", parameters=[{"n": n}], name=f"slow_{n}", callback=record)

def record(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    pids = json.loads(phantom.get_run_data(key="pids") or "[]")
    # Where this callback ran, and where the custom function it completes ran.
    pids += [os.getpid(), results[0]["action_results"][0]["data"]["pid"]]
    phantom.save_run_data(key="pids", value=json.dumps(pids))
    if phantom.completed(custom_function_names=[f"slow_{n}" for n in range(12)]):
        phantom.save_run_data(key="joined", value=json.dumps(True))

def on_finish(container, summary):
    pass
'''


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_a_run_whose_callbacks_spread_over_two_worker_processes_finishes(container: Container) -> None:
    CustomFunction.objects.create(name="slow", repo="local", python=(
        "import os, time\n\ndef slow(n=None, **kwargs):\n    time.sleep(0.3)\n    return {'n': n, 'pid': os.getpid()}\n"))
    playbook = python_playbook("fanout", FANOUT)
    env = {**os.environ, "DATABASE_URL": _database_url(), "SOAR_EMBEDDED_WORKER": "0", "DJANGO_SETTINGS_MODULE": "soar.settings"}
    env.pop("PYTEST_CURRENT_TEST", None)
    workers = [
        subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay",
                          "--worker-id", f"proc-{n}"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for n in range(2)
    ]
    logs: list[list[str]] = [[], []]

    def read(n: int) -> None:
        assert workers[n].stderr is not None
        for raw in workers[n].stderr:
            logs[n].append(raw.decode(errors="replace"))

    readers = [threading.Thread(target=read, args=(n,), daemon=True) for n in range(2)]
    for r in readers:
        r.start()
    try:
        # Both workers must be polling before the run starts, or one could do it all.
        ready_by = time.monotonic() + 60
        while not all(any("Starting worker" in line for line in log) for log in logs):
            assert time.monotonic() < ready_by, f"workers did not start: {logs}"
            time.sleep(0.1)
        run = start_run(playbook, container)
        deadline = time.monotonic() + 90
        while not ended(run.pk) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)
        errors = ["".join(log)[-2000:] for log in logs]
    run = PlaybookRun.objects.get(pk=run.pk)
    assert run.status == "success", (run.message, errors)
    pids = set(__import__("json").loads(RunData.objects.get(run=run, key="pids").value))
    assert RunData.objects.get(run=run, key="joined").value == "true"
    assert len(pids) == 2, f"steps ran in {pids}"
    assert RunStep.objects.filter(run=run, kind="callback", status="done").count() == 12


