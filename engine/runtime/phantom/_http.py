"""`phantom.requests` in the engine (the built-in custom functions use it), and the
in-process half of every playbook's: calls to this server (`build_phantom_rest_url(...)`,
or any URL on the configured base URL) are served in-process, as the run's effective user,
so they need no token. Other URLs go out over HTTP (urllib, with a timeout), like SOAR's
`phantom.requests` does. The client itself is engine/runtime/phantom/_http_client.py,
which the runner processes use too.
"""
from __future__ import annotations

import io
import urllib.parse
from typing import Any

from engine.runtime.context import current
from engine.runtime.phantom._http_client import HTTPError, Requests, Response, _port, is_local

__all__ = ["HTTPError", "Response", "requests"]


def _is_local(url: str) -> bool:
    return is_local(url, _base_url())


def _base_url() -> str:
    from engine.runtime.phantom._misc import get_base_url

    return get_base_url()


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


def _served_here(method: str, url: str, body: bytes, headers: dict[str, str]) -> tuple[Any, ...]:
    response = _local(method, url, body, headers)
    return (response.status_code, response.content, response.headers, response.url, response.request_method)


class _EngineRequests(Requests):
    def request(self, method: str, url: str | None = None, *args: Any, **kwargs: Any) -> Response:
        current("requests")
        return super().request(method, url, *args, **kwargs)


requests = _EngineRequests(_base_url, _served_here)
