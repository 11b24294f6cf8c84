"""Stopping a pool ends the jobs in progress (their runners are killed: "crashed") and
wakes callers waiting for a runner with an error instead of leaving them blocked."""
from __future__ import annotations

import threading
from typing import Any

from engine.runner import Job, default_config
from engine.runner.pool import Pool
from tests.runner.helpers import Engine

SLEEPER = "import phantom.rules as phantom\nimport time\n\ndef fn():\n    phantom.get_run_data(key='k')\n    time.sleep(60)\n"


def test_it_ends_running_jobs_and_releases_waiting_callers() -> None:
    pool = Pool(default_config(1))
    started = threading.Event()
    engine = Engine(on_call=lambda name, args, kwargs: started.set())
    results: dict[str, Any] = {}

    def running() -> None:
        results["running"] = pool.execute(Job("call", SLEEPER, "<playbook s>", "fn"), engine.serve, engine.events)

    def waiting() -> None:
        try:
            pool.execute(Job("call", "def fn():\n    return 1\n", "<playbook w>", "fn"), engine.serve, engine.events)
        except RuntimeError as exc:
            results["waiting"] = str(exc)

    first = threading.Thread(target=running)
    first.start()
    started.wait()
    second = threading.Thread(target=waiting)
    second.start()
    pool.stop()
    first.join()
    second.join()
    assert results["running"].status == "crashed"
    assert results["waiting"] == "the runner pool was stopped"
