"""`phantom.requests`: a requests-like client that playbooks use for the platform's REST API.

Calls to this server (`build_phantom_rest_url(...)`, or any URL on the configured base URL)
are served in-process, as the run's effective user, inside the step's transaction, so
they see what the playbook wrote so far and need no token. Other URLs go out over HTTP
(urllib, with a timeout), like SOAR's `phantom.requests` does.
"""
from __future__ import annotations

import io
import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from engine.runtime.context import current

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


def _is_local(url: str) -> bool:
    from engine.runtime.phantom._misc import get_base_url

    base = urllib.parse.urlsplit(get_base_url())
    target = urllib.parse.urlsplit(url)
    if not target.scheme:
        return url.startswith("/")
    return (target.hostname, target.port or _port(target.scheme)) == (base.hostname, base.port or _port(base.scheme))


def _port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


_handler: Any = None


def _local(method: str, url: str, body: bytes, headers: dict[str, str]) -> Response:
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
    from django.http.request import validate_host

    global _handler
    if _handler is None:
        _handler = WSGIHandler()
    ctx = current("requests")
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    allowed = [h for h in settings.ALLOWED_HOSTS if h != "*"]
    if not validate_host(host, settings.ALLOWED_HOSTS) and allowed:
        host = allowed[0].lstrip(".")
    environ = {
        "REQUEST_METHOD": method.upper(), "PATH_INFO": urllib.parse.unquote(parts.path or "/"),
        "QUERY_STRING": parts.query, "SERVER_NAME": host, "SERVER_PORT": str(parts.port or _port(parts.scheme or "http")),
        "HTTP_HOST": host, "wsgi.url_scheme": parts.scheme or "http", "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": headers.get("Content-Type", "application/json"),
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
    }
    for key, value in headers.items():
        if key.lower() not in ("content-type", "content-length"):
            environ["HTTP_" + key.upper().replace("-", "_")] = str(value)
    request = WSGIRequest(environ)
    # In-process only (never settable from outside): the REST views authenticate the run's
    # effective user, and CSRF does not apply to a call that no browser made.
    from engine.runtime.phantom._misc import effective_user

    request._force_auth_user = effective_user(ctx)  # type: ignore[attr-defined]
    request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
    response = _handler.get_response(request)
    content = b"".join(response) if getattr(response, "streaming", False) else response.content
    return Response(response.status_code, content, {k: v for k, v in response.items()}, url, method.upper())


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


def request(method: str, url: str | None = None, params: Any = None, data: Any = None, headers: Any = None,
            json: Any = None, verify: Any = True, timeout: Any = None, uri: str | None = None,
            **kwargs: Any) -> Response:
    """Send one request; `uri=` is SOAR's spelling of `url=`."""
    current("requests")
    target = url or uri
    if not isinstance(target, str) or not target:
        raise ValueError("phantom.requests: a URL is required (url= or uri=)")
    target = _with_params(target, params)
    hdrs = {str(k): str(v) for k, v in (headers or {}).items()}
    body = _body(data, json, hdrs)
    if _is_local(target):
        return _local(method, target, body, hdrs)
    return _remote(method, target, body, hdrs, verify, timeout)


class _Requests:
    """The `phantom.requests` object (module-like: `phantom.requests.get(...)`)."""

    request = staticmethod(request)

    @staticmethod
    def get(url: str | None = None, **kwargs: Any) -> Response:
        return request("get", url, **kwargs)

    @staticmethod
    def post(url: str | None = None, data: Any = None, **kwargs: Any) -> Response:
        return request("post", url, data=data, **kwargs)

    @staticmethod
    def put(url: str | None = None, data: Any = None, **kwargs: Any) -> Response:
        return request("put", url, data=data, **kwargs)

    @staticmethod
    def patch(url: str | None = None, data: Any = None, **kwargs: Any) -> Response:
        return request("patch", url, data=data, **kwargs)

    @staticmethod
    def delete(url: str | None = None, **kwargs: Any) -> Response:
        return request("delete", url, **kwargs)

    @staticmethod
    def head(url: str | None = None, **kwargs: Any) -> Response:
        return request("head", url, **kwargs)


requests = _Requests()
# `phantom.requests.Response` / `.HTTPError`, as with the requests module.
requests.Response = Response  # type: ignore[attr-defined]
requests.HTTPError = HTTPError  # type: ignore[attr-defined]
