"""Loading an app whose appid is already catalogued updates that App row in place."""
from __future__ import annotations

import copy
from typing import Any

import pytest

from engine.apps.catalogue import parse_app
from engine.catalogue import appdef_for, sync_app
from engine.models import App, AppAction, Asset

pytestmark = pytest.mark.django_db


def test_a_new_app_is_created_with_its_definition_verbatim_and_raw_actions(sample_app: dict[str, Any]) -> None:
    app, outcome = sync_app(parse_app(sample_app, "sample.json"))
    assert outcome == "created"
    assert app.definition == sample_app and app.configuration == sample_app["configuration"]
    assert (app.name, app.version, app.product_vendor, app.builtin) == ("Sample Intel", "1.0.0", "Example", False)
    lookup = app.actions.get(name="lookup ip")
    assert lookup.parameters == sample_app["actions"][1]["parameters"]
    assert lookup.output == sample_app["actions"][1]["output"]
    assert (lookup.identifier, lookup.type, lookup.read_only) == ("lookup_ip", "investigate", True)
    assert app.actions.get(name="block ip").read_only is False


def test_loading_the_same_definition_again_changes_nothing(sample_app: dict[str, Any]) -> None:
    app, _ = sync_app(parse_app(sample_app))
    stamp = app.update_time
    again, outcome = sync_app(parse_app(copy.deepcopy(sample_app)))
    assert outcome == "unchanged" and again.pk == app.pk
    assert App.objects.get(pk=app.pk).update_time == stamp


def test_a_newer_version_updates_fields_and_actions_and_drops_removed_ones(sample_app: dict[str, Any]) -> None:
    app, _ = sync_app(parse_app(sample_app))
    asset = Asset.objects.create(name="intel", app=app)
    lookup_pk = app.actions.get(name="lookup ip").pk
    newer = copy.deepcopy(sample_app)
    newer["app_version"] = "1.1.0"
    newer["name"] = "Sample Intel v2"
    newer["actions"] = [a for a in newer["actions"] if a["action"] != "block ip"]
    newer["actions"][1]["parameters"]["days"] = {"data_type": "numeric", "order": 2}
    newer["actions"].append({"action": "lookup domain", "identifier": "lookup_domain", "type": "investigate",
                             "read_only": True, "parameters": {"domain": {"data_type": "string"}}, "output": []})

    updated, outcome = sync_app(parse_app(newer, "sample-1.1.json"))

    assert outcome == "updated" and updated.pk == app.pk
    assert App.objects.count() == App.objects.filter(builtin=True).count() + 1
    stored = App.objects.get(pk=app.pk)
    assert (stored.name, stored.version, stored.definition) == ("Sample Intel v2", "1.1.0", newer)
    assert sorted(stored.actions.values_list("name", flat=True)) == ["lookup domain", "lookup ip", "test connectivity"]
    lookup = stored.actions.get(name="lookup ip")
    assert lookup.pk == lookup_pk and "days" in lookup.parameters
    assert Asset.objects.get(pk=asset.pk).app_id == app.pk


def test_the_same_version_with_a_changed_definition_is_an_update(sample_app: dict[str, Any]) -> None:
    sync_app(parse_app(sample_app))
    edited = copy.deepcopy(sample_app)
    edited["actions"][1]["description"] = "Reputation and geolocation of an IP"
    _, outcome = sync_app(parse_app(edited))
    assert outcome == "updated"
    assert AppAction.objects.get(app__appid=sample_app["appid"], name="lookup ip").description.endswith("geolocation of an IP")


def test_the_parsed_definition_follows_an_update(sample_app: dict[str, Any]) -> None:
    app, _ = sync_app(parse_app(sample_app))
    assert appdef_for(app).action("block ip") is not None
    assert appdef_for(app) is appdef_for(App.objects.get(pk=app.pk))  # cached per update_time
    newer = copy.deepcopy(sample_app)
    newer["app_version"] = "2.0.0"
    newer["actions"] = newer["actions"][:2]
    sync_app(parse_app(newer))
    fresh = appdef_for(App.objects.get(pk=app.pk))
    assert fresh.version == "2.0.0" and fresh.action("block ip") is None


def test_a_loaded_definition_cannot_replace_a_builtin_app() -> None:
    http = App.objects.get(builtin=True, name="HTTP")
    impostor = copy.deepcopy(http.definition)
    impostor["app_version"] = "9.9.9"
    with pytest.raises(ValueError, match="built-in app"):
        sync_app(parse_app(impostor, "impostor.json"))
    assert App.objects.get(pk=http.pk).version != "9.9.9"


def test_a_value_longer_than_its_column_is_refused_with_its_key_path(sample_app: dict[str, Any]) -> None:
    sample_app["actions"][1]["type"] = "x" * 100
    with pytest.raises(ValueError, match=r"actions\[1\]\.type: longer than 64"):
        sync_app(parse_app(sample_app, "long.json"))
    assert not App.objects.filter(appid=sample_app["appid"]).exists()
