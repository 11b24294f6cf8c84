"""An allocation loop hits the runner's address-space limit: the outcome says so, naming
the block and the limit, and the runner is replaced."""
from __future__ import annotations

from tests.runner.helpers import MEMORY_MB, run


def test_it_stops_an_allocation_loop_and_serves_the_next_job() -> None:
    outcome = run("""
        def fn():
            hoard = []
            while True:
                hoard.append(bytearray(8 * 1024 * 1024))
        """, block="greedy")
    assert outcome.status == "memory"
    assert outcome.error == f"block greedy exceeded its memory limit of {MEMORY_MB} MB"
    for _ in range(3):
        assert run("def fn():\n    return len(bytearray(10 * 1024 * 1024))\n").value == 10 * 1024 * 1024


def test_it_leaves_a_memory_error_the_code_catches_to_the_code() -> None:
    outcome = run(f"""
        def fn():
            try:
                bytearray({MEMORY_MB * 2} * 1024 * 1024)
            except MemoryError:
                return "handled"
        """)
    assert (outcome.status, outcome.value) == ("ok", "handled")
