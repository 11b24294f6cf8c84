"""Fixtures for the classic converter tests: the converted corpus, converted once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from classickit import APPS, CLASSIC, corpus_doc, corpus_names  # noqa: E402

if TYPE_CHECKING:
    from editor.classic import Conversion

_CONVERTED: dict[str, Conversion] = {}


@pytest.fixture(scope="session")
def converted_corpus() -> dict[str, Conversion]:
    """name → conversion of every classic corpus playbook (apps named from shared/apps)."""
    if not CLASSIC.is_dir():
        pytest.skip("shared classic corpus not available at ../shared")
    if not _CONVERTED:
        from editor.classic import AppIndex, convert_classic

        apps = AppIndex.from_folder(APPS)
        for name in corpus_names():
            _CONVERTED[name] = convert_classic(corpus_doc(name), name=name, apps=apps)
    return _CONVERTED
