"""What crosses the pipe between the engine and a runner process, and how.

Messages are tuples pickled at protocol 5 (the fastest to build and read). The engine
never unpickles what a runner sends with the stock unpickler: playbook code controls
those bytes, and a pickle can name any importable callable (`os.system`) to be called on
load. `loads_from_runner` only resolves the few classes listed in `_FROM_RUNNER`; the
runner pickles everything else it sends into plain data first (`dumps_from_runner`).
The runner reads the engine's messages with a restricted unpickler too, not for the
engine's sake but so that a value it cannot use (a Django model a runtime function
returned) fails as a clear TypeError instead of importing Django into the runner.

Messages, engine → runner: ("job", source token, source or None, the Job's fields but its
source...) · ("ret", value) · ("exc", class name, module, args).
Runner → engine: ("ready", pid) · ("call", module, name, args, kwargs, block, events) ·
("done", status, value, error, traceback, failed_block, events).
This module imports nothing from Django (the runner imports it).
"""
from __future__ import annotations

import builtins
import collections
import datetime
import decimal
import enum
import io
import os
import pickle
import struct
import types
import uuid
from dataclasses import dataclass, field
from typing import Any

PROTOCOL = 5
SOURCE_CACHE_SIZE = 128  # compiled modules a runner keeps (the engine mirrors its choice)


@dataclass(frozen=True)
class Job:
    """One call into playbook code, executed by a runner process.

    kind: "call" (plain call), "callback" (SOAR callback: the first five args positional,
    `extra` keywords only those the function accepts), "custom_function" (kwargs are the
    parameters; the value must be JSON-able)."""

    kind: str
    source: str
    filename: str
    function: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    block: str = ""
    time_limit_s: float = 300.0
    base_url: str = ""


@dataclass
class Outcome:
    """How a job ended: status "ok" | "error" | "timeout" | "memory" | "crashed"."""

    status: str
    value: Any = None
    error: str = ""
    traceback: str = ""
    failed_block: str = ""


@dataclass(frozen=True)
class CallableRef:
    """A function passed to a phantom call (callback=fn): only its names cross."""

    name: str
    qualname: str


class CallableStub:
    """What the engine's runtime receives for a CallableRef: it has the attributes
    `_flow._callback_name` reads (a lambda's or nested function's names make it refuse the
    callback, as it refuses the real ones), and calling it is an error: the function lives
    in the runner."""

    __slots__ = ("__name__", "__qualname__")

    def __init__(self, name: str, qualname: str) -> None:
        self.__name__ = name
        self.__qualname__ = qualname

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{self.__qualname__} is playbook code: it runs in a runner process, not in the engine")

    def __repr__(self) -> str:
        return f"<playbook function {self.__qualname__}>"


def _stub(name: str, qualname: str) -> CallableStub:
    return CallableStub(name, qualname)


# Plain data types a pickle may name (besides those pickle encodes natively: None, bool,
# int, float, str, bytes, bytearray, tuple, list, dict, set, frozenset).
_DATA: dict[tuple[str, str], Any] = {
    ("datetime", "datetime"): datetime.datetime,
    ("datetime", "date"): datetime.date,
    ("datetime", "time"): datetime.time,
    ("datetime", "timedelta"): datetime.timedelta,
    ("datetime", "timezone"): datetime.timezone,
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("decimal", "Decimal"): decimal.Decimal,
    ("uuid", "UUID"): uuid.UUID,
    # Constructors of the builtin containers, for subclasses sent as their base type.
    ("builtins", "tuple"): tuple,
    ("builtins", "list"): list,
    ("builtins", "dict"): dict,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("builtins", "str"): str,
    ("builtins", "int"): int,
    ("builtins", "float"): float,
    ("builtins", "bytes"): bytes,
    ("builtins", "bytearray"): bytearray,
    ("builtins", "complex"): complex,
}
_PLAIN_TYPES = frozenset({datetime.datetime, datetime.date, datetime.time, datetime.timedelta, datetime.timezone,
                          collections.OrderedDict, decimal.Decimal, uuid.UUID, complex})

_GLOBALS = frozenset(_DATA.values()) | {CallableRef}

# The runner's CallableRef becomes a stub on the engine's side, at load time.
_FROM_RUNNER = {**_DATA, (__name__, "CallableRef"): _stub}
_FROM_ENGINE = {**_DATA, (__name__, "CallableRef"): CallableRef}


class RefusedPickle(pickle.UnpicklingError):
    """A pickle named a class or function outside the whitelist."""


class _Restricted(pickle.Unpickler):
    allowed: dict[tuple[str, str], Any] = {}

    def find_class(self, module: str, name: str) -> Any:
        found = self.allowed.get((module, name))
        if found is None:
            raise RefusedPickle(f"{module}.{name} may not cross between the engine and a runner")
        return found


class _FromRunner(_Restricted):
    allowed = _FROM_RUNNER


class _FromEngine(_Restricted):
    allowed = _FROM_ENGINE


def loads_from_runner(data: bytes) -> Any:
    """What a runner sent (untrusted): only plain data, CallableRefs become stubs."""
    return _FromRunner(io.BytesIO(data)).load()


def loads_from_engine(data: bytes) -> Any:
    return _FromEngine(io.BytesIO(data)).load()


def dumps_to_runner(message: Any) -> bytes:
    return pickle.dumps(message, PROTOCOL)


class _RunnerPickler(pickle.Pickler):
    """Pickles what playbook code hands over as plain data: functions as CallableRefs,
    subclasses of builtin types as their base type, anything else as its str() (what the
    runtime does with such values anyway: it JSON-encodes arguments with default=str)."""

    def reducer_override(self, obj: Any) -> Any:
        # Called only for objects pickle has no native opcode for (not for None, bool, int,
        # float, str, bytes, tuple, list, dict, set...), so plain data costs nothing here.
        kind = type(obj)
        if kind in _PLAIN_TYPES:
            return NotImplemented
        if kind is type:  # a class: by reference when the other side may load it, else its name
            return NotImplemented if obj in _GLOBALS else (str, (repr(obj),))
        if isinstance(obj, (types.FunctionType, types.MethodType, types.BuiltinFunctionType)) or (
                callable(obj) and not isinstance(obj, type) and hasattr(obj, "__qualname__")):
            return CallableRef, (str(getattr(obj, "__name__", "")), str(getattr(obj, "__qualname__", "")))
        if isinstance(obj, CallableRef):
            return CallableRef, (obj.name, obj.qualname)
        if isinstance(obj, enum.Enum) and type(obj.value) in (int, float, str, bytes):
            return type(obj.value), (obj.value,)
        base: Any
        for base in (int, float, str, bytes, tuple, list, dict, set, frozenset):
            if isinstance(obj, base):
                return base, (base(obj),)
        if isinstance(obj, datetime.datetime):
            return datetime.datetime, (obj.year, obj.month, obj.day, obj.hour, obj.minute, obj.second,
                                       obj.microsecond, obj.tzinfo if type(obj.tzinfo) is datetime.timezone else None)
        return str, (str(obj),)


def dumps_from_runner(message: Any) -> bytes:
    buffer = io.BytesIO()
    _RunnerPickler(buffer, PROTOCOL).dump(message)
    return buffer.getvalue()


# --- Exceptions -------------------------------------------------------------------------

def _plain(value: Any) -> bool:
    return value is None or type(value) in (str, int, float, bool, bytes)


def exception_message(exc: BaseException) -> tuple[str, str, str, tuple[Any, ...]]:
    """("exc", class name, its module, args): args as they are when plain, else its str()."""
    args = exc.args if all(_plain(a) for a in exc.args) else (str(exc),)
    return ("exc", type(exc).__name__, type(exc).__module__, args)


_MADE: dict[str, type[Exception]] = {}


def rebuild_exception(name: str, module: str, args: tuple[Any, ...], local: dict[str, type[BaseException]]) -> BaseException:
    """The exception to raise in playbook code: a builtin as itself, a runtime exception
    class as the runner's own class of that name (so `except phantom.PlaybookAPIError`
    works), anything else as an Exception subclass with the same name."""
    cls: Any = None
    if module == "builtins":
        candidate = getattr(builtins, name, None)
        if isinstance(candidate, type) and issubclass(candidate, Exception):
            cls = candidate
    if cls is None:
        cls = local.get(name)
    if cls is None:
        cls = _MADE.get(name)
        if cls is None:
            cls = _MADE[name] = type(name, (Exception,), {"__module__": "phantom.remote"})
    try:
        return cls(*args)  # type: ignore[no-any-return]
    except Exception:  # a constructor with other arguments: keep the message
        made = cls.__new__(cls)
        made.args = args
        return made  # type: ignore[no-any-return]


# --- Framing ----------------------------------------------------------------------------

_HEADER = struct.Struct("!I")
_CHUNK = 65536


class Channel:
    """Length-prefixed messages over a pair of pipe ends: one write per message and
    usually one read (what multiprocessing's Connection does in three Python-level steps
    and two reads). Messages read ahead wait in `buffer`: check `ready()` before waiting
    on the file descriptor."""

    __slots__ = ("rfd", "wfd", "buffer")

    def __init__(self, rfd: int, wfd: int) -> None:
        self.rfd, self.wfd, self.buffer = rfd, wfd, b""

    def send(self, data: bytes) -> None:
        view = memoryview(_HEADER.pack(len(data)) + data)
        write, wfd = os.write, self.wfd
        while view:
            view = view[write(wfd, view):]

    def ready(self) -> bool:
        buffer = self.buffer
        return len(buffer) >= 4 and len(buffer) >= 4 + _HEADER.unpack_from(buffer)[0]

    def recv(self, limit: int = 1 << 31) -> bytes:
        buffer, read, rfd = self.buffer, os.read, self.rfd
        while len(buffer) < 4:
            chunk = read(rfd, _CHUNK)
            if not chunk:
                raise EOFError
            buffer += chunk
        end = 4 + _HEADER.unpack_from(buffer)[0]
        if end - 4 > limit:
            raise OSError(f"a message of {end - 4} bytes is over the limit of {limit}")
        if len(buffer) < end:
            parts = bytearray(buffer)
            while len(parts) < end:
                chunk = read(rfd, max(_CHUNK, end - len(parts)))
                if not chunk:
                    raise EOFError
                parts += chunk
            buffer = bytes(parts)
        self.buffer = buffer[end:]
        return buffer[4:end]

    def close(self) -> None:
        """Close both ends, once (a file descriptor number closed twice may be someone
        else's by then)."""
        fds, self.rfd, self.wfd = (self.rfd, self.wfd), -1, -1
        for fd in fds:
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
