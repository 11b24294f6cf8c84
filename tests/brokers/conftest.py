"""The broker tests need the Redis broker backend (rq_helpers.needs_rq): the PostgreSQL +
Redis leg of scripts/test-all runs them with SOAR_TASK_BACKEND=rq, and tests/conftest.py
empties the engine's queues before every test."""
from __future__ import annotations

import pytest
import rq_helpers


@pytest.fixture(autouse=True)
def forget_what_ran() -> None:
    rq_helpers.RAN.clear()
