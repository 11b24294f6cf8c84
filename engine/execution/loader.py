"""Playbook modules, executed fresh for every step from a cached code object.

SOAR playbooks may not keep state in module globals between callbacks (callbacks can run
in other processes), so every step gets a new module namespace; only the compiled code
object is reused, which makes a fresh namespace cheap.
"""
from __future__ import annotations

import inspect
import threading
import types
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from engine.runtime.install import install_phantom
from engine.runtime.soarpaths import playbook_open

_CACHE: OrderedDict[str, types.CodeType] = OrderedDict()
_LOCK = threading.Lock()
_CACHE_SIZE = 128

STANDARD_KWARGS = ("filtered_artifacts", "filtered_results", "custom_function", "loop_state_json")


class PlaybookLoadError(Exception):
    pass


def _code(source: str, filename: str) -> types.CodeType:
    # Keyed by the text itself: the step loop passes the same str object every time
    # (runs.cached_playbook), whose hash Python keeps and whose equality is identity
    # first, where a digest would hash the whole text again on every step.
    key = source
    with _LOCK:
        code = _CACHE.get(key)
        if code is not None:
            _CACHE.move_to_end(key)
            return code
    try:
        code = compile(source, filename, "exec")
    except SyntaxError as exc:
        raise PlaybookLoadError(f"{filename} line {exc.lineno}: {exc.msg}") from None
    with _LOCK:
        _CACHE[key] = code
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return code


def check_source(source: str, name: str) -> None:
    """Raise PlaybookLoadError (with the line) when the module does not compile."""
    _code(source, f"<playbook {name}>")


def load_module(source: str, name: str) -> types.ModuleType:
    """A new module object with the playbook's top-level definitions executed."""
    install_phantom()
    filename = f"<playbook {name}>"
    module = types.ModuleType(f"playbook_{abs(hash(name))}")
    module.__file__ = filename
    module.__dict__["open"] = playbook_open  # SOAR's /opt/phantom/vault/tmp → our var dir
    exec(_code(source, filename), module.__dict__)  # noqa: S102 - running playbooks is the point
    return module


def function(module: types.ModuleType, name: str) -> Callable[..., Any]:
    fn = getattr(module, name, None)
    if not callable(fn):
        raise PlaybookLoadError(f"the playbook has no function named {name!r}")
    return fn  # type: ignore[no-any-return]


def call_callback(fn: Callable[..., Any], *, action: Any, success: Any, container: Any, results: Any,
                  handle: Any, extra: dict[str, Any] | None = None) -> Any:
    """Call a callback the way SOAR does, whatever generation of signature it has.

    The first five arguments go positionally (old playbooks name them differently); the
    newer keywords go only to functions that accept them (phantom-api.md §1.2).
    """
    accepted = _accepted(fn)
    kwargs = {k: v for k, v in (extra or {}).items() if accepted is None or k in accepted}
    return fn(action, success, container, results, handle, **kwargs)


def _accepted(fn: Callable[..., Any]) -> frozenset[str] | None:
    """Keyword names a function accepts, or None when it takes **kwargs (by code object:
    a module is executed afresh for every step, its functions' code is compiled once)."""
    target = inspect.unwrap(fn)
    if isinstance(target, types.FunctionType) and not hasattr(target, "__signature__"):
        # A plain function's parameter names and kinds are all in its code object.
        code = target.__code__
        known = _ACCEPTED.get(code, _UNKNOWN)
        if known is not _UNKNOWN:
            return known
        found = _signature_names(target)
        if len(_ACCEPTED) > 4096:
            _ACCEPTED.clear()
        _ACCEPTED[code] = found
        return found
    return _signature_names(target)


_UNKNOWN = object()
_ACCEPTED: dict[Any, Any] = {}


def _signature_names(target: Callable[..., Any]) -> frozenset[str] | None:
    try:
        params = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    return frozenset(p.name for p in params if p.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD))
