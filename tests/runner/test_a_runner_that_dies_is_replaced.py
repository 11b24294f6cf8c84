"""A runner that dies mid-job (killed, crashed, exited) ends the job as "crashed" with
what killed it, and is replaced: the pool keeps its size and serves the next jobs."""
from __future__ import annotations

import os
import signal
from typing import Any

from engine import runner
from tests.runner.helpers import Engine, run


def _pool_pids() -> set[int]:
    pool = runner._pool
    assert pool is not None
    with pool.lock:
        return {r.pid for r in pool.runners}


def test_it_reports_a_runner_killed_mid_job_and_replaces_it() -> None:
    killed: list[int] = []

    def kill_the_runner(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        os.kill(args[0], signal.SIGKILL)
        os.waitid(os.P_PID, args[0], os.WEXITED | os.WNOWAIT)  # dead before the answer goes back
        killed.append(args[0])

    outcome = run("""
        import os
        import phantom.rules as phantom

        def fn():
            phantom.save_run_data(os.getpid(), key="pid")
            return "survived"
        """, engine=Engine(on_call=kill_the_runner), block="doomed")
    assert outcome.status == "crashed"
    assert outcome.error == "block doomed stopped: the runner process died (signal 9)"
    assert outcome.failed_block == "doomed"
    results = [run("import os\n\ndef fn():\n    return os.getpid()\n").value for _ in range(4)]
    assert killed[0] not in results
    assert killed[0] not in _pool_pids()


def test_it_reports_a_runner_that_exits() -> None:
    outcome = run("import os\n\ndef fn():\n    os._exit(7)\n", block="quitter")
    assert outcome.status == "crashed"
    assert outcome.error == "block quitter stopped: the runner process died (exit code 7)"
    assert run("def fn():\n    return 1\n").value == 1


def test_it_keeps_the_pool_at_its_size_after_deaths() -> None:
    import time

    run("import os\n\ndef fn():\n    os._exit(1)\n")
    for _ in range(200):  # the replacement starts in the background
        if len(_pool_pids()) == 2:
            break
        time.sleep(0.05)
    assert len(_pool_pids()) == 2
