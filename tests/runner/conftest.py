"""Runner tests share one small pool for the session (helpers in tests/runner/helpers.py)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine import runner
from tests.runner.helpers import MEMORY_MB


@pytest.fixture(scope="session", autouse=True)
def runner_pool() -> Iterator[None]:
    runner.start(2, memory_mb=MEMORY_MB)
    yield
    runner.stop()
