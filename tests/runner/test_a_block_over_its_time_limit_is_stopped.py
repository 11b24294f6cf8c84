"""A job past its time limit is stopped even inside a C call: its runner is killed and
replaced, the outcome names the block and the limit, and the pool serves the next job."""
from __future__ import annotations

import pytest

from tests.runner.helpers import Engine, run

STUCK = {
    "sleep": "import time\n\ndef fn():\n    time.sleep(120)\n",
    "catastrophic regex": "import re\n\ndef fn():\n    return bool(re.match(r'(a+)+$', 'a' * 40 + 'b'))\n",
}


@pytest.mark.parametrize("source", STUCK.values(), ids=STUCK.keys())
def test_it_stops_the_block_and_serves_the_next_job(source: str) -> None:
    outcome = run(source, block="slow_block", time_limit_s=2)
    assert outcome.status == "timeout"
    assert outcome.error == "block slow_block exceeded its time limit of 2 s"
    assert outcome.failed_block == "slow_block"
    for _ in range(3):  # both runners, the replaced one among them
        assert run("def fn():\n    return 'next'\n").value == "next"


def test_it_counts_the_engines_time_serving_calls_against_the_limit() -> None:
    import time

    engine = Engine(on_call=lambda name, args, kwargs: time.sleep(0.6))
    outcome = run("""
        import phantom.rules as phantom

        def fn():
            for _ in range(10):
                phantom.get_run_data(key="k")
        """, engine=engine, time_limit_s=1, block="chatty")
    assert outcome.status == "timeout"
    assert len(engine.calls) < 10


def test_it_keeps_the_debug_log_a_stuck_block_wrote_before_it_hung() -> None:
    engine = Engine()
    outcome = run("""
        import time
        import phantom.rules as phantom

        def fn():
            phantom.debug("about to wait")
            time.sleep(120)
        """, engine=engine, time_limit_s=1)
    assert outcome.status == "timeout"
    assert [args for _, name, args, _, _ in engine.calls] == [("about to wait",)]


def test_it_names_the_innermost_block_that_was_running() -> None:
    outcome = run("""
        import time
        import phantom.rules as phantom

        @phantom.playbook_block()
        def geolocate_1():
            time.sleep(120)

        @phantom.playbook_block()
        def fn():
            geolocate_1()
        """, block="fn", time_limit_s=1)
    assert outcome.status == "timeout"
    assert outcome.error == "block geolocate_1 exceeded its time limit of 1 s"
    assert outcome.failed_block == "geolocate_1"
