"""Stop a block that runs past its time limit without killing the worker.

Python cannot kill a thread, but it can raise an exception in one: a watchdog raises
BlockTimeout in the worker thread at the deadline (checked between bytecodes, so a block
stuck inside one long C call is stopped when that call returns).
"""
from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class BlockTimeout(BaseException):
    """Raised inside playbook code at its deadline. A BaseException, so a playbook's own
    `except Exception:` cannot swallow it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    done = threading.Event()
    fired = threading.Event()

    def watchdog() -> None:
        if not done.wait(seconds):
            fired.set()
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(BlockTimeout))

    thread = threading.Thread(target=watchdog, name="block-watchdog", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        if fired.is_set():
            # The exception may not have been delivered yet if the block ended just in time;
            # clear it so it cannot hit unrelated code later in this thread.
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)
