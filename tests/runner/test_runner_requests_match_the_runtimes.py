"""The runner's phantom.requests (engine/runner/http_client.py) builds requests and
responses as the runtime's (engine/runtime/phantom/_http.py) does: the two are copies
because the runtime's imports Django, so this test keeps them in step."""
from __future__ import annotations

import inspect

import pytest

from engine.runner import http_client
from engine.runtime.phantom import _http


@pytest.mark.parametrize("data, json_body", [(None, {"a": [1, 2]}), ("text", None), (b"raw", None),
                                             ({"k": ["v1", "v2"]}, None), (None, None)])
def test_it_encodes_bodies_and_headers_alike(data: object, json_body: object) -> None:
    mine: dict[str, str] = {}
    theirs: dict[str, str] = {}
    assert http_client._body(data, json_body, mine) == _http._body(data, json_body, theirs)
    assert mine == theirs


@pytest.mark.parametrize("params", [None, {"a": 1, "b": ["x", "y"]}, "raw=1"])
def test_it_adds_query_parameters_alike(params: object) -> None:
    for url in ("http://h/rest/container", "http://h/rest/container?page=1"):
        assert http_client._with_params(url, params) == _http._with_params(url, params)


def test_its_response_has_the_runtimes_members() -> None:
    def members(cls: type) -> dict[str, str]:
        def source(value: object) -> str:
            if isinstance(value, property):
                value = value.fget
            return inspect.getsource(value) if inspect.isfunction(value) else repr(value)

        return {name: source(value)
                for name, value in vars(cls).items() if not name.startswith("__") or name in ("__init__", "__bool__", "__repr__")}

    assert members(http_client.Response) == members(_http.Response)
    assert inspect.getsource(http_client.HTTPError) == inspect.getsource(_http.HTTPError)


def test_it_decides_locality_alike() -> None:
    base = "http://127.0.0.1:8000"
    for url in ("http://127.0.0.1:8000/rest/x", "http://127.0.0.1/rest/x", "https://example.com/", "/rest/x", "rest/x"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("engine.runtime.phantom._misc.get_base_url", lambda: base)
            assert http_client.is_local(url, base) == _http._is_local(url), url
