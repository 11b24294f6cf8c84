"""Asset secrets never reach what a run stores: logs, events, results, notes.

Playbook code can read an asset's decrypted configuration (it is Python in this process)
and a connector may echo a credential back; whatever a run writes passes through
``current().value(...)`` first, which replaces the decrypted secret of any asset with
``***``. Keeping playbook code away from the secrets is the engine's second design, not
this module's.

The set of secrets is read with one query and decrypted only when the stored ciphertexts
changed; inside ``for_batch()`` (a worker's batch of steps) it is read once for the whole
batch, whatever the batch writes.
"""
from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any

MASK = "***"
# Shorter values would mask ordinary words and digits all over the logs ("1", "test").
MIN_LENGTH = 4


class Redactor:
    """Replaces any of a fixed set of secret strings, wherever they occur in a value."""

    __slots__ = ("pattern",)

    def __init__(self, secrets: Iterable[str]) -> None:
        found = sorted({s for s in secrets if len(s) >= MIN_LENGTH}, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, found))) if found else None

    def text(self, value: str) -> str:
        if self.pattern is None or self.pattern.search(value) is None:
            return value
        return self.pattern.sub(MASK, value)

    def value(self, value: Any) -> Any:
        """`value` with every secret masked: strings, and the keys and items of dicts,
        lists and tuples, recursively. Unchanged values are returned as they are (no copy)."""
        if self.pattern is None:
            return value
        return self._walk(value)

    def _walk(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return self.text(value)
        if kind is dict:
            changed = False
            out = {}
            for key, item in value.items():
                new_key = self.text(key) if type(key) is str else key
                new_item = self._walk(item)
                changed = changed or new_key is not key or new_item is not item
                out[new_key] = new_item
            return out if changed else value
        if kind is list or kind is tuple:
            items = [self._walk(v) for v in value]
            if all(a is b for a, b in zip(value, items, strict=True)):
                return value
            return items if kind is list else tuple(items)
        return value


_NONE = Redactor(())
_cache: tuple[frozenset[str], Redactor] = (frozenset(), _NONE)
_cache_lock = threading.Lock()
_scope = threading.local()


def _stored_ciphertexts() -> frozenset[str]:
    from engine.assets import is_encrypted
    from engine.models import Asset

    return frozenset(v for config in Asset.objects.values_list("configuration", flat=True)
                     for v in (config or {}).values() if is_encrypted(v))


def _build() -> Redactor:
    global _cache
    stored = _stored_ciphertexts()
    with _cache_lock:
        if stored == _cache[0]:
            return _cache[1]
    from engine.assets import decrypt_value

    redactor = Redactor(s for s in (decrypt_value(v) for v in stored) if s)
    with _cache_lock:
        _cache = (stored, redactor)
    return redactor


def current() -> Redactor:
    """The redactor for what is written now: the batch's, or read afresh outside a batch."""
    scoped: Redactor | None | bool = getattr(_scope, "redactor", False)
    if scoped is False:
        return _build()
    if scoped is None:
        scoped = _scope.redactor = _build()
    return scoped  # type: ignore[return-value]


@contextlib.contextmanager
def for_batch() -> Iterator[None]:
    """Read the secrets at most once for everything written inside the block (lazily: a
    batch that writes nothing reads nothing)."""
    outer = getattr(_scope, "redactor", False)
    if outer is False:
        _scope.redactor = None
    try:
        yield
    finally:
        if outer is False:
            _scope.redactor = False


def scrub(value: Any) -> Any:
    """`value` with every asset secret masked (see Redactor.value)."""
    return current().value(value)
