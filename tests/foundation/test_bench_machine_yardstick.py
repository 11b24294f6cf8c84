"""`make bench` prints how fast the machine runs plain Python, beside each engine try."""
from __future__ import annotations

from typing import Any

import pytest

from bench import bench_engine, bench_machine


def test_the_yardstick_reports_a_positive_time_and_does_the_same_work_every_time() -> None:
    figures = bench_machine.run()
    # A figure, never a timing bar: only that it is measured.
    assert set(figures) == {"machine_python_yardstick_ms"}
    assert figures["machine_python_yardstick_ms"] > 0
    # The work itself is pinned: a different workload would make yardsticks printed in
    # earlier notes incomparable with new ones.
    assert (bench_machine.ROUNDS, bench_machine._workload()) == (20_000, 80_000)


def test_the_engine_benchmark_lists_the_yardstick_taken_before_each_embedded_try(
        monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []
    sticks = iter([30.0, 45.0, 60.0])
    speeds = iter([100.0, 90.0, 80.0])

    def stick() -> dict[str, float]:
        order.append("yardstick")
        return {"machine_python_yardstick_ms": next(sticks)}

    def try_once(args: list[str], env: dict[str, str]) -> dict[str, Any]:
        order.append("try")
        return {"runs_per_s": next(speeds), "callbacks_per_s": 1.0, "worker_cpu_ms_per_run": 1.0}

    monkeypatch.setattr(bench_engine, "yardstick", stick)
    monkeypatch.setattr(bench_engine, "_run", try_once)
    monkeypatch.setattr(bench_engine, "_ensure_pg_database", lambda url: False)
    monkeypatch.setattr(bench_engine, "TRIES", 3)
    figures = bench_engine.run()
    assert order == ["yardstick", "try"] * 3
    assert figures["engine_runs_per_s_embedded_sqlite_tries"] == [100.0, 90.0, 80.0]
    assert figures["engine_embedded_sqlite_tries_machine_yardstick_ms"] == [30.0, 45.0, 60.0]
