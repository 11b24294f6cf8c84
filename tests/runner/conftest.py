"""Runner tests share one small pool of their own (helpers in tests/runner/helpers.py)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine import runner
from tests.runner.helpers import MEMORY_MB


@pytest.fixture(scope="package", autouse=True)
def runner_pool() -> Iterator[None]:
    runner.stop()  # a pool the engine's tests started has the default limits
    runner.start(2, memory_mb=MEMORY_MB)
    yield
    runner.stop()
