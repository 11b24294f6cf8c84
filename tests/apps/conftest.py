"""Fixtures for the app catalogue tests: the SOAR app corpus and local HTTP servers."""

from __future__ import annotations

import ssl
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# Under ``-p no:django`` nothing puts the repo root on sys.path (pytest-django does).
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from engine.apps.catalogue import AppDef, load_apps  # noqa: E402
from tests.apps.servers import LocalServer, self_signed, serve  # noqa: E402

CORPUS_DIR = REPO_ROOT.parent / "shared" / "apps"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"SOAR app corpus not found at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus(corpus_dir: Path) -> list[AppDef]:
    return load_apps(corpus_dir)


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    yield from serve(None, slow_s=2.0)


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[LocalServer]:
    cert_path, key_path = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    yield from serve(context, slow_s=2.0)
