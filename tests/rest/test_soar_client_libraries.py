"""Independently written SOAR clients from PyPI, unmodified, against a server as `make run` starts it.

scripts/soar-clients/run.py drives them (docs/soar-clients.md); this module runs the quick
three of them when their venvs exist (made by a first run of the script, which installs
them from PyPI, so never here) and holds the server to what every call must get whatever
the share of working calls: an answer below 500, and a driver that reaches its end. The
share itself is a figure for the issue's note, not asserted.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "soar-clients" / "run.py"
VENVS = ROOT / "var" / "soar-clients" / "venvs"
QUICK = ("splunk-soar-mcp", "soarsdk", "pyphantomapi")

pytestmark = [
    pytest.mark.skipif(
        not all((VENVS / name / "soar-clients-spec.txt").exists() for name in QUICK),
        reason="the client venvs are not made: run `.venv/bin/python scripts/soar-clients/run.py` once",
    ),
    # The script serves its own throwaway SQLite database whatever the leg; once is enough.
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                       reason="the script serves its own SQLite database: it runs on the SQLite leg"),
]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("soar-clients")
    done = subprocess.run([sys.executable, str(SCRIPT), *QUICK, "--workdir", str(workdir)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads((workdir / "last-run.json").read_text())
    return result


def test_every_library_driver_runs_to_its_end(run: dict[str, Any]) -> None:
    for library in run["results"]:
        assert not library.get("error"), f"{library['library']}: {library.get('error')}"
        stopped = [c["message"] for c in library["results"] if c["call"] == "(driver stopped)"]
        assert not stopped, f"{library['library']} driver stopped: {stopped}"
        assert library["results"], f"{library['library']} made no call"


def test_no_client_call_gets_a_server_error(run: dict[str, Any]) -> None:
    errors = [f"{library['library']} {call['call']}: {call['method']} {call['path']} {call['statuses']}"
              for library in run["results"] for call in library["results"]
              if any(status >= 500 for status in call.get("statuses", []))]
    assert errors == []
