"""How fast this machine runs plain Python today: a yardstick for the other figures.

The machines this project is benchmarked on are shared and differ from session to
session: the same engine code has measured 6.8 and 1.8 ms of CPU per run a day apart. A fixed
pure-Python workload (the kinds of work a playbook step does most: calls, attribute and
dict lookups, small dicts and lists, string formatting), timed in this process without
the database, says how much of a change between two `make bench` outputs is the
machine's. Best of REPEATS: a neighbour's load only ever adds time.
"""

from __future__ import annotations

import time
from typing import Any

REPEATS = 7
ROUNDS = 20_000


class _Row:
    __slots__ = ("kind", "name", "payload", "status")

    def __init__(self, name: str, kind: str) -> None:
        self.name, self.kind, self.status, self.payload = name, kind, "pending", {}


def _step(i: int, table: dict[str, Any]) -> int:
    row = _Row(f"block_{i % 13}", "callback" if i % 3 else "action")
    row.payload = {"id": i, "name": row.name, "values": [i, i + 1, i + 2]}
    table[row.name] = row
    if row.kind == "action" and row.name in table:
        row.status = "done"
    return len(row.payload["values"]) + (1 if table.get(row.name) is row else 0)


def _workload() -> int:
    table: dict[str, Any] = {}
    total = 0
    for i in range(ROUNDS):
        total += _step(i, table)
    return total


def run() -> dict[str, Any]:
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        _workload()
        best = min(best, time.perf_counter() - started)
    return {"machine_python_yardstick_ms": round(best * 1000, 2)}


if __name__ == "__main__":
    print(run())
