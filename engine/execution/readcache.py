"""Reads shared by the steps of one SQLite batch: containers and their artifacts.

A batch worker executes a dozen steps in one SQLite write transaction, and most of them
read the same container (its runs' steps follow each other) and its artifacts. While the
batch holds SQLite's write lock no other connection can change a row, so a row read once
stays true until this connection itself writes to its table. Every statement of this
connection is watched while the batch runs (Django's execute wrappers for the ORM, the
engine's raw cursor for the rest): any statement that is not a SELECT and names a table
drops what was read from it. Callers get copies: playbook code may change what it
receives.

Not used on PostgreSQL, where other workers write concurrently.
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from engine.apps.base import copy_json

_local = threading.local()


class BatchReads:
    """What this batch has read, by table."""

    __slots__ = ("artifacts", "containers")

    def __init__(self) -> None:
        self.containers: dict[int, dict[str, Any]] = {}
        self.artifacts: dict[Any, list[dict[str, Any]]] = {}

    def wrote(self, sql: str) -> None:
        """A statement ran: forget what it may have changed."""
        head = sql.lstrip()[:6].upper()
        if head == "SELECT" or head.startswith(("SAVEPO", "RELEAS")):
            return
        if head.startswith("ROLLBA"):
            # A step undone to its savepoint may have changed anything it read since.
            self.containers.clear()
            self.artifacts.clear()
            return
        if "engine_container" in sql:
            self.containers.clear()
        if "engine_artifact" in sql:
            self.artifacts.clear()

    def watch(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        """Django execute wrapper (ORM statements of this connection)."""
        self.wrote(sql)
        return execute(sql, params, many, context)


def active() -> BatchReads | None:
    return getattr(_local, "reads", None)  # type: ignore[no-any-return]


@contextlib.contextmanager
def batch_reads(conn: Any) -> Iterator[BatchReads | None]:
    """Share reads between the steps of a batch on SQLite (None elsewhere)."""
    if conn.vendor != "sqlite":
        yield None
        return
    reads = BatchReads()
    _local.reads = reads
    try:
        with conn.execute_wrapper(reads.watch):
            yield reads
    finally:
        _local.reads = None


def _shared[T](cache: str, key: Any, load: Callable[[], T]) -> T:
    reads = active()
    if reads is None:
        return load()
    entries: dict[Any, Any] = getattr(reads, cache)
    found = entries.get(key)
    if found is None:
        found = entries[key] = load()
    return copy_json(found)  # type: ignore[no-any-return]


def container(pk: int, load: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The container's dict, read once per batch (a copy each time)."""
    return _shared("containers", pk, load)


def artifacts(key: Any, load: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Artifact dicts for a (container, selection) key, read once per batch (copies)."""
    return _shared("artifacts", key, load)
