"""Fault injection for the durability tests: a worker kills itself (SIGKILL, as `kill -9`)
when it reaches a named point.

The points are the moments issue 21 names: inside a code step ("code_step", as its code
is handed to a runner; "code_call", while the code runs and the engine has just served one
of its phantom calls), inside a connector call ("connector_call", once it is claimed), and
between a step's work and its journal entry ("before_commit"). The environment variable SOAR_FAULT_KILL_AT names
the point(s) a test worker process should die at; unset (always, outside those tests),
`point()` is a dictionary lookup.
"""
from __future__ import annotations

import os
import signal

_ARMED = frozenset(p.strip() for p in os.environ.get("SOAR_FAULT_KILL_AT", "").split(",") if p.strip())


def point(name: str) -> None:
    if name in _ARMED:
        os.kill(os.getpid(), signal.SIGKILL)
