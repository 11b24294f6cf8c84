"""Compiler benchmark: ``run()`` compiles the shared corpus (or, without ../shared, the
test fixtures) and reports wall time.  Targets: corpus < 1 s, median < 3 ms."""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from editor.compiler import compile_playbook  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "modern"
FIXTURES = ROOT / "tests" / "compiler" / "fixtures"


def run() -> dict[str, Any]:
    source = CORPUS if CORPUS.is_dir() else FIXTURES
    playbooks = [json.loads(p.read_text()) for p in sorted(source.glob("*.json"))]
    compile_playbook(playbooks[0])  # warm imports so they are not billed to the first file
    per: list[float] = []
    start = time.perf_counter()
    for pb in playbooks:
        t0 = time.perf_counter()
        compile_playbook(pb)
        per.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    return {
        "compile_corpus_s": round(total, 4),
        "compile_median_ms": round(statistics.median(per) * 1000, 3),
        "compile_playbooks": len(playbooks),
        "compile_source": "corpus" if source == CORPUS else "fixtures (../shared absent)",
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
