"""Fixtures for the catalogue tests: the shared SOAR apps and playbooks, app JSON builders.

Importing ``engine.catalogue`` here (at collection, before the test database is built)
connects its post_migrate and load_demo receivers even before ``EngineConfig.ready()``
imports it.
"""
from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import engine.catalogue  # noqa: F401  connects the post_migrate and load_demo receivers
from tests.catalogue.helpers import SAMPLE_APP, SHARED_APPS, SHARED_PLAYBOOKS, load_apps_command


@pytest.fixture
def sample_app() -> dict[str, Any]:
    """A fresh, editable copy of :data:`SAMPLE_APP`."""
    return copy.deepcopy(SAMPLE_APP)


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[str, Any], Path]:
    """Write ``data`` as JSON to ``tmp_path/name`` and return the path."""
    def write(name: str, data: Any) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
        return path
    return write


@pytest.fixture
def shared_apps() -> Path:
    if not SHARED_APPS.is_dir():
        pytest.skip(f"shared SOAR apps not found at {SHARED_APPS}")
    return SHARED_APPS


@pytest.fixture
def shared_playbooks() -> Path:
    if not SHARED_PLAYBOOKS.is_dir():
        pytest.skip(f"shared playbook corpus not found at {SHARED_PLAYBOOKS}")
    return SHARED_PLAYBOOKS


@pytest.fixture
def catalogue_of_shared_apps(db: Any, shared_apps: Path) -> Path:
    """The database catalogue with every app of ../shared/apps loaded."""
    _, err, failed = load_apps_command(shared_apps)
    assert not failed, err
    return shared_apps
