"""phantom.requests is one client (engine/runtime/phantom/_http_client.py, no Django): the
runner's (playbook code) and the engine's (built-in custom functions) differ only in who
serves the server's own URLs."""
from __future__ import annotations

import pytest

from engine.runner import shim
from engine.runtime.phantom import _http, _http_client


def test_the_runner_and_the_engine_use_the_same_client_classes() -> None:
    assert shim.Requests is _http_client.Requests and shim.HTTPError is _http_client.HTTPError
    assert isinstance(_http.requests, _http_client.Requests)
    assert _http.Response is _http_client.Response and _http.HTTPError is _http_client.HTTPError


def test_the_engine_decides_locality_against_the_configured_base_url() -> None:
    base = "http://127.0.0.1:8000"
    for url in ("http://127.0.0.1:8000/rest/x", "http://127.0.0.1/rest/x", "https://example.com/", "/rest/x", "rest/x"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("engine.runtime.phantom._misc.get_base_url", lambda: base)
            assert _http._is_local(url) == _http_client.is_local(url, base), url
