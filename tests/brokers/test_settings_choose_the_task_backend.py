"""SOAR_TASK_BACKEND: django-tasks-db by default, the Redis broker (django-tasks-rq) with
"rq", which refuses to start without a Redis server. Needs no Redis: settings only."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VARIABLES = ("DATABASE_URL", "REDIS_URL", "SOAR_RQ_URL", "SOAR_TASK_BACKEND", "SOAR_EMBEDDED_WORKER")


def settings_with(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'backend': settings.TASKS['default']['BACKEND'], 'queues': settings.TASKS['default']['QUEUES'], "
        "'rq': {k: v['URL'] for k, v in getattr(settings, 'RQ_QUEUES', {}).items()}, "
        "'apps': settings.INSTALLED_APPS, 'embedded': settings.SOAR_EMBEDDED_WORKER}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    full = {**clean, "DJANGO_SETTINGS_MODULE": "soar.settings", "SOAR_VAR_DIR": str(tmp_path), **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True, timeout=60)


def test_it_refuses_rq_without_a_redis_url_naming_the_variables(tmp_path: Path) -> None:
    result = settings_with(tmp_path, SOAR_TASK_BACKEND="rq")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SOAR_RQ_URL" in result.stderr and "REDIS_URL" in result.stderr


def test_it_refuses_an_unknown_backend_and_a_url_that_is_not_redis(tmp_path: Path) -> None:
    unknown = settings_with(tmp_path, SOAR_TASK_BACKEND="celery")
    not_redis = settings_with(tmp_path, SOAR_TASK_BACKEND="rq", SOAR_RQ_URL="http://127.0.0.1:6379")

    assert unknown.returncode != 0 and "SOAR_TASK_BACKEND" in unknown.stderr
    assert not_redis.returncode != 0 and "SOAR_RQ_URL" in not_redis.stderr


def test_the_default_is_django_tasks_db_with_the_embedded_worker(tmp_path: Path) -> None:
    result = settings_with(tmp_path)

    assert result.returncode == 0, result.stderr
    conf = json.loads(result.stdout)
    assert conf["backend"] == "django_tasks_db.DatabaseBackend" and conf["embedded"] is True
    assert "django_rq" not in conf["apps"] and conf["rq"] == {}


def test_rq_uses_database_1_of_the_channel_layers_redis_and_starts_no_embedded_worker(tmp_path: Path) -> None:
    result = settings_with(tmp_path, SOAR_TASK_BACKEND="rq", REDIS_URL="redis://:pw@127.0.0.1:6380/0")

    assert result.returncode == 0, result.stderr
    conf = json.loads(result.stdout)
    assert conf["backend"] == "django_tasks_rq.RQBackend"
    assert {"django_rq", "django_tasks_rq"} <= set(conf["apps"])
    assert conf["rq"] == {name: "redis://:pw@127.0.0.1:6380/1" for name in conf["queues"]}
    assert conf["embedded"] is False


def test_soar_rq_url_wins_and_the_embedded_worker_runs_when_asked(tmp_path: Path) -> None:
    result = settings_with(tmp_path, SOAR_TASK_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/0",
                           SOAR_RQ_URL="redis://127.0.0.1:6379/5", SOAR_EMBEDDED_WORKER="1")

    assert result.returncode == 0, result.stderr
    conf = json.loads(result.stdout)
    assert set(conf["rq"].values()) == {"redis://127.0.0.1:6379/5"} and conf["embedded"] is True
