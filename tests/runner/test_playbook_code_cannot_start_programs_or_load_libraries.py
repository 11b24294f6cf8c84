"""The runner's audit hook refuses starting programs, signalling processes, ctypes and
sqlite3 with PermissionError, before any playbook code runs, and code cannot remove it."""
from __future__ import annotations

import pytest

from tests.runner.helpers import run

REFUSED = {
    "os.system": "os.system('true')",
    "subprocess": "import subprocess\n    subprocess.run(['true'])",
    "os.exec": "os.execv('/bin/true', ['true'])",
    "os.spawn": "os.spawnv(os.P_WAIT, '/bin/true', ['true'])",
    "os.posix_spawn": "os.posix_spawn('/bin/true', ['true'], {})",
    "os.fork": "os.fork()",
    "os.kill": "os.kill(os.getppid(), 0)",
    "ctypes": "import ctypes\n    ctypes.CDLL('libc.so.6')",
    "sqlite3": "import sqlite3\n    sqlite3.connect(':memory:')",
}


@pytest.mark.parametrize("body", REFUSED.values(), ids=REFUSED.keys())
def test_it_fails_the_block_with_a_permission_error(body: str) -> None:
    outcome = run(f"import os\n\ndef fn():\n    {body}\n", block="sneaky")
    assert outcome.status == "error"
    assert outcome.error.startswith("PermissionError in sneaky: ")
    assert outcome.error.endswith("is not allowed in playbook code")


def test_it_lets_code_catch_the_refusal_and_the_hook_stays() -> None:
    outcome = run("""
        import os
        import sys

        def fn():
            sys.addaudithook(lambda event, args: None)  # adding one never removes ours
            try:
                os.system("true")
            except PermissionError:
                pass
            try:
                os.system("true")
            except PermissionError as exc:
                return str(exc)
        """)
    assert outcome.value == "os.system is not allowed in playbook code"


def test_it_refuses_the_introspection_that_would_reach_the_hook() -> None:
    outcome = run("import gc\n\ndef fn():\n    return len(gc.get_objects())\n")
    assert outcome.status == "error" and "gc.get_objects is not allowed" in outcome.error
