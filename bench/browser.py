"""A throwaway Playbook Studio server and a headless Chromium, for browser benchmarks and
scripts (bench/bench_editor.py, scripts/readme-screenshot).

`serve()` makes a temporary SOAR_VAR_DIR (SQLite), migrates it, seeds a user and playbooks
in a subprocess, starts daphne on a free port and removes everything on exit, as
tests/e2e/conftest.py does for the test database. `chromium()` launches Debian's
/usr/bin/chromium (never a downloaded browser). The editor front end must be built first
(`npm run --prefix editor/frontend build`).
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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
USERNAME = "admin"
PASSWORD = "playbook studio bench"


@dataclass
class Server:
    url: str
    username: str
    password: str
    playbook_ids: dict[str, int] = field(default_factory=dict)

    def editor_url(self, name: str) -> str:
        return f"{self.url}/playbooks/{self.playbook_ids[name]}/edit"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PYTEST_CURRENT_TEST")}
    env.update({"SOAR_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "soar.settings", "DEBUG": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost", "SOAR_EMBEDDED_WORKER": "0", "LOG_LEVEL": "WARNING",
                # Static files straight from the source folders (no collectstatic), fast hashing.
                "SOAR_TESTING": "1"})
    return env


def _check(cmd: Sequence[str], env: Mapping[str, str], what: str) -> str:
    out = subprocess.run(list(cmd), cwd=ROOT, env=dict(env), capture_output=True, text=True, timeout=300, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{what} failed: {(out.stderr or out.stdout)[-1500:]}")
    return out.stdout


@contextmanager
def serve(playbooks: Mapping[str, str] | None = None) -> Iterator[Server]:
    """A migrated, seeded server; `playbooks` maps names to SOAR playbook JSON text."""
    if not (ROOT / "static" / "editor" / "manifest.json").exists():
        raise RuntimeError("the editor front end is not built: npm run --prefix editor/frontend build")
    var_dir = Path(tempfile.mkdtemp(prefix="soar-browser-"))
    proc: subprocess.Popen[bytes] | None = None
    try:
        env = _env(var_dir)
        _check([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env, "migrate")
        spec = var_dir / "seed.json"
        spec.write_text(json.dumps({"playbooks": dict(playbooks or {})}), encoding="utf-8")
        out = _check([sys.executable, "-c", "from bench.browser import seed_main; seed_main()", str(spec)], env, "seeding")
        ids = {str(k): int(v) for k, v in json.loads(out.strip().splitlines()[-1]).items()}
        port = free_port()
        # A file, not a pipe: nobody reads daphne's log while the bench runs, and a full
        # pipe would block it (tests/e2e/conftest.py's serve() does the same).
        log_path = var_dir / "daphne.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                                     "soar.asgi:application"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    tail = log_path.read_bytes().decode(errors="replace")[-1500:]
                    raise RuntimeError("daphne exited: " + tail) from None
                if time.monotonic() > deadline:
                    raise RuntimeError("daphne did not answer within 30 s") from None
                time.sleep(0.1)
        yield Server(url, USERNAME, PASSWORD, ids)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(var_dir, ignore_errors=True)


def seed_main() -> None:
    """Runs inside `serve()`'s subprocess: the admin user and the playbooks; prints their ids."""
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    from editor.files import import_playbook_text

    spec = json.loads(Path(sys.argv[-1]).read_text(encoding="utf-8"))
    user = User.objects.create_superuser(USERNAME, email="", password=PASSWORD)  # as `manage.py ensure_admin`
    user.groups.add(Group.objects.get_or_create(name="admin")[0])
    ids: dict[str, int | None] = {}
    for name, text in spec["playbooks"].items():
        outcome = import_playbook_text(name, text, file=f"{name}.json", author=user)
        if outcome.playbook_id is None:
            raise SystemExit(f"could not import {name}: {outcome.line()}")
        ids[name] = outcome.playbook_id
    print(json.dumps(ids))


@contextmanager
def chromium(extra_args: Sequence[str] = ()) -> Iterator[Any]:
    """Headless Debian Chromium through Playwright's sync API."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*ARGS, *extra_args])
        try:
            yield browser
        finally:
            browser.close()


def login(page: Any, server: Server) -> None:
    page.goto(server.url + "/login/")
    page.fill("[data-testid=login-username]", server.username)
    page.fill("[data-testid=login-password]", server.password)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=current-user]")
