"""The shared watchdog stops only the block that overran, in its own thread."""
from __future__ import annotations

import threading
import time

import pytest

from engine.execution.timeouts import BlockTimeout, time_limit


def test_it_stops_a_block_that_overruns_and_leaves_a_quick_one_alone() -> None:
    outcome: dict[str, str] = {}

    def slow() -> None:
        try:
            with time_limit(0.2):
                for _ in range(400):
                    time.sleep(0.01)
            outcome["slow"] = "finished"
        except BlockTimeout:
            outcome["slow"] = "stopped"

    def quick() -> None:
        with time_limit(5):
            time.sleep(0.05)
        outcome["quick"] = "finished"

    threads = [threading.Thread(target=slow), threading.Thread(target=quick)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert outcome == {"slow": "stopped", "quick": "finished"}


def test_many_blocks_in_time_never_see_a_stray_timeout() -> None:
    for _ in range(200):
        with time_limit(0.5):
            pass
    time.sleep(0.6)  # any deadline left armed would fire here


def test_a_nested_limit_stops_the_inner_block_first() -> None:
    with time_limit(5), pytest.raises(BlockTimeout), time_limit(0.1):
        time.sleep(0.05)
        while True:
            time.sleep(0.01)
