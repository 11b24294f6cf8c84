"""`make bench`: run every benchmark module and print one JSON object of figures.

Each bench/bench_*.py exposes `run() -> dict`; figures are measured here, never asserted
by timing tests.
"""
from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    figures: dict[str, object] = {}
    errors: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules([str(ROOT / "bench")]), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{info.name}")
            figures.update(module.run())
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            errors[info.name] = f"{type(exc).__name__}: {exc}"
        figures[f"{info.name}_wall_s"] = round(time.perf_counter() - started, 3)
    if errors:
        figures["errors"] = errors
    print(json.dumps(figures, indent=2, sort_keys=True))
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
