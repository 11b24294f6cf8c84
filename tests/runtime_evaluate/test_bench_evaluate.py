from __future__ import annotations

from bench import bench_evaluate


def test_the_benchmark_reports_the_collect2_figure() -> None:
    figures = bench_evaluate.run()
    # Figures are measured by `make bench`, never asserted as timings here.
    assert figures["collect2_10k_artifacts_ms"] > 0
    assert set(figures) >= {"collect2_10k_artifacts_ms", "condition_10k_artifacts_ms"}


def test_the_benchmark_source_holds_ten_thousand_artifacts() -> None:
    assert len(bench_evaluate._source().artifacts("all")) == 10_000
