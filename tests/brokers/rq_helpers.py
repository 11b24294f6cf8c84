"""Helpers of the broker tests: module-level django.tasks tasks (as every backend requires)
and the mark that skips a test without the Redis broker backend."""
from __future__ import annotations

import os

import pytest
from django.tasks import task

from engine.execution.brokers import using_rq

needs_rq = pytest.mark.skipif(
    not using_rq(), reason="needs the Redis broker backend: SOAR_TASK_BACKEND=rq with REDIS_URL or SOAR_RQ_URL")

RAN: list[int] = []


@task(queue_name="default")
def note(n: int) -> int:
    RAN.append(n)
    return n


@task(queue_name="actions")
def fail(n: int) -> int:
    raise ValueError(f"failing on purpose ({n})")


@task(queue_name="default")
def write_pid(path: str) -> None:
    """Writes the pid of the process it ran in (the worker command's test)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(str(os.getpid()))
