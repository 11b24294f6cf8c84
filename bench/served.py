"""A server started as `make run` starts it, for the benchmarks that load it over HTTP.

`Served(setup=...)` makes a fresh SOAR_VAR_DIR (SQLite), migrates, runs `setup` (Python
for `manage.py shell` that prints one JSON object as its last line: what the benchmark
needs, e.g. a token) and serves `daphne -b 127.0.0.1 -p <free port> soar.asgi:application`
with the embedded worker, as the Makefile's `run` target does. Used as a context manager;
everything it made is removed on exit.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    def __init__(self, setup: str) -> None:
        self.setup_code = setup
        self.var_dir = tempfile.mkdtemp(prefix="soar-bench-served-")
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("DATABASE_URL", "REDIS_URL", "SOAR_TASK_BACKEND", "SOAR_RQ_URL")}
        self.env.update({"SOAR_VAR_DIR": self.var_dir, "DJANGO_SETTINGS_MODULE": "soar.settings",
                         "SOAR_EMBEDDED_WORKER": "1", "DEBUG": "0", "SOAR_STATIC_FROM_SOURCE": "1",
                         "LOG_LEVEL": "WARNING", "ALLOWED_HOSTS": "127.0.0.1,localhost"})
        self.manage = [sys.executable, "manage.py"]
        self.log = tempfile.TemporaryFile()
        self.server: subprocess.Popen[bytes] | None = None
        self.base = ""
        self.facts: dict[str, Any] = {}

    def shell(self, code: str, timeout: float = 300) -> str:
        out = subprocess.run([*self.manage, "shell", "-c", code], cwd=ROOT, env=self.env,
                             capture_output=True, text=True, timeout=timeout)
        if out.returncode:
            raise RuntimeError(f"manage.py shell failed: {out.stderr[-1500:]}")
        return out.stdout

    def __enter__(self) -> Served:
        try:
            subprocess.run([*self.manage, "migrate", "-v", "0"], cwd=ROOT, env=self.env, check=True,
                           capture_output=True, timeout=300)
            self.facts = json.loads(self.shell(self.setup_code).strip().splitlines()[-1])
            port = free_port()
            # As `make run` serves it (Makefile: daphne -b HOST -p PORT soar.asgi:application).
            self.server = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                                            "soar.asgi:application"], cwd=ROOT, env=self.env, stdout=self.log,
                                           stderr=subprocess.STDOUT)
            self.base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:  # the first request also starts the embedded worker
                try:
                    urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                    return self
                except OSError:
                    if self.server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("daphne did not answer: " + self.output()[-1500:]) from None
                    time.sleep(0.1)
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def alive(self) -> bool:
        return self.server is not None and self.server.poll() is None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
        self.log.close()
        shutil.rmtree(self.var_dir, ignore_errors=True)
