"""`phantom.requests`, without Django: remote URLs are fetched with urllib; the server's
own URLs go to `local`, which serves them in-process as the run's user.

Playbook code's `phantom.requests` (in a runner process, engine.runner.shim) sends those
to the engine; the runtime's (engine/runtime/phantom/_http.py, for the built-in custom
functions) serves them directly. Both are this client.
"""
from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

DEFAULT_TIMEOUT = 30.0


class HTTPError(Exception):
    def __init__(self, message: str, response: Response | None = None) -> None:
        super().__init__(message)
        self.response = response


class Response:
    """The parts of `requests.Response` playbooks use."""

    def __init__(self, status_code: int, content: bytes, headers: dict[str, str], url: str, method: str) -> None:
        self.status_code = status_code
        self.content = content
        self.headers = headers
        self.url = url
        self.request_method = method
        self.encoding = "utf-8"
        self.reason = ""

    @property
    def ok(self) -> bool:
        return self.status_code < 400

    @property
    def text(self) -> str:
        return self.content.decode(self.encoding, errors="replace")

    def json(self, **kwargs: Any) -> Any:
        return json.loads(self.content or b"null", **kwargs)

    def raise_for_status(self) -> None:
        if not self.ok:
            raise HTTPError(f"{self.status_code} error for {self.request_method} {self.url}", self)

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}]>"


def _body(data: Any, json_body: Any, headers: dict[str, str]) -> bytes:
    if json_body is not None:
        headers.setdefault("Content-Type", "application/json")
        return json.dumps(json_body).encode()
    if data is None:
        return b""
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode()
    if isinstance(data, dict):
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        return urllib.parse.urlencode(data, doseq=True).encode()
    raise TypeError(f"phantom.requests: data must be str, bytes or dict, not {type(data).__name__}")


def _with_params(url: str, params: Any) -> str:
    if not params:
        return url
    query = urllib.parse.urlencode(params, doseq=True) if isinstance(params, dict) else str(params)
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def is_local(url: str, base_url: str) -> bool:
    base = urllib.parse.urlsplit(base_url)
    target = urllib.parse.urlsplit(url)
    if not target.scheme:
        return url.startswith("/")
    return (target.hostname, target.port or _port(target.scheme)) == (base.hostname, base.port or _port(base.scheme))


def _remote(method: str, url: str, body: bytes, headers: dict[str, str], verify: Any, timeout: Any) -> Response:
    req = urllib.request.Request(url, data=body or None, method=method.upper(), headers=headers)
    context = None
    if verify is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif isinstance(verify, str):
        context = ssl.create_default_context(cafile=verify)
    seconds = timeout[-1] if isinstance(timeout, (tuple, list)) and timeout else timeout
    try:
        with urllib.request.urlopen(req, timeout=float(seconds or DEFAULT_TIMEOUT), context=context) as r:
            return Response(r.status, r.read(), dict(r.headers.items()), url, method.upper())
    except urllib.error.HTTPError as exc:
        return Response(exc.code, exc.read() or b"", dict(exc.headers.items()), url, method.upper())
    except (urllib.error.URLError, OSError) as exc:
        raise ConnectionError(f"phantom.requests: {method.upper()} {url} failed: {exc}") from exc


class Requests:
    """The `phantom.requests` object. `base_url` answers the server's base URL; `local`
    sends (method, url, body, headers) to the engine and answers
    (status, content, headers, url, method)."""

    def __init__(self, base_url: Callable[[], str], local: Callable[..., Any]) -> None:
        self._base_url = base_url
        self._local = local
        self.Response = Response
        self.HTTPError = HTTPError

    def request(self, method: str, url: str | None = None, params: Any = None, data: Any = None, headers: Any = None,
                json: Any = None, verify: Any = True, timeout: Any = None, uri: str | None = None,
                **kwargs: Any) -> Response:
        """Send one request; `uri=` is SOAR's spelling of `url=`."""
        target = url or uri
        if not isinstance(target, str) or not target:
            raise ValueError("phantom.requests: a URL is required (url= or uri=)")
        target = _with_params(target, params)
        hdrs = {str(k): str(v) for k, v in (headers or {}).items()}
        body = _body(data, json, hdrs)
        if is_local(target, self._base_url()):
            return Response(*self._local(method, target, body, hdrs))
        return _remote(method, target, body, hdrs, verify, timeout)

    def get(self, url: str | None = None, **kwargs: Any) -> Response:
        return self.request("get", url, **kwargs)

    def post(self, url: str | None = None, data: Any = None, **kwargs: Any) -> Response:
        return self.request("post", url, data=data, **kwargs)

    def put(self, url: str | None = None, data: Any = None, **kwargs: Any) -> Response:
        return self.request("put", url, data=data, **kwargs)

    def patch(self, url: str | None = None, data: Any = None, **kwargs: Any) -> Response:
        return self.request("patch", url, data=data, **kwargs)

    def delete(self, url: str | None = None, **kwargs: Any) -> Response:
        return self.request("delete", url, **kwargs)

    def head(self, url: str | None = None, **kwargs: Any) -> Response:
        return self.request("head", url, **kwargs)
