"""The engine sends a module's text to a runner only with its first job there; both sides
forget the least recently used past SOURCE_CACHE_SIZE in step, so every job still runs
its own module's code."""
from __future__ import annotations

from engine.runner.protocol import SOURCE_CACHE_SIZE
from tests.runner.helpers import run


def _source(n: int) -> str:
    return f"def fn():\n    return {n}\n"


def test_it_runs_each_jobs_own_module_across_more_modules_than_it_keeps() -> None:
    count = SOURCE_CACHE_SIZE + 20
    first = [run(_source(n)).value for n in range(count)]
    again = [run(_source(n)).value for n in reversed(range(count))]
    assert first == list(range(count))
    assert again == list(reversed(range(count)))


def test_it_reports_a_module_that_does_not_compile_every_time() -> None:
    broken = "def fn(:\n"
    outcomes = [run(broken) for _ in range(4)]
    assert {o.status for o in outcomes} == {"error"}
    assert all("line 1" in o.error for o in outcomes)
