"""The built-in custom functions' modules (platform code the engine runs itself:
engine.execution.code), executed fresh for every call from a cached code object, as the
runner processes do for playbook code (engine.runner.child).
"""
from __future__ import annotations

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
