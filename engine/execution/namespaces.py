"""When a playbook module executed for one step may serve the next one unchanged.

Every step must see the module as executing it afresh would leave it (phantom-api.md §6:
nothing survives in module globals between callbacks). Executing it costs a few percent of
a run: a dozen functions and their decorators built, then collected again. So a worker
thread keeps the module it executed and hands it to the next step of the same playbook
while its namespace is still exactly what executing it gave:

- at load, every global is something a step cannot change in place: numbers, strings,
  None, tuples and frozensets of such values, modules, built-in functions, classes that
  come from elsewhere (a class the playbook defines is mutable), and functions whose
  defaults, attributes and closure cells are such values too; a module with any other
  global (a list, a dict, an instance…) is executed afresh for every step, as before;
- before each reuse the names are checked to be bound to the same objects, and each
  function to have the same code, defaults, attributes and closure contents; anything
  rebound, added or removed, and the module is executed afresh.
"""
from __future__ import annotations

import types
from typing import Any

_IMMUTABLE = (type(None), bool, int, float, complex, str, bytes, range, type(Ellipsis), type(NotImplemented))
_SHARED = (types.ModuleType, types.BuiltinFunctionType, types.BuiltinMethodType)
_MAX_DEPTH = 8


class Fingerprint:
    """What a module's namespace held right after it was executed."""

    __slots__ = ("_bindings", "_functions")

    def __init__(self, bindings: dict[str, Any], functions: list[tuple[types.FunctionType, tuple[Any, ...]]]) -> None:
        self._bindings = bindings
        self._functions = functions

    def unchanged(self, namespace: dict[str, Any]) -> bool:
        bindings = self._bindings
        if len(namespace) != len(bindings):
            return False
        for name, value in bindings.items():
            if namespace.get(name, _MISSING) is not value:
                return False
        return all(_same(_function_state(fn), state) for fn, state in self._functions)


_MISSING = object()


def fingerprint(namespace: dict[str, Any], module_name: str) -> Fingerprint | None:
    """The namespace's fingerprint, or None when it holds something a step could change
    in place (the module must then be executed for every step)."""
    functions: dict[int, tuple[types.FunctionType, tuple[Any, ...]]] = {}
    for name, value in namespace.items():
        if name == "__builtins__":
            continue  # the interpreter's own, the same for every execution
        if not _safe(value, module_name, functions, 0):
            return None
    return Fingerprint(dict(namespace), list(functions.values()))


def _safe(value: Any, module_name: str, functions: dict[int, tuple[types.FunctionType, tuple[Any, ...]]],
          depth: int) -> bool:
    if depth > _MAX_DEPTH:
        return False
    kind = type(value)
    if kind in _IMMUTABLE or isinstance(value, _SHARED):
        return True
    if kind is tuple or kind is frozenset:
        return all(_safe(v, module_name, functions, depth + 1) for v in value)
    if isinstance(value, type):
        # Imported classes are the same objects whoever imports them; one defined here
        # is made anew by every execution, and its attributes can change.
        return value.__module__ != module_name
    if kind is types.FunctionType:
        if id(value) in functions:
            return True
        functions[id(value)] = (value, _function_state(value))
        parts = [*(value.__defaults__ or ()), *(value.__kwdefaults__ or {}).values(), *value.__dict__.values(),
                 *(cell.cell_contents for cell in value.__closure__ or () if _filled(cell))]
        return all(_safe(v, module_name, functions, depth + 1) for v in parts)
    return False


def _filled(cell: types.CellType) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def _function_state(fn: types.FunctionType) -> tuple[Any, ...]:
    """Everything of a function a step could rebind, flat (compared by identity)."""
    cells = [cell.cell_contents if _filled(cell) else _MISSING for cell in fn.__closure__ or ()]
    return (fn.__code__, fn.__defaults__, fn.__kwdefaults__, *fn.__dict__.keys(), *fn.__dict__.values(), *cells)


def _same(now: tuple[Any, ...], then: tuple[Any, ...]) -> bool:
    return len(now) == len(then) and all(a is b for a, b in zip(now, then, strict=True))
