"""What every driver shares: it runs inside a client library's own venv (stdlib only here).

A driver calls the library's public methods one by one through `Recorder.call` (or
`acall` for coroutines). A call works when the method returns without raising, no HTTP
exchange it made was answered with a status >= 400, and the driver's optional `check` of
the returned value finds nothing wrong (some libraries never raise and hand back the
error body, so the exchanges are what tell).

The exchanges are observed by wrapping the HTTP library's send method (requests'
Session.send, httpx's AsyncClient.send and Client.send): the wrapper only records method,
path, status and the error message of the answer, and returns the library's own response
unchanged. Nothing of the libraries' code or requests is altered.

The results go to the JSON file named by SOAR_CLIENTS_OUT; the runner reads it.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit


def _message(body: str) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        text = " ".join(body.split())
        return text[:160]
    if isinstance(data, dict):
        for key in ("message", "detail", "error"):
            if data.get(key):
                return str(data[key])[:160]
    return json.dumps(data)[:160]


class CallTimedOut(Exception):
    pass


def _timed_out(signum: int, frame: Any) -> None:
    raise CallTimedOut("no answer within the driver's time limit (the method kept polling)")


class Recorder:
    def __init__(self, library: str, version: str) -> None:
        self.library = library
        self.version = version
        self.results: list[dict[str, Any]] = []
        self.exchanges: list[dict[str, Any]] = []
        self.seed: dict[str, Any] = json.loads(os.environ.get("SOAR_CLIENTS_SEED", "{}"))
        self.base_url = os.environ["SOAR_CLIENTS_BASE_URL"]
        self.tls_base_url = os.environ.get("SOAR_CLIENTS_TLS_URL", "")
        self.token = os.environ["SOAR_CLIENTS_TOKEN"]
        self.username = os.environ["SOAR_CLIENTS_USERNAME"]
        self.password = os.environ["SOAR_CLIENTS_PASSWORD"]
        self.note = ""
        self._observe()

    # -- observation ----------------------------------------------------------------
    def record_exchange(self, method: str, url: str, status: int, body: str) -> None:
        parts = urlsplit(str(url))
        self.exchanges.append({
            "method": method, "path": parts.path, "query": parts.query[:200], "status": status,
            "message": _message(body) if status >= 400 else "",
        })

    def _observe(self) -> None:
        recorder = self
        try:
            import requests
        except ImportError:
            requests = None  # type: ignore[assignment]
        if requests is not None:
            original = requests.Session.send

            def send(session: Any, request: Any, **kwargs: Any) -> Any:
                response = original(session, request, **kwargs)
                body = response.text if response.status_code >= 400 else ""
                recorder.record_exchange(request.method, request.url, response.status_code, body)
                return response

            requests.Session.send = send  # type: ignore[method-assign]
        try:
            import httpx
        except ImportError:
            return
        async_original = httpx.AsyncClient.send

        async def asend(client: Any, request: Any, **kwargs: Any) -> Any:
            response = await async_original(client, request, **kwargs)
            body = ""
            if response.status_code >= 400:
                await response.aread()
                body = response.text
            recorder.record_exchange(request.method, str(request.url), response.status_code, body)
            return response

        httpx.AsyncClient.send = asend  # type: ignore[method-assign]
        sync_original = httpx.Client.send

        def ssend(client: Any, request: Any, **kwargs: Any) -> Any:
            response = sync_original(client, request, **kwargs)
            body = ""
            if response.status_code >= 400:
                response.read()
                body = response.text
            recorder.record_exchange(request.method, str(request.url), response.status_code, body)
            return response

        httpx.Client.send = ssend  # type: ignore[method-assign]

    def lookup(self, path: str) -> Any:
        """GET /rest/<path> with urllib (not observed, not counted): ids and values a driver needs."""
        import urllib.request

        request = urllib.request.Request(f"{self.base_url}/rest/{path}", headers={"ph-auth-token": self.token})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except (OSError, ValueError):
            return None

    # -- calls ----------------------------------------------------------------------
    def _start(self) -> float:
        self.exchanges = []
        return time.perf_counter()

    def _finish(self, name: str, began: float, value: Any, error: BaseException | None,
                check: Callable[[Any], str | None] | None, family: str, defect: str = "") -> None:
        problem = None
        if error is None and check is not None:
            try:
                problem = check(value)
            except Exception as exc:  # a check that cannot read the value is a failure of the call
                problem = f"unexpected answer: {type(exc).__name__}: {exc}"
        failed = [x for x in self.exchanges if x["status"] >= 400]
        first = failed[0] if failed else (self.exchanges[-1] if self.exchanges else None)
        if failed:
            message = first["message"] if first else ""
        elif error is not None:
            message = f"{type(error).__name__}: {error}"
        else:
            message = problem or ""
        self.results.append({
            "call": name,
            "family": family,
            "ok": error is None and not failed and not problem,
            "method": first["method"] if first else "",
            "path": first["path"] if first else "",
            "status": first["status"] if first else None,
            "message": " ".join(str(message).split())[:240],
            "requests": len(self.exchanges),
            "statuses": sorted({x["status"] for x in self.exchanges}),
            "ms": round((time.perf_counter() - began) * 1000),
        })
        if defect and not self.results[-1]["ok"]:
            # Fails whatever the server answers (read in the library's source): reported apart.
            self.results[-1]["defect"] = defect

    def call(self, name: str, fn: Callable[..., Any], *args: Any, family: str = "",
             check: Callable[[Any], str | None] | None = None, timeout: int = 0, defect: str = "",
             **kwargs: Any) -> Any:
        """Call fn; `timeout` (s) bounds a method that polls (SIGALRM interrupts it)."""
        began = self._start()
        value: Any = None
        error: BaseException | None = None
        previous = signal.signal(signal.SIGALRM, _timed_out) if timeout else None
        try:
            if timeout:
                signal.alarm(timeout)
            value = fn(*args, **kwargs)
        except Exception as exc:
            error = exc
        finally:
            if timeout:
                signal.alarm(0)
                signal.signal(signal.SIGALRM, previous)
        self._finish(name, began, value, error, check, family, defect)
        return value

    async def acall(self, name: str, fn: Callable[..., Awaitable[Any]], *args: Any, family: str = "",
                    check: Callable[[Any], str | None] | None = None, defect: str = "", **kwargs: Any) -> Any:
        began = self._start()
        value: Any = None
        error: BaseException | None = None
        try:
            value = await fn(*args, **kwargs)
        except Exception as exc:
            error = exc
        self._finish(name, began, value, error, check, family, defect)
        return value

    def fail(self, name: str, message: str, family: str = "", defect: str = "") -> None:
        """A call the driver could not make (the library cannot even be imported)."""
        self.results.append({"call": name, "family": family, "ok": False, "method": "", "path": "",
                             "status": None, "message": message[:240], "requests": 0, "statuses": [], "ms": 0})
        if defect:
            self.results[-1]["defect"] = defect

    def finish(self) -> None:
        out = {"library": self.library, "version": self.version, "note": self.note, "results": self.results}
        path = os.environ.get("SOAR_CLIENTS_OUT")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(out, handle, indent=1)
        else:
            json.dump(out, sys.stdout, indent=1)


def installed_version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def run_driver(main: Callable[[Recorder], None], library: str, distribution: str) -> None:
    recorder = Recorder(library, installed_version(distribution))
    try:
        main(recorder)
    except Exception:  # the driver itself broke: keep what it recorded, say where it stopped
        recorder.fail("(driver stopped)", traceback.format_exc().strip().splitlines()[-1])
    recorder.finish()
