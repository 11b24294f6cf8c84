"""`manage.py engine_rqworker`: an rq worker process on the engine's queues."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import rq_helpers
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from engine.execution.brokers import engine_queues

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@rq_helpers.needs_rq
@pytest.mark.django_db(transaction=True)  # the worker process reads the test database (its recovery sweep)
def test_a_burst_worker_runs_what_is_queued_in_its_own_process_and_exits(tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    rq_helpers.write_pid.enqueue(str(marker))
    env = {**os.environ, "DATABASE_URL": _database_url(), "SOAR_TASK_BACKEND": "rq",
           "SOAR_RQ_URL": settings.SOAR_RQ_URL, "SOAR_RUNNERS": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(Path(__file__).parent)])}
    env.pop("PYTEST_CURRENT_TEST", None)

    done = subprocess.run([sys.executable, "manage.py", "engine_rqworker", "--burst", "-v0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr[-3000:]
    assert int(marker.read_text()) not in (os.getpid(), 0)
    assert all(queue.count == 0 for queue in engine_queues())


def test_it_refuses_to_start_on_the_database_backend() -> None:
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}):
        with pytest.raises(CommandError, match="SOAR_TASK_BACKEND=rq"):
            call_command("engine_rqworker", "--burst")


@rq_helpers.needs_rq
def test_it_refuses_a_queue_the_engine_does_not_have() -> None:
    with pytest.raises(CommandError, match="unknown queue"):
        call_command("engine_rqworker", "--burst", "nightly")
