"""Size limits for untrusted graphs.  Configurable per call so the Django side can read
them from settings; defaults are far above anything in the corpus (largest playbook:
~40 blocks, longest user code ~20 KB)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_blocks: int = 2_000
    max_edges: int = 10_000
    max_string: int = 1_000_000  # any single string field (templates, descriptions…)
    max_code: int = 2_000_000  # one userCode / customCode / globalCustomCode
    max_identifier: int = 200  # functionName, output variable names
    max_total_code: int = 20_000_000  # compiled module size
    max_depth: int = 32  # nesting of any block field (corpus maximum: 6)


DEFAULT_LIMITS = Limits()
