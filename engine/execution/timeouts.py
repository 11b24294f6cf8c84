"""Stop a block that runs past its time limit without killing the worker.

Python cannot kill a thread, but it can raise an exception in one: a watchdog raises
BlockTimeout in the worker thread at the deadline (checked between bytecodes, so a block
stuck inside one long C call is stopped when that call returns). One watchdog thread
serves every worker thread of the process: a thread per block cost more than the block.
"""
from __future__ import annotations

import ctypes
import heapq
import itertools
import threading
import time


class BlockTimeout(BaseException):
    """Raised inside playbook code at its deadline. A BaseException, so a playbook's own
    `except Exception:` cannot swallow it."""


class _Watchdog:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int]] = []
        self._active: dict[int, int] = {}  # token -> thread ident
        self._fired: set[int] = set()
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None
        # When the watchdog wakes up next by itself. Waking it costs a thread switch per
        # block, so an arm does so only for a deadline before that.
        self._wakes_at = 0.0

    def arm(self, seconds: float) -> int:
        token = next(self._tokens)
        deadline = time.monotonic() + seconds
        with self._cond:
            # Blocks finish about in the order they started: dropping finished deadlines
            # here too keeps the heap small while the watchdog sleeps.
            self._drop_finished()
            self._active[token] = threading.get_ident()
            heapq.heappush(self._heap, (deadline, token))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="block-watchdog", daemon=True)
                self._thread.start()
            # (A watchdog that is not waiting reads the heap before it waits again.)
            if deadline < self._wakes_at:
                self._cond.notify()
        return token

    def disarm(self, token: int) -> bool:
        """Forget the deadline; True when it had already fired."""
        with self._cond:
            self._active.pop(token, None)
            if token in self._fired:
                self._fired.discard(token)
                return True
            return False

    def _drop_finished(self) -> None:
        """Pop the deadlines of blocks that finished in time off the top (lock held)."""
        while self._heap and self._heap[0][1] not in self._active:
            heapq.heappop(self._heap)

    def _loop(self) -> None:
        with self._cond:
            while True:
                self._drop_finished()
                now = time.monotonic()
                if not self._heap:
                    self._wakes_at = now + _IDLE_S
                    self._cond.wait(timeout=_IDLE_S)
                    continue
                deadline, token = self._heap[0]
                delay = deadline - now
                if delay > 0:
                    self._wakes_at = now + min(delay, _IDLE_S)
                    self._cond.wait(timeout=min(delay, _IDLE_S))
                    continue
                heapq.heappop(self._heap)
                ident = self._active.pop(token, None)
                if ident is not None:
                    self._fired.add(token)
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(BlockTimeout))


_IDLE_S = 60.0  # the longest the watchdog sleeps without being woken

_watchdog = _Watchdog()


class time_limit:  # noqa: N801 - used like the generator it replaced; a class costs less per step
    """Raise BlockTimeout in this thread if the block runs longer than `seconds`."""

    __slots__ = ("_seconds", "_token")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds

    def __enter__(self) -> None:
        self._token = _watchdog.arm(self._seconds)

    def __exit__(self, *exc: object) -> None:
        if _watchdog.disarm(self._token):
            # The exception may not have been delivered yet if the block ended just in time;
            # clear it so it cannot hit unrelated code later in this thread.
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(threading.get_ident()), None)
