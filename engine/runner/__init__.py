"""Runner processes: where playbook code and custom functions execute (issue 21, item 2).

    outcome = runner.execute(job, serve, events)

`execute` picks an idle runner (waiting for one when all are busy) and runs the Job there.
Every platform call the code makes (`phantom.act`, `collect2`, `save_run_data`, ...) comes
back to the calling thread as `serve(module, name, args, kwargs, current_block)`, whose
value or exception goes back to the code; events the runner produced itself
(block.started / block.finished) reach `events` in order, ahead of the call or outcome
that follows them. engine.runner.host builds `serve` and `events` over a StepContext.

A job over its time limit (measured over the whole job, calls included) or its memory
limit, or whose runner dies, ends with an Outcome saying so; its runner is replaced in
the background. Importing this package imports nothing from Django: runners import it.
"""
from __future__ import annotations

import os
import sys
import threading
from typing import Any

from engine.runner.pool import Config, Events, Pool, Serve
from engine.runner.protocol import CallableRef, Job, Outcome

__all__ = ["CallableRef", "Job", "Outcome", "execute", "rss_bytes", "start", "stop"]

_pool: Pool | None = None
_lock = threading.Lock()


def _settings() -> Any:
    """Django's settings when the engine has them configured (read, never imported here)."""
    conf = sys.modules.get("django.conf")
    settings = getattr(conf, "settings", None)
    return settings if settings is not None and settings.configured else None


def default_config(size: int | None = None, memory_mb: int | None = None) -> Config:
    settings = _settings()
    if settings is not None:
        var_dir = str(settings.VAR_DIR)
        vault_tmp = os.path.join(str(settings.SOAR_VAULT_DIR), "tmp")
        size = size or getattr(settings, "SOAR_RUNNERS", None)
        memory_mb = memory_mb or getattr(settings, "SOAR_RUNNER_MEMORY_MB", None)
        database = str(settings.DATABASES.get("default", {}).get("NAME") or "")
        files = (os.path.join(var_dir, "secret_key"), *((database,) if database.startswith("/") else ()))
    else:
        var_dir = os.path.abspath(os.environ.get("SOAR_VAR_DIR", "var"))
        vault_tmp = os.path.join(var_dir, "vault", "tmp")
        files = (os.path.join(var_dir, "secret_key"),)
    os.makedirs(vault_tmp, exist_ok=True)
    return Config(size=size or os.cpu_count() or 1, memory_mb=memory_mb or 512, var_dir=var_dir,
                  vault_tmp_dir=vault_tmp, files=files)


def start(size: int | None = None, *, memory_mb: int | None = None) -> None:
    """Pre-start the pool (idempotent): `size` runners (settings.SOAR_RUNNERS, else the
    number of cores), each limited to `memory_mb` (settings.SOAR_RUNNER_MEMORY_MB, else 512)."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = Pool(default_config(size, memory_mb))


def stop() -> None:
    """Stop every runner (a later `execute` starts the pool again)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.stop()


def execute(job: Job, serve: Serve, events: Events) -> Outcome:
    """Run `job` in an idle runner; see the module's docstring."""
    pool = _pool
    if pool is None:
        start()
        pool = _pool
        assert pool is not None
    return pool.execute(job, serve, events)


def rss_bytes() -> list[int]:
    """Resident memory of each runner process (from /proc), for the bench."""
    pool = _pool
    return pool.rss_bytes() if pool is not None else []
