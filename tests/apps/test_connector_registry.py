"""Built-in apps are registered plug-in folders whose handlers match their app.json."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import pytest

import engine.apps as apps
from engine.apps.base import APP_SUCCESS, ActionResult, Connector, UnknownActionError, handler
from engine.apps.catalogue import parse_app
from engine.apps.simulator import Simulator
from tests.apps.factories import minimal_app


def test_it_registers_the_http_and_utilities_apps() -> None:
    registered = {a.slug: a for a in apps.builtin_apps()}
    assert set(registered) == {"http", "utilities"}
    assert registered["http"].appdef.name == "HTTP"
    assert registered["utilities"].appdef.name == "Utilities"


@pytest.mark.parametrize("slug", apps.BUILTIN_APPS)
def test_every_declared_action_of_a_builtin_app_has_a_handler(slug: str) -> None:
    app = next(a for a in apps.builtin_apps() if a.slug == slug)
    declared = {a.identifier for a in app.appdef.actions}
    assert declared <= app.connector.identifiers()
    # And the reverse, apart from the alias SOAR apps use for test connectivity.
    assert app.connector.identifiers() - declared <= {"test_asset_connectivity",
                                                       "test_connectivity"}


@pytest.mark.parametrize("slug", apps.BUILTIN_APPS)
def test_builtin_app_ids_are_fixed_version_4_uuids(slug: str) -> None:
    app = next(a for a in apps.builtin_apps() if a.slug == slug)
    assert uuid.UUID(app.appdef.appid).version == 4
    assert app.appdef.action("test connectivity") is not None
    for action in app.appdef.actions:
        for output in action.outputs:
            assert output.example_values, f"{slug} {action.name} {output.data_path}"


def test_it_hands_out_the_real_connector_for_a_builtin_app() -> None:
    http = next(a for a in apps.builtin_apps() if a.slug == "http")
    chosen = apps.handler_for(http.appdef, {"base_url": "http://127.0.0.1"})
    assert isinstance(chosen, http.connector)
    assert chosen.config == {"base_url": "http://127.0.0.1"}
    assert isinstance(apps.handler_for(http.appdef, simulate=True), Simulator)


def test_it_hands_out_the_simulator_for_an_app_without_a_connector() -> None:
    app = parse_app(minimal_app())
    assert apps.connector_class(app.appid) is None
    assert isinstance(apps.handler_for(app, {}), Simulator)


class EchoConnector(Connector):
    @handler("echo", "echo_again")
    def echo(self, param: Mapping[str, Any], result: ActionResult) -> None:
        result.add_data(dict(param))
        result.set_status(APP_SUCCESS, f"{self.config['prefix']}{param['text']}")


def test_it_dispatches_each_identifier_to_its_handler() -> None:
    connector = EchoConnector({"prefix": "> "})
    for identifier in ("echo", "echo_again"):
        result = connector.handle_action(identifier, {"text": "hi"})
        assert result.get_message() == "> hi"
        assert result.get_data() == [{"text": "hi"}]
        assert result.get_param() == {"text": "hi"}


def test_it_passes_test_connectivity_by_default() -> None:
    result = EchoConnector({}).handle_action("test_asset_connectivity", {})
    assert result.is_success()


def test_it_refuses_an_identifier_without_a_handler() -> None:
    with pytest.raises(UnknownActionError, match="no handler for action 'nope'"):
        EchoConnector({}).handle_action("nope", {})
