"""HTTP app: REST calls against the asset's base URL, with only the standard library.

``http.client`` rather than urllib: no proxy variables or redirect handling sneak in,
and the timeout applies to connect and to every read.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
import ssl
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from engine.apps.base import APP_ERROR, APP_SUCCESS, ActionResult, Connector, handler

__all__ = ["HttpConnector"]

DEFAULT_TIMEOUT_S = 30.0
# Keep a runaway download from filling the worker's memory; results are stored in the DB.
MAX_BODY_BYTES = 10 * 1024 * 1024
_USER_AGENT = "PlaybookStudio-HTTP/1.0"


class _RequestFailed(Exception):
    """A request that produced no HTTP response; the message is shown to the user."""


def _flag(value: Any, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "off")
    return bool(value)


class HttpConnector(Connector):
    """Serves ``get data``, ``post data``, ``put data``, ``patch data``, ``delete data``,
    ``get headers``, ``get options`` and ``test connectivity``."""

    # -- configuration -----------------------------------------------------------
    def _base_url(self) -> str:
        base = str(self.config.get("base_url") or "").strip()
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _RequestFailed(f"Asset base_url {base!r} is not an http(s) URL")
        return base

    def _timeout(self) -> float:
        raw = self.config.get("timeout")
        try:
            timeout = float(raw) if raw not in (None, "") else DEFAULT_TIMEOUT_S
        except (TypeError, ValueError):
            raise _RequestFailed(f"Asset timeout {raw!r} is not a number") from None
        return timeout if timeout > 0 else DEFAULT_TIMEOUT_S

    def _url(self, location: str) -> str:
        if urlsplit(location).scheme:
            # The asset pins the server; a playbook must not point it elsewhere.
            raise _RequestFailed(f"location {location!r} must be a path relative to base_url, "
                                 "not a full URL")
        return self._base_url().rstrip("/") + "/" + location.lstrip("/")

    def _headers(self, raw: Any) -> dict[str, str]:
        headers = {"User-Agent": _USER_AGENT, "Accept": "*/*"}
        token = self.config.get("auth_token")
        if token:
            headers[str(self.config.get("auth_token_name") or "ph-auth-token")] = str(token)
        username = self.config.get("username")
        if username:
            pair = f"{username}:{self.config.get('password') or ''}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        if raw in (None, ""):
            return headers
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise _RequestFailed(f"headers is not valid JSON: {exc.msg}") from None
        if not isinstance(raw, Mapping):
            raise _RequestFailed("headers must be a JSON object of header names to values")
        headers.update({str(k): str(v) for k, v in raw.items()})
        return headers

    # -- transport ---------------------------------------------------------------
    def _request(self, method: str, url: str, headers: dict[str, str], body: bytes | None,
                 verify: bool) -> tuple[int, str, dict[str, str], bytes]:
        parts = urlsplit(url)
        timeout = self._timeout()
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            context = ssl.create_default_context()
            if not verify:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection(parts.hostname or "", parts.port,
                                               timeout=timeout, context=context)
        else:
            conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        try:
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read(MAX_BODY_BYTES + 1)
            return response.status, response.reason, dict(response.getheaders()), payload
        except ssl.SSLCertVerificationError as exc:
            raise _RequestFailed(
                f"TLS certificate verification failed for {url}: {exc.verify_message or exc}. "
                "Turn off verify_server_cert on the asset (or pass verify_certificate=false) "
                "only if you trust this server.") from None
        except ssl.SSLError as exc:
            raise _RequestFailed(f"TLS error talking to {url}: {exc}") from None
        except TimeoutError:
            raise _RequestFailed(f"Request to {url} timed out after {timeout:g} seconds") from None
        except ConnectionRefusedError:
            raise _RequestFailed(f"Could not connect to {url}: connection refused") from None
        except socket.gaierror as exc:
            raise _RequestFailed(f"Could not resolve host {parts.hostname!r}: {exc.strerror}") \
                from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            # ValueError: http.client refuses header values with line breaks.
            raise _RequestFailed(f"Request to {url} failed: {type(exc).__name__}: {exc}") \
                from None
        finally:
            conn.close()

    # -- actions -----------------------------------------------------------------
    def _call(self, method: str, param: Mapping[str, Any], result: ActionResult) -> bool:
        try:
            url = self._url(str(param.get("location") or ""))
            headers = self._headers(param.get("headers"))
            body = _encode_body(param.get("body"), headers)
            verify = _flag(param.get("verify_certificate"),
                           _flag(self.config.get("verify_server_cert"), True))
            status, reason, response_headers, payload = self._request(
                method, url, headers, body, verify)
        except _RequestFailed as exc:
            return result.set_status(APP_ERROR, str(exc))

        truncated = len(payload) > MAX_BODY_BYTES
        text = payload[:MAX_BODY_BYTES].decode(_charset(response_headers), errors="replace")
        result.add_data({
            "location": url,
            "method": method,
            "status_code": status,
            "reason": reason,
            "response_headers": response_headers,
            "response_body": text,
            "parsed_response_body": _parse_body(text, response_headers),
        })
        result.update_summary({"status_code": status, "reason": reason})
        note = f" (body cut at {MAX_BODY_BYTES} bytes)" if truncated else ""
        if status >= 400:
            return result.set_status(
                APP_ERROR, f"Can't process response from server. Status Code: {status} "
                           f"Data from server: {text[:500]}{note}")
        return result.set_status(APP_SUCCESS, f"Status code: {status}, Reason: {reason}{note}")

    @handler("http_get")
    def get_data(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        return self._call("GET", param, result)

    @handler("http_head")
    def get_headers(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        return self._call("HEAD", param, result)

    @handler("http_options")
    def get_options(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        return self._call("OPTIONS", param, result)

    @handler("http_post")
    def post_data(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        return self._call("POST", param, result)

    @handler("http_put")
    def put_data(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        return self._call("PUT", param, result)

    @handler("http_patch")
    def patch_data(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        return self._call("PATCH", param, result)

    @handler("http_delete")
    def delete_data(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        return self._call("DELETE", param, result)

    @handler("test_connectivity", "test_asset_connectivity")
    def test_connectivity(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        method = str(self.config.get("test_http_method") or "GET").upper()
        location = str(self.config.get("test_path") or "")
        self._call(method, {"location": location}, result)
        status = result.get_summary().get("status_code")
        # SOAR's HTTP app passes on any 2xx/3xx; redirects count as reachable.
        if status is not None and status < 400:
            return result.set_status(APP_SUCCESS, f"Test Connectivity Passed (status {status})")
        return result.set_status(APP_ERROR, f"Test Connectivity Failed: {result.get_message()}")


def _encode_body(body: Any, headers: dict[str, str]) -> bytes | None:
    if body is None or body == "":
        return None
    if isinstance(body, (dict, list)):
        headers.setdefault("Content-Type", "application/json")
        return json.dumps(body).encode("utf-8")
    return str(body).encode("utf-8")


def _header(headers: Mapping[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name), "")


def _charset(headers: Mapping[str, str]) -> str:
    for part in _header(headers, "content-type").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            try:
                "".encode(value.strip('"'))
                return value.strip('"')
            except LookupError:
                break
    return "utf-8"


def _parse_body(text: str, headers: Mapping[str, str]) -> Any:
    """JSON when the server says so (or the body plainly is JSON), else the text."""
    content_type = _header(headers, "content-type").lower()
    looks_json = text.lstrip()[:1] in ("{", "[")
    if "json" in content_type or looks_json:
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass
    return text
