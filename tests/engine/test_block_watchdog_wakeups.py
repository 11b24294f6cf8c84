"""The block watchdog is woken only for a deadline earlier than its own next wake-up (a
thread switch per block otherwise), still stops a short block armed while it sleeps
towards a long deadline, and drops finished deadlines as blocks are armed."""
from __future__ import annotations

import threading
import time

import pytest

from engine.execution import timeouts
from engine.execution.timeouts import BlockTimeout, time_limit


def test_a_short_limit_armed_while_a_long_one_waits_still_stops_its_block() -> None:
    release = threading.Event()
    long_started = threading.Event()

    def long_block() -> None:
        with time_limit(300):
            long_started.set()
            release.wait(10)

    holder = threading.Thread(target=long_block)
    holder.start()
    try:
        assert long_started.wait(5)
        time.sleep(0.05)  # the watchdog now sleeps towards the long deadline (or its idle wake-up)
        started = time.monotonic()
        with pytest.raises(BlockTimeout), time_limit(0.2):
            while time.monotonic() - started < 5:
                time.sleep(0.01)
        assert time.monotonic() - started < 2
    finally:
        release.set()
        holder.join()


def test_it_does_not_wake_the_watchdog_for_a_deadline_after_its_next_wake_up(monkeypatch: pytest.MonkeyPatch) -> None:
    with time_limit(300):
        pass
    time.sleep(0.05)  # let the watchdog go back to sleep
    notified: list[bool] = []
    cond = timeouts._watchdog._cond
    original = cond.notify
    monkeypatch.setattr(cond, "notify", lambda *a: (notified.append(True), original(*a))[1])
    for _ in range(50):
        with time_limit(300):
            pass
    assert notified == []
    with pytest.raises(BlockTimeout), time_limit(0.05):
        time.sleep(2)
    assert notified


def test_finished_deadlines_do_not_pile_up_while_the_watchdog_sleeps() -> None:
    for _ in range(5000):
        with time_limit(300):
            pass
    assert len(timeouts._watchdog._heap) <= 1
