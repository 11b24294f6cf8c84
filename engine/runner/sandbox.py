"""The runner process's guard rails, installed before any playbook code runs.

An audit hook (sys.addaudithook: CPython has no way to remove one) refuses, with
PermissionError("... is not allowed in playbook code"): starting programs (os.system,
os.exec*, os.spawn*, os.posix_spawn, os.fork/forkpty, subprocess.Popen), os.kill,
ctypes (loading libraries, calling foreign functions), sqlite3.connect, opening,
linking, renaming or removing files under the server's var directory (its database,
secret key, vault) except the vault's temp directory, opening another process's
/proc entries (the engine's environment), and the introspection that would let code
reach the hook itself (gc.get_objects / get_referrers / get_referents).

What it is not: a boundary against a determined attacker. The runner runs as the server's
OS user; the boundary that matters is that it holds nothing worth stealing (no
SECRET_KEY, no database credentials, no asset secrets in its environment or memory) and
that the engine trusts nothing it sends (protocol.loads_from_runner). The hook stops
ordinary code from doing what playbook code must not do.

Memory: RLIMIT_AS caps the address space; an allocation past it raises MemoryError.
This module imports nothing from Django.
"""
from __future__ import annotations

import os
import resource
import sys
from typing import Any

_REFUSED_EVENTS = frozenset({
    "os.system", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "os.forkpty", "os.kill", "os.killpg",
    "subprocess.Popen", "sqlite3.connect", "sqlite3.connect/handle", "pty.spawn",
    "gc.get_objects", "gc.get_referrers", "gc.get_referents",
})
_PATH_EVENTS = {"open": (0,), "os.link": (0, 1), "os.symlink": (0,), "os.rename": (0, 1), "os.remove": (0,),
                "os.rmdir": (0,), "os.truncate": (0,), "os.chmod": (0,), "os.chown": (0,), "shutil.copyfile": (0,)}


def limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def install(var_dir: str, vault_tmp_dir: str, extra_files: tuple[str, ...] = ()) -> None:
    """Install the audit hook. Everything it decides on is captured in this closure (not
    module globals a playbook could rebind); the hook object itself is referenced by no
    Python object."""
    realpath, fspath, getpid = os.path.realpath, os.fspath, os.getpid
    var_root = realpath(var_dir)
    var_prefix = var_root.rstrip("/") + "/"
    tmp_root = realpath(vault_tmp_dir)
    tmp_prefix = tmp_root.rstrip("/") + "/"
    # The vault's files (vault_info gives their paths; SOAR playbooks open them) may be
    # read, never written.
    vault_prefix = os.path.dirname(tmp_root).rstrip("/") + "/"
    files = frozenset(realpath(f) for f in extra_files)
    own_proc = (f"/proc/{getpid()}/", "/proc/self/", "/proc/thread-self/")
    refused, path_events = _REFUSED_EVENTS, dict(_PATH_EVENTS)
    busy = [False]  # realpath stats paths: no audit events today, but never recurse

    def forbidden_path(path: Any, reading: bool = False) -> bool:
        if isinstance(path, int) or path is None:
            return False  # a file descriptor already open
        try:
            text = fspath(path)
            if isinstance(text, bytes):
                text = text.decode("utf-8", "surrogateescape")
            real = realpath(text)
        except (TypeError, ValueError):
            return False
        if real in files:
            return True
        if real.startswith("/proc/") and not real.startswith(own_proc) and real[6:7].isdigit():
            return True
        if real == var_root or real.startswith(var_prefix):
            if reading and real.startswith(vault_prefix):
                return False
            return not (real == tmp_root or real.startswith(tmp_prefix))
        return False

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event in refused:
            raise PermissionError(f"{event} is not allowed in playbook code")
        if event.startswith("ctypes."):
            # `import ctypes` opens the process itself (PyDLL(None)); libraries such as
            # dateutil import ctypes without using it. Looking up a symbol, loading a
            # library or calling a foreign function is refused.
            if event == "ctypes.dlopen" and args and args[0] is None:
                return
            raise PermissionError(f"{event} is not allowed in playbook code")
        positions = path_events.get(event)
        if positions is None or busy[0]:
            return
        busy[0] = True
        try:
            reading = event == "open" and len(args) > 1 and isinstance(args[1], str) and not set(args[1]) & set("wax+")
            for i in positions:
                if i < len(args) and forbidden_path(args[i], reading):
                    raise PermissionError(f"{event} of {args[i]!r} is not allowed in playbook code")
        finally:
            busy[0] = False

    sys.addaudithook(hook)


def mapped_open(vault_tmp_dir: str) -> Any:
    """The `open` playbook modules get: SOAR's /opt/phantom/vault/tmp is the vault's temp
    directory here (engine.runtime.soarpaths' mapping, given the directory: no Django)."""
    import builtins

    from engine.runtime.soarpaths import map_path

    def playbook_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        return builtins.open(map_path(file, vault_tmp_dir), *args, **kwargs)

    return playbook_open
