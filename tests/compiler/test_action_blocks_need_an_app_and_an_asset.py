"""Checked against the installation (an app catalogue passed in), an action block that
names no app or no asset is an error located on the block: it cannot run anywhere."""

from __future__ import annotations

from typing import Any

from pbkit import action, edge, playbook

from editor.compiler import CompileError, compile_playbook
from editor.graph import ValidationError, parse_playbook, validate

MAXMIND = {"appid": "c0ffee", "name": "MaxMind", "actions": [{"action": "geolocate ip"}]}


def catalogue(node: Any) -> dict[str, Any] | None:
    return MAXMIND if node.data.get("connector") == "MaxMind" else None


def one_action(**data: Any) -> dict[str, Any]:
    block = action("2", "geolocate_ip_1", ip="artifact:*.cef.sourceAddress")
    block["data"].update(data)
    return playbook([block], [edge("0", "2"), edge("2", "1")])


def errors(pb: dict[str, Any]) -> list[ValidationError]:
    return [e for e in validate(parse_playbook(pb), catalogue) if e.severity == "error"]


def test_it_is_an_error_on_the_block_when_an_action_names_no_app() -> None:
    [e] = [e for e in errors(one_action(connector="", connectorId="")) if e.kind == "missing_app"]
    assert (e.block_id, e.field, e.severity) == ("2", "data.connector", "error")
    assert "block 2" in e.message and "geolocate ip" in e.message


def test_it_is_an_error_on_the_block_when_an_action_names_no_asset() -> None:
    [e] = errors(one_action(connectorConfigs=[]))
    assert (e.block_id, e.kind, e.field) == ("2", "missing_asset", "data.connectorConfigs")


def test_it_is_an_error_when_an_app_outside_the_catalogue_has_no_asset() -> None:
    [e] = errors(one_action(connector="Unheard Of", connectorId="", connectorConfigs=[]))
    assert (e.block_id, e.kind) == ("2", "missing_asset")


def test_an_action_with_neither_app_nor_asset_gets_both_errors() -> None:
    kinds = {e.kind for e in errors(one_action(connector="", connectorId="", connectorConfigs=[]))}
    assert kinds == {"missing_app", "missing_asset"}


def test_the_editor_compile_refuses_an_action_without_an_app() -> None:
    try:
        compile_playbook(one_action(connector="", connectorId=""), catalogue=catalogue)
    except CompileError as exc:
        assert [e.block_id for e in exc.errors] == ["2"]
    else:
        raise AssertionError("an action without an app compiled against the catalogue")


def test_an_action_with_app_and_asset_has_no_problem() -> None:
    assert errors(one_action()) == []


def test_without_a_catalogue_the_graph_alone_still_compiles() -> None:
    # The run-time compile and the classic converter's check pass no catalogue: the
    # engine finds the app through the asset, and the converter reports the block itself.
    assert "phantom.act(" in compile_playbook(one_action(connector="", connectorId="")).source
