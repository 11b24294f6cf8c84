"""Fixtures for the compiler tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# These tests need no Django: make the repo (and pbkit, the builders next to this file)
# importable even with `-p no:django` or `--import-mode=importlib`.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pbkit import CORPUS  # noqa: E402


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "modern").is_dir():
        pytest.skip("shared SOAR corpus not available at ../shared")
    return CORPUS
