"""Browser tests: a real daphne server on the test database, driven by Playwright in
Debian's Chromium (never a downloaded browser)."""
from __future__ import annotations

import atexit
import functools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from engine.execution.brokers import using_rq

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = ROOT / "var" / "e2e-screenshots"

# The sync Playwright API runs an event loop in the test thread; Django's ORM must still be
# usable from the test itself.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@functools.cache
def collected_static() -> Path:
    """`manage.py collectstatic` of the current build, once per test session, into a folder
    of its own (several sessions may run at once on one checkout)."""
    if not (ROOT / "static" / "editor" / "manifest.json").exists():
        pytest.fail("the front end is not built: `make frontend` (or `npm run --prefix editor/frontend build`)")
    root = Path(tempfile.mkdtemp(prefix="soar-e2e-static-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "soar.settings", "SOAR_TESTING": "1",
           "SOAR_STATIC_FROM_SOURCE": "0", "SOAR_STATIC_ROOT": str(root)}
    env.pop("PYTEST_CURRENT_TEST", None)
    done = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail("collectstatic failed: " + (done.stdout + done.stderr)[-3000:])
    return root


@contextmanager
def serve(*, embedded_worker: bool = True, workers: int = 0) -> Iterator[str]:
    """daphne on a free port serving the test database (plus `workers` separate worker
    processes of the task backend in use: `manage.py engine_rqworker` with
    SOAR_TASK_BACKEND=rq, `manage.py db_worker` otherwise); yields its URL, stops everything
    after."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "soar.settings",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "SOAR_EMBEDDED_WORKER": "1" if embedded_worker else "0",
           "DEBUG": "0",
           # The test database's settings (password hashers, no connection pool)...
           "SOAR_TESTING": "1",
           # ...but the front end exactly as `make run` serves it: collectstatic's output
           # under the manifest storage, not the source folders (issue 20: a dev-only serving
           # hid that the served build loaded React twice).
           "SOAR_STATIC_FROM_SOURCE": "0", "SOAR_STATIC_ROOT": str(collected_static())}
    env.pop("PYTEST_CURRENT_TEST", None)
    port = _free_port()
    # A file, not a pipe: nobody reads the log while the tests run, and a full pipe blocks daphne.
    log = tempfile.TemporaryFile()
    procs = [subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                               "soar.asgi:application"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)]
    worker = (["engine_rqworker"] if using_rq() else
              ["db_worker", "--queue-name", "*", "--interval", "0.05", "--no-startup-delay"])
    procs += [subprocess.Popen([sys.executable, "manage.py", *worker], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
              for _ in range(workers)]
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                if procs[0].poll() is not None:
                    log.seek(0)
                    pytest.fail("daphne exited: " + log.read().decode(errors="replace")[-3000:])
                if time.monotonic() > deadline:
                    pytest.fail("daphne did not answer within 30 s")
                time.sleep(0.1)
        yield url
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


@pytest.fixture
def live_server_url(transactional_db: Any) -> Iterator[str]:
    """daphne (HTTP + websockets + embedded worker) serving the test database."""
    with serve() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Module-scoped: the sync API keeps an event loop running in this thread while the
    # browser is open, which asyncio tests in later modules cannot share.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, request: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/login/")
    page.fill("[data-testid=login-username]", username)
    page.fill("[data-testid=login-password]", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=current-user]")


@pytest.fixture(scope="module")
def module_live_server_url(django_db_setup: Any) -> Iterator[str]:
    """Like live_server_url, but one daphne serves all the tests of a module (starting one
    costs 1-3 s). Each test still starts from a flushed database: request it with
    `django_db(transaction=True)`; the server reads whatever the test has committed."""
    with serve() as url:
        yield url
