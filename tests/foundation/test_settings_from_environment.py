"""Settings come from the environment through strict parsers."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from soar.env import envbool, envint, envlist, secret_key

ROOT = Path(__file__).resolve().parents[2]


def settings_in_subprocess(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
        "'options': settings.DATABASES['default'].get('OPTIONS', {}), "
        "'layer': settings.CHANNEL_LAYERS['default']['BACKEND'], 'debug': settings.DEBUG, "
        "'hosts': settings.ALLOWED_HOSTS, 'embedded': settings.SOAR_EMBEDDED_WORKER, "
        "'key': settings.SECRET_KEY}))"
    )
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "SOAR_TASK_BACKEND", "SOAR_RQ_URL")}
    full = {**clean, "DJANGO_SETTINGS_MODULE": "soar.settings", "SOAR_VAR_DIR": str(tmp_path), **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True, timeout=60)


def test_the_default_is_sqlite_with_wal_and_immediate_transactions_and_the_in_memory_layer(tmp_path: Path) -> None:
    result = settings_in_subprocess(tmp_path)
    assert result.returncode == 0, result.stderr
    conf = json.loads(result.stdout)
    # Django's SQLite backend with cheaper savepoints (tests/engine/test_sqlite_savepoints.py).
    assert conf["engine"] == "soar.sqlite3"
    assert conf["options"]["transaction_mode"] == "IMMEDIATE" and "journal_mode=WAL" in conf["options"]["init_command"]
    assert conf["layer"] == "channels.layers.InMemoryChannelLayer"
    assert conf["embedded"] is True and conf["debug"] is False


def test_database_url_and_redis_url_switch_to_postgres_and_the_redis_layer(tmp_path: Path) -> None:
    result = settings_in_subprocess(tmp_path, DATABASE_URL="postgres://u:p@127.0.0.1:5432/x",
                                    REDIS_URL="redis://127.0.0.1:6379/0", SOAR_EMBEDDED_WORKER="0")
    conf = json.loads(result.stdout)
    assert conf["engine"] == "django.db.backends.postgresql"
    assert conf["layer"] == "channels_redis.core.RedisChannelLayer" and conf["embedded"] is False


def test_a_generated_secret_key_is_kept_in_a_local_file(tmp_path: Path) -> None:
    first = json.loads(settings_in_subprocess(tmp_path).stdout)["key"]
    second = json.loads(settings_in_subprocess(tmp_path).stdout)["key"]
    assert first == second and len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("env,needle", [
    ({"DEBUG": "maybe"}, "DEBUG"),
    ({"SOAR_WORKER_THREADS": "many"}, "SOAR_WORKER_THREADS"),
    ({"SOAR_WORKER_THREADS": "0"}, "minimum"),
    ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
    ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
])
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path: Path, env: dict[str, str], needle: str) -> None:
    result = settings_in_subprocess(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and needle in result.stderr


def test_the_parsers_accept_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in (("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False), ("", False)):
        monkeypatch.setenv("X_FLAG", raw)
        assert envbool("X_FLAG", not expected) is expected
    monkeypatch.setenv("X_INT", " 12 ")
    assert envint("X_INT", 1) == 12
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert envlist("X_LIST", []) == ["a", "b", "c"]
    monkeypatch.setenv("X_INT", "99")
    with pytest.raises(ImproperlyConfigured, match="maximum"):
        envint("X_INT", 1, maximum=10)


def test_an_explicit_secret_key_wins_over_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    assert secret_key(tmp_path / "secret_key", debug=False) == "k" * 40
    assert not (tmp_path / "secret_key").exists()
