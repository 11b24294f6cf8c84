"""The pool of runner processes and `execute`, the engine's side of a job.

Runners are started with subprocess (`python -I`, not fork: no copy of the server's
memory, no inherited connections) with a minimal environment, and replaced in the
background when one dies, times out or runs out of memory, so the next job does not pay
for a start-up. The calling thread talks to its runner directly: no thread per job, one
poll() per message for the deadline (skipped when a message is already read ahead).
"""
from __future__ import annotations

import logging
import os
import pickle
import queue
import select
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from engine.runner import protocol
from engine.runner.protocol import Job, Outcome

log = logging.getLogger(__name__)

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_BOOT = ("import sys; sys.path.insert(0, sys.argv[3]); from engine.runner.child import main; "
         "main(int(sys.argv[1]), int(sys.argv[2]))")
_KEPT_ENV = ("PATH", "LANG", "TZ", "HOME")
_START_TIMEOUT_S = 30.0
# The largest message a runner may send (a vault attachment's bytes are the big ones): past
# it the engine drops the runner rather than buffer whatever it claims to send.
_MAX_MESSAGE = 256 * 1024 * 1024

Serve = Callable[[str, str, tuple[Any, ...], dict[str, Any], str], Any]
Events = Callable[[list[tuple[str, dict[str, Any]]]], None]


@dataclass(frozen=True)
class Config:
    size: int
    memory_mb: int
    var_dir: str
    vault_tmp_dir: str
    files: tuple[str, ...] = field(default=())  # refused to playbook code besides the var dir
    pin: bool = True  # each runner on one CPU, the thread driving it there too (see Pool.execute)


class RunnerDied(Exception):
    pass


class _Invalid(Exception):
    """A runner sent what it may not, or garbage: it is not trusted again."""


def _read(channel: protocol.Channel) -> tuple[Any, ...]:
    data = channel.recv(_MAX_MESSAGE)  # EOFError / OSError: the runner died (or sent too much)
    try:
        message = protocol.loads_from_runner(data)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise _Invalid(str(exc)) from None
    if not isinstance(message, tuple) or not message or _LENGTHS.get(message[0]) != len(message):
        raise _Invalid("not a message")
    return message


_LENGTHS = {"ready": 2, "call": 7, "done": 7, "post": 2}
_RUNNER_EVENTS = frozenset({"block.started", "block.finished"})


def _deliver(entries: Any, serve: Serve, events: Events, blocks: list[str]) -> None:
    """Hand buffered events to `events` and execute deferred calls, in their order; keep
    `blocks`, the runner's block stack as its events tell it (a job stopped mid-block is
    reported with the innermost)."""
    if not isinstance(entries, list):
        raise _Invalid("buffered entries are not a list")
    pending: list[tuple[str, dict[str, Any]]] = []
    for entry in entries:
        if not isinstance(entry, tuple) or len(entry) != 2 or not isinstance(entry[0], str):
            raise _Invalid("a buffered entry is not (kind, payload)")
        if entry[0]:
            # Only the events the runner makes itself: a runner must not forge run events.
            payload = entry[1]
            if entry[0] not in _RUNNER_EVENTS or not isinstance(payload, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in payload.items()):
                raise _Invalid(f"a runner may not emit {entry[0]!r} events")
            if entry[0] == "block.started":
                blocks.append(payload.get("block", ""))
            elif blocks:
                blocks.pop()
            pending.append(entry)
            continue
        if pending:
            events(pending)
            pending = []
        try:
            call = protocol.loads_from_runner(entry[1])
            module, name, args, kwargs, block = call
        except Exception as exc:
            raise _Invalid(f"a deferred call is malformed ({exc})") from None
        try:
            serve(module, name, args, kwargs, block)
        except Exception as exc:  # nobody waits for its value: its error goes to the run's log
            events([("debug", {"level": "error", "message": f"phantom.{name}: {type(exc).__name__}: {exc}",
                               "block": block})])
    if pending:
        events(pending)


class Runner:
    """One runner process and its two pipe ends."""

    def __init__(self, config: Config, cpu: int | None = None) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = {k: os.environ[k] for k in _KEPT_ENV if k in os.environ}
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-c", _BOOT, str(to_child_r), str(from_child_w), _ROOT],
                pass_fds=(to_child_r, from_child_w), env=env, stdin=subprocess.DEVNULL, close_fds=True)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self.pid = self.process.pid
        self.cpu = cpu
        if cpu is not None:
            try:
                os.sched_setaffinity(self.pid, {cpu})
            except OSError:
                self.cpu = None
        self.channel = protocol.Channel(from_child_r, to_child_w)
        self.sources: OrderedDict[str, int] = OrderedDict()
        self.next_token = 0
        self.poller = select.poll()
        self.poller.register(from_child_r, select.POLLIN)
        self.channel.send(protocol.dumps_to_runner({
            "memory_mb": config.memory_mb, "var_dir": config.var_dir, "vault_tmp_dir": config.vault_tmp_dir,
            "files": list(config.files)}))

    def token(self, source: str) -> tuple[int, str | None]:
        """The token of a module text for this runner, and the text when the runner has not
        got it (a 13 kB playbook costs ~20 us to send and hash; the str's hash is cached on
        the object the engine passes every time). Mirrors child._Runner.code's LRU."""
        sources = self.sources
        token = sources.get(source)
        if token is not None:
            sources.move_to_end(source)
            return token, None
        self.next_token += 1
        sources[source] = self.next_token
        while len(sources) > protocol.SOURCE_CACHE_SIZE:
            sources.popitem(last=False)
        return self.next_token, source

    def wait_ready(self) -> None:
        if not self.poller.poll(_START_TIMEOUT_S * 1000):
            self.kill()
            raise RunnerDied("the runner process did not start in time")
        try:
            message = protocol.loads_from_runner(self.channel.recv(_MAX_MESSAGE))
        except (EOFError, OSError) as exc:
            self.kill()
            raise RunnerDied(f"the runner process died while starting ({self.death()})") from exc
        if message[0] != "ready":
            self.kill()
            raise RunnerDied(f"the runner process said {message[0]!r} instead of ready")

    def kill(self) -> None:
        try:
            self.process.kill()
        except OSError:
            pass
        self.process.wait()
        self.close()

    def close(self) -> None:
        self.channel.close()

    def death(self) -> str:
        """How the process ended (waiting a little for one whose pipe just closed)."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.close()
        if code < 0:
            return f"signal {-code}"
        return f"exit code {code}"


class Pool:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.idle: queue.SimpleQueue[Runner | None] = queue.SimpleQueue()
        self.runners: set[Runner] = set()
        self.lock = threading.Lock()
        self.closed = False
        cpus = sorted(os.sched_getaffinity(0)) if config.pin and hasattr(os, "sched_setaffinity") else []
        self.cpus = cpus if len(cpus) > 1 else []
        # Started together, waited for together.
        starting = [Runner(config, self.cpus[i % len(self.cpus)] if self.cpus else None) for i in range(config.size)]
        for runner in starting:
            runner.wait_ready()
            self._add(runner)

    def _add(self, runner: Runner) -> None:
        with self.lock:
            if self.closed:
                runner.kill()
                return
            self.runners.add(runner)
        self.idle.put(runner)

    def replace(self, dead: Runner) -> None:
        """Forget a dead runner and start another in the background."""
        with self.lock:
            self.runners.discard(dead)
            if self.closed:
                return

        def start() -> None:
            delay = 0.1
            while not self.closed:  # a pool that cannot start runners would leave its jobs waiting
                try:
                    runner = Runner(self.config, dead.cpu)
                    runner.wait_ready()
                except (OSError, RunnerDied) as exc:
                    log.error("could not start a runner process (%s); trying again in %.1f s", exc, delay)
                    time.sleep(delay)
                    delay = min(delay * 2, 5.0)
                    continue
                self._add(runner)
                return

        threading.Thread(target=start, name="runner-replace", daemon=True).start()

    def stop(self) -> None:
        with self.lock:
            self.closed = True
            runners, self.runners = list(self.runners), set()
        for runner in runners:
            runner.kill()
        self.idle.put(None)  # wakes whoever waits for a runner (each waiter passes it on)

    def execute(self, job: Job, serve: Serve, events: Events) -> Outcome:
        runner = self.idle.get()
        if runner is None:
            self.idle.put(None)
            raise RuntimeError("the runner pool was stopped")
        deadline = time.monotonic() + job.time_limit_s
        block = job.block or job.function
        healthy = False
        # A call is a wake-up of the other process; across CPUs each costs an
        # inter-processor interrupt (on this 2-vCPU VM a pipe round trip measured 35 us
        # across CPUs, 6 us on one). The job's thread and its runner take turns, never run
        # at once: they share the runner's CPU for the job.
        cpus = os.sched_getaffinity(0) if runner.cpu is not None else None
        if cpus is not None:
            try:
                os.sched_setaffinity(0, {runner.cpu})  # type: ignore[arg-type]
            except OSError:  # the CPU left this process's set: run unpinned
                cpus = None
        try:
            outcome, healthy = self._drive(runner, job, serve, events, deadline, block)
            return outcome
        finally:
            if cpus is not None:
                os.sched_setaffinity(0, cpus)
            if healthy:
                self.idle.put(runner)
            else:
                self.replace(runner)

    def _drive(self, runner: Runner, job: Job, serve: Serve, events: Events, deadline: float,
               block: str) -> tuple[Outcome, bool]:
        """Run the job on this runner; the outcome and whether the runner may serve again."""
        channel, poll = runner.channel, runner.poller.poll
        known_block = block
        blocks: list[str] = []
        try:
            token, source = runner.token(job.source)
            channel.send(protocol.dumps_to_runner((
                "job", token, source, job.kind, "", job.filename, job.function, job.args, job.kwargs, job.extra,
                job.block, job.time_limit_s, job.base_url)))
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not (channel.ready() or poll(remaining * 1000 + 1)):
                    runner.kill()
                    known_block = blocks[-1] if blocks else known_block
                    return Outcome("timeout", error=f"block {known_block} exceeded its time limit of "
                                                    f"{job.time_limit_s:g} s", failed_block=known_block), False
                message = _read(channel)
                kind = message[0]
                if kind == "call":
                    _, module, name, args, kwargs, known_block, buffered = message
                    if not isinstance(known_block, str):
                        raise _Invalid("a malformed call")
                    if buffered:
                        _deliver(buffered, serve, events, blocks)
                    try:
                        reply = protocol.dumps_to_runner(("ret", serve(module, name, args, kwargs, known_block)))
                    except Exception as exc:  # the runtime's error is the playbook code's to handle
                        reply = protocol.dumps_to_runner(protocol.exception_message(exc))
                    channel.send(reply)
                elif kind == "done":
                    _, status, value, error, trace, failed_block, buffered = message
                    if status not in ("ok", "error", "memory") or not all(
                            isinstance(text, str) for text in (error, trace, failed_block)):
                        raise _Invalid("a malformed outcome")
                    if buffered:
                        _deliver(buffered, serve, events, blocks)
                    if status == "memory":
                        runner.death()
                        return Outcome("memory", error=f"block {failed_block} exceeded its memory limit of "
                                                       f"{self.config.memory_mb} MB", failed_block=failed_block), False
                    return Outcome(status, value, error, trace, failed_block if status != "ok" else ""), True
                elif kind == "post":  # buffered entries flushed while the code runs on
                    _deliver(message[1], serve, events, blocks)
                else:
                    raise _Invalid(f"unexpected message {kind!r}")
        except (EOFError, OSError):
            how = runner.death()
            known_block = blocks[-1] if blocks else known_block
            return Outcome("crashed", error=f"block {known_block} stopped: the runner process died ({how})",
                           failed_block=known_block), False
        except _Invalid as exc:
            # A runner that sends what it may not (or garbage) is not trusted again.
            runner.kill()
            return Outcome("crashed", error=f"block {known_block} stopped: the runner sent an invalid message ({exc})",
                           failed_block=known_block), False
        except BaseException:
            runner.kill()  # e.g. KeyboardInterrupt mid-job: the runner's state is unknown
            raise

    def rss_bytes(self) -> list[int]:
        page = os.sysconf("SC_PAGE_SIZE")
        sizes = []
        with self.lock:
            pids = [r.pid for r in self.runners]
        for pid in pids:
            try:
                with open(f"/proc/{pid}/statm") as f:
                    sizes.append(int(f.read().split()[1]) * page)
            except OSError:
                continue
        return sizes

