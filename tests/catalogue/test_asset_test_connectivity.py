"""`POST /api/assets/<id>/test_connectivity`: `{success, message}` and never a 500."""
from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from engine.api import AssetTestConnectivityView
from engine.apps.catalogue import parse_app
from engine.apps.http.connector import HttpConnector
from engine.apps.utilities.connector import UtilitiesConnector
from engine.catalogue import sync_app
from engine.models import App, Asset
from tests.apps.servers import LocalServer, serve

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.catalogue.urls")]

ClientFor = Callable[[User], APIClient]


def _asset(name: str, app_name: str, **config: Any) -> Asset:
    return Asset.objects.create(name=name, app=App.objects.get(builtin=True, name=app_name), configuration=config)


def _closed_port() -> int:
    # Bind then close: nothing listens there, so a connect is refused at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    yield from serve(None, slow_s=0.1)


def _check(client: APIClient, asset: Asset) -> Any:
    response = client.post(f"/api/assets/{asset.pk}/test_connectivity")
    assert response.status_code == 200
    return response.json()


def test_the_utilities_asset_passes(api: APIClient) -> None:
    body = _check(api, _asset("utilities", "Utilities"))
    assert body == {"success": True, "message": "Test Connectivity Passed"}


def test_an_http_asset_on_a_listening_server_passes(api: APIClient, local_server: LocalServer) -> None:
    body = _check(api, _asset("web", "HTTP", base_url=local_server.base_url, test_path="/json"))
    assert body["success"] is True and "status 200" in body["message"]


def test_an_http_asset_pointing_at_a_closed_port_fails_with_the_reason(api: APIClient) -> None:
    body = _check(api, _asset("dead", "HTTP", base_url=f"http://127.0.0.1:{_closed_port()}"))
    assert body["success"] is False
    assert body["message"].startswith("Test Connectivity Failed") and "refused" in body["message"].lower()


def test_an_http_asset_without_a_usable_base_url_fails_with_the_reason(api: APIClient) -> None:
    body = _check(api, _asset("blank", "HTTP", base_url="ftp://example.org"))
    assert body["success"] is False and "is not an http(s) URL" in body["message"]


def test_a_crashing_connector_fails_instead_of_a_500(api: APIClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: Any, param: Mapping[str, Any], result: Any) -> None:
        raise RuntimeError("socket exploded")

    monkeypatch.setattr(UtilitiesConnector, "test_connectivity", crash)
    body = _check(api, _asset("utilities", "Utilities"))
    assert body == {"success": False, "message": "Action 'test connectivity' raised RuntimeError: socket exploded"}


def test_a_hanging_connector_fails_after_the_timeout(api: APIClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(self: Any, param: Mapping[str, Any], result: Any) -> None:
        time.sleep(2)

    monkeypatch.setattr(HttpConnector, "test_connectivity", hang)
    monkeypatch.setattr(AssetTestConnectivityView, "timeout_s", 0.2)
    started = time.monotonic()
    body = _check(api, _asset("slow", "HTTP", base_url="http://127.0.0.1:9"))
    assert time.monotonic() - started < 1.5
    assert body == {"success": False, "message": "Action 'test connectivity' timed out after 0.2 seconds"}


def test_an_app_without_a_connector_says_it_only_simulates(api: APIClient, sample_app: dict[str, Any]) -> None:
    app, _ = sync_app(parse_app(sample_app))
    body = _check(api, Asset.objects.create(name="intel", app=app))
    assert body["success"] is False
    assert body["message"].startswith("app 'Sample Intel' has no connector in Playbook Studio")


def test_a_missing_asset_is_a_404(api: APIClient) -> None:
    assert api.post("/api/assets/99999/test_connectivity").status_code == 404


def test_the_editor_may_not_test_an_asset(as_user: ClientFor, editor: User) -> None:
    asset = _asset("utilities", "Utilities")
    assert as_user(editor).post(f"/api/assets/{asset.pk}/test_connectivity").status_code == 403
