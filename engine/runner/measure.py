"""How fast the runner pool turns jobs around (a measurement, not a test):

    .venv/bin/python -m engine.runner.measure [--jobs 20000] [--threads 1,2]

A trivial callback makes three platform calls (save_run_data, get_run_data, collect2)
plus one deferred phantom.debug against a `serve` that answers at once, so the figures
are the runner mechanism's own cost: jobs/s, microseconds per job, and the CPU the
engine's side and the runners spent per job. Prints JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import threading
import time
from typing import Any

from engine import runner
from engine.runner import Job

SOURCE = '''
import phantom.rules as phantom

@phantom.playbook_block()
def on_result(action=None, success=None, container=None, results=None, handle=None, filtered_artifacts=None, **kwargs):
    phantom.debug("on_result() called")
    phantom.save_run_data(key="seen", value="1")
    phantom.get_run_data(key="seen")
    phantom.collect2(container=container, datapath=["artifact:*.cef.sourceAddress"])
'''
CONTAINER = {"id": 1, "name": "bench", "label": "events", "create_time": "2016-01-14 18:25:55.921199+00"}


def _answer(module: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], block: str) -> Any:
    return [["192.0.2.1"]] if name == "collect2" else ("1" if name == "get_run_data" else None)


def _drop(events: list[tuple[str, dict[str, Any]]]) -> None:
    pass


def _runner_cpu() -> float:
    pool = runner._pool
    assert pool is not None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for r in list(pool.runners):
        with open(f"/proc/{r.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def measure(jobs: int, threads: int) -> dict[str, Any]:
    job = Job("callback", SOURCE, "<playbook bench>", "on_result", args=(None, True, CONTAINER, [], None),
              extra={"filtered_artifacts": []}, block="on_result")
    for _ in range(200):
        runner.execute(job, _answer, _drop)
    per_thread = jobs // threads

    def work() -> None:
        for _ in range(per_thread):
            outcome = runner.execute(job, _answer, _drop)
            if outcome.status != "ok":
                raise RuntimeError(outcome.error)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    cpu0, runners0, start = os.times(), _runner_cpu(), time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - start
    cpu1, runners1 = os.times(), _runner_cpu()
    done = per_thread * threads
    return {
        "threads": threads, "runners": len(runner.rss_bytes()), "jobs": done,
        "jobs_per_s": round(done / wall), "us_per_job": round(wall / done * 1e6, 1),
        "engine_cpu_us_per_job": round(((cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)) / done * 1e6, 1),
        "runner_cpu_us_per_job": round((runners1 - runners0) / done * 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=20000)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--runners", type=int, default=os.cpu_count() or 1)
    options = parser.parse_args()
    runner.start(options.runners)
    try:
        results = [measure(options.jobs, int(t)) for t in options.threads.split(",")]
        print(json.dumps({"cores": os.cpu_count(), "results": results,
                          "runner_rss_mb": [round(b / 2**20, 1) for b in runner.rss_bytes()]}, indent=1))
    finally:
        runner.stop()


if __name__ == "__main__":
    main()
