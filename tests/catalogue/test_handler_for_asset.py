"""`handler_for_asset`: the real connector, or the simulator with the asset's pins."""
from __future__ import annotations

from typing import Any

import pytest

from engine.apps import Simulator
from engine.apps.catalogue import parse_app
from engine.apps.http.connector import HttpConnector
from engine.assets import store_configuration
from engine.catalogue import handler_for_asset, sync_app
from engine.models import App, Asset

pytestmark = pytest.mark.django_db


def _http_asset(**fields: Any) -> Asset:
    asset = Asset(name="web", app=App.objects.get(builtin=True, name="HTTP"), **fields)
    store_configuration(asset, {"base_url": "http://127.0.0.1:1", "password": "hunter2"})
    asset.save()
    return asset


def test_a_builtin_app_gets_its_connector_with_secrets_decrypted() -> None:
    asset = _http_asset()
    assert asset.configuration["password"].startswith("enc:")
    handler = handler_for_asset(asset, simulate=False)
    assert isinstance(handler, HttpConnector)
    assert handler.config["password"] == "hunter2"


def test_simulating_serves_the_assets_pins() -> None:
    pinned = {"status": "success", "message": "pinned", "data": [{"ok": 1}], "summary": {}}
    asset = _http_asset(simulator_overrides={"post data": pinned})
    handler = handler_for_asset(asset, simulate=True)
    assert isinstance(handler, Simulator)
    result = handler.handle_action("http_post", {"location": "/x"})
    assert result.get_message() == "pinned" and result.simulated


def test_pins_do_not_take_the_real_connector_away_from_other_calls() -> None:
    asset = _http_asset(simulator_overrides={"post data": {"status": "success", "message": "pinned"}})
    assert isinstance(handler_for_asset(asset, simulate=False), HttpConnector)


def test_a_pin_for_an_action_the_app_no_longer_has_is_ignored(caplog: pytest.LogCaptureFixture) -> None:
    asset = _http_asset(simulator_overrides={"launch rocket": {"status": "success"}})
    assert isinstance(handler_for_asset(asset, simulate=True), Simulator)
    assert "launch rocket" in caplog.text


def test_an_app_without_a_connector_is_always_simulated(sample_app: dict[str, Any]) -> None:
    app, _ = sync_app(parse_app(sample_app))
    asset = Asset.objects.create(name="intel", app=app)
    handler = handler_for_asset(asset, simulate=False)
    assert isinstance(handler, Simulator)
    assert handler.handle_action("lookup_ip", {"ip": "1.2.3.4"}).to_dict()["data"] == [{"score": 42}]
