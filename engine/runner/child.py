"""A runner process: executes jobs (playbook functions, callbacks, custom functions) one
at a time, sending every platform call to the engine over its pipe.

Started by engine.runner.pool as `python -I -c BOOT <read fd> <write fd> <root>` with a
minimal environment. Its first message is its configuration; it then imports what it
needs, limits its memory, installs the sandbox (engine.runner.sandbox) and says "ready".
It never imports Django (tests/runner/test_the_runner_never_imports_django.py).
"""
from __future__ import annotations

import gc
import inspect
import json
import os
import signal
import sys
import traceback
import types
from collections import OrderedDict
from typing import Any

from engine.runner import protocol, sandbox, shim
from engine.runner.protocol import Job

_TRACE_FRAMES = 8
_FLUSH_S = 0.05  # how often a running job's buffered events are sent
_RUNNER_DIR = os.path.dirname(os.path.abspath(__file__))

# A MemoryError that escapes user code ends the process after its outcome is sent: the
# heap may be fragmented, and whatever the code left in module state may keep it full.
_MEMORY_EXIT = 3


class _Runner:
    def __init__(self, channel: protocol.Channel, vault_tmp_dir: str) -> None:
        self.channel = channel
        self.state = shim.State(self.call)
        self.open = sandbox.mapped_open(vault_tmp_dir)
        self.codes: OrderedDict[int, types.CodeType | SyntaxError] = OrderedDict()
        self.accepted: dict[types.CodeType, frozenset[str] | None] = {}
        self.sending = False
        self.parent = os.getppid()

    # --- the pipe ---------------------------------------------------------------------
    def send(self, data: bytes) -> None:
        # The flush timer's handler runs between bytecodes: it must never interleave its
        # message with one being written.
        self.sending = True
        try:
            self.channel.send(data)
        finally:
            self.sending = False

    def flush(self, signum: int, frame: Any) -> None:
        """SIGALRM while a job runs: send the buffered events and deferred calls, so a block
        that then hangs or dies has its log so far in the run (the engine reads it while it
        waits). Also where a runner orphaned in a long job notices and ends."""
        if os.getppid() != self.parent:
            os._exit(1)  # the engine died: nobody will read this job's outcome
        state = self.state
        if state.active and state.events and not self.sending:
            try:
                self.send(protocol.dumps_from_runner(("post", state.take_events())))
            except Exception:  # noqa: S110 - never an error in the user's code; the outcome still comes
                pass

    def call(self, module: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        state = self.state
        self.send(protocol.dumps_from_runner(("call", module, name, args, kwargs, state.block, state.take_events())))
        try:
            reply = protocol.loads_from_engine(self.channel.recv())
        except protocol.RefusedPickle as exc:
            raise TypeError(f"phantom.{name} returned a value playbook code cannot receive ({exc})") from None
        if reply[0] == "ret":
            return reply[1]
        raise protocol.rebuild_exception(reply[1], reply[2], reply[3], shim.EXCEPTIONS)

    def serve_forever(self) -> None:
        while True:
            try:
                data = self.channel.recv()
            except (EOFError, OSError):
                return  # the engine went away
            message = protocol.loads_from_engine(data)
            if message[0] == "job":
                self.send(self.run(Job(*message[3:]), message[1], message[2]))

    # --- a job ------------------------------------------------------------------------
    def run(self, job: Job, token: int, source: str | None) -> bytes:
        block = job.block or job.function
        state = self.state
        state.begin(block, job.base_url)
        memory = False
        value: Any = None
        signal.setitimer(signal.ITIMER_REAL, _FLUSH_S, _FLUSH_S)
        try:
            value = self.execute(job, token, source)
            status, error, trace = "ok", "", ""
        except MemoryError:
            memory = True
            status, error, trace = "memory", "", ""
        except BaseException as exc:  # user code: any error fails the job, never the runner
            failed = state.failed_block or block
            status, error, trace = "error", f"{type(exc).__name__} in {failed}: {exc}", _user_trace(exc)
            del exc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            state.active = False
        if memory:
            gc.collect()  # the frames holding the allocation are gone with the exception
        try:
            message = protocol.dumps_from_runner(("done", status, value, error, trace, state.failed_block or block,
                                                  state.take_events()))
        except Exception as exc:  # a return value that cannot be sent is the job's error
            message = protocol.dumps_from_runner(
                ("done", "error", None, f"{type(exc).__name__} in {block}: the value it returned cannot be stored ({exc})",
                 "", block, state.take_events()))
        if memory:
            self.send(message)
            os._exit(_MEMORY_EXIT)
        return message

    def execute(self, job: Job, token: int, source: str | None) -> Any:
        module = types.ModuleType(f"playbook_{abs(hash(job.filename))}")
        module.__file__ = job.filename
        namespace = module.__dict__
        namespace["open"] = self.open  # SOAR's /opt/phantom/vault/tmp → the vault temp dir
        exec(self.code(token, source, job.filename), namespace)  # noqa: S102 - running playbooks is the point
        fn = namespace.get(job.function)
        if not callable(fn):
            raise LookupError(f"the playbook has no function named {job.function!r}")
        if job.kind == "callback":
            accepted = self.accepted_keywords(fn)
            extra = {k: v for k, v in job.extra.items() if accepted is None or k in accepted}
            return fn(*job.args[:5], **extra)
        value = fn(*job.args, **job.kwargs)
        if job.kind == "custom_function":
            # Stored as the invocation's data: JSON-able by construction, as today (default=str).
            return json.loads(json.dumps(value, default=str))
        return value

    def code(self, token: int, source: str | None, filename: str) -> types.CodeType:
        """The compiled module by the engine's token for its text: the engine sends the
        text only with a token's first job (pool.Runner.token), and both sides forget
        the least recently used token past SOURCE_CACHE_SIZE, in the same order."""
        if source is not None:
            try:
                entry: types.CodeType | SyntaxError = compile(source, filename, "exec")
            except SyntaxError as exc:
                entry = SyntaxError(f"{filename} line {exc.lineno}: {exc.msg}")
            self.codes[token] = entry
            while len(self.codes) > protocol.SOURCE_CACHE_SIZE:
                self.codes.popitem(last=False)
        else:
            entry = self.codes[token]
            self.codes.move_to_end(token)
        if isinstance(entry, SyntaxError):
            raise entry
        return entry

    def accepted_keywords(self, fn: Any) -> frozenset[str] | None:
        """Keyword names a callback accepts, None when it takes **kwargs (same rules as
        engine/execution/loader.py `_accepted`)."""
        target = inspect.unwrap(fn)
        code = getattr(target, "__code__", None)
        if isinstance(target, types.FunctionType) and not hasattr(target, "__signature__") and code is not None:
            if code in self.accepted:
                return self.accepted[code]
            found = _signature_names(target)
            if len(self.accepted) > 4096:
                self.accepted.clear()
            self.accepted[code] = found
            return found
        return _signature_names(target)


def _signature_names(target: Any) -> frozenset[str] | None:
    try:
        params = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    return frozenset(p.name for p in params
                     if p.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD))


def _user_trace(exc: BaseException) -> str:
    """The traceback without the runner's own frames, at most the innermost eight."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not os.path.abspath(f.filename).startswith(_RUNNER_DIR + os.sep)]
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(frames[-_TRACE_FRAMES:]),
             *traceback.format_exception_only(type(exc), exc)]
    return "".join(lines)


def main(read_fd: int, write_fd: int) -> None:
    channel = protocol.Channel(read_fd, write_fd)
    config = protocol.loads_from_engine(channel.recv())
    runner = _Runner(channel, config["vault_tmp_dir"])
    signal.signal(signal.SIGALRM, runner.flush)
    shim.install(runner.state)
    # Imported before the sandbox and the memory limit: what every job may use.
    import ipaddress  # noqa: F401
    import re  # noqa: F401
    import urllib.request  # noqa: F401

    if config.get("memory_mb"):
        sandbox.limit_memory(int(config["memory_mb"]))
    sandbox.install(config["var_dir"], config["vault_tmp_dir"], tuple(config.get("files", ())))
    gc.freeze()  # the start-up heap stays out of the collector's view
    channel.send(protocol.dumps_from_runner(("ready", os.getpid())))
    runner.serve_forever()
    sys.exit(0)
