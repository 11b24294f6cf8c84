"""Each runner is pinned to one CPU and the thread driving a job joins it there for the
job only (a call across CPUs costs an inter-processor wake-up each way); the caller's
own CPU set is back as it was after the job."""
from __future__ import annotations

import os

import pytest

from engine import runner
from tests.runner.helpers import Engine, run

pytestmark = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one CPU: nothing to pin")


def test_it_pins_each_runner_to_one_cpu() -> None:
    pool = runner._pool
    assert pool is not None
    with pool.lock:
        runners = list(pool.runners)
    assert runners
    for r in runners:
        assert os.sched_getaffinity(r.pid) == {r.cpu}


def test_it_runs_the_job_on_the_runners_cpu_and_gives_the_caller_its_cpus_back() -> None:
    before = os.sched_getaffinity(0)
    seen: list[set[int]] = []
    engine = Engine(on_call=lambda name, args, kwargs: seen.append(os.sched_getaffinity(0)))
    outcome = run("import os\nimport phantom.rules as phantom\n\ndef fn():\n    phantom.get_run_data(key='k')\n"
                  "    return sorted(os.sched_getaffinity(0))\n", engine=engine)
    assert len(outcome.value) == 1
    assert seen == [set(outcome.value)]
    assert os.sched_getaffinity(0) == before
