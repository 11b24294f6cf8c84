"""Malformed app definitions fail with the file and the key path."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from engine.apps.catalogue import AppDefinitionError, load_app, parse_app
from tests.apps.factories import minimal_app


def broken(mutate: Any) -> dict[str, Any]:
    data = copy.deepcopy(minimal_app())
    mutate(data)
    return data


@pytest.mark.parametrize(("mutate", "key_path", "problem"), [
    (lambda d: d.pop("appid"), "appid", "missing required key"),
    (lambda d: d.update(name=""), "name", "must not be empty"),
    (lambda d: d.update(actions={}), "actions", "expected a list"),
    (lambda d: d.pop("actions"), "actions", "missing required key"),
    (lambda d: d["actions"][1].update(parameters=[]), "actions[1].parameters",
     "expected an object"),
    (lambda d: d["actions"][1]["parameters"]["ip"].update(required="yes"),
     "actions[1].parameters.ip.required", "expected true or false"),
    (lambda d: d["actions"][1]["parameters"]["ip"].update(contains="ip"),
     "actions[1].parameters.ip.contains", "expected a list"),
    (lambda d: d["actions"][1]["output"][0].pop("data_path"),
     "actions[1].output[0].data_path", "missing required key"),
    (lambda d: d["configuration"].update(port=5), "configuration.port", "expected an object"),
    (lambda d: d["actions"][1].update(identifier="test_connectivity"),
     "actions[1].identifier", "duplicate identifier"),
    (lambda d: d["actions"][1].update(action="test connectivity"),
     "actions[1].action", "duplicate action 'test connectivity'"),
])
def test_it_names_the_key_path_of_the_problem(mutate: Any, key_path: str, problem: str) -> None:
    with pytest.raises(AppDefinitionError) as caught:
        parse_app(broken(mutate), "bad.json")
    assert caught.value.source == "bad.json"
    assert caught.value.key_path == key_path
    assert problem in str(caught.value)
    assert str(caught.value).startswith(f"bad.json: {key_path}: ")


def test_it_names_the_file_when_the_json_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"appid": "x",\n "actions": [}')
    with pytest.raises(AppDefinitionError, match=r"broken\.json: \$: not valid JSON: line 2"):
        load_app(path)


def test_it_refuses_a_json_document_that_is_not_an_object() -> None:
    with pytest.raises(AppDefinitionError, match=r"x\.json: \$: expected an object, got a list"):
        parse_app(json.loads("[1, 2]"), "x.json")


def test_it_reports_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(AppDefinitionError, match="cannot read"):
        load_app(tmp_path / "absent.json")
