"""Lookups of platform objects: assets (never their secrets), playbooks, custom lists."""
from __future__ import annotations

import json

import pytest

from engine.apps.catalogue import parse_app
from engine.assets import store_configuration
from engine.catalogue import sync_app
from engine.models import Asset, CustomList
from tests.custom_functions.conftest import Call
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def splunk() -> Asset:
    app, _ = sync_app(parse_app({
        "appid": "6a0bc6a2-0000-4000-8000-0000000cf002", "name": "Splunk", "app_version": "2.0.1",
        "product_vendor": "Splunk", "product_name": "Splunk Enterprise", "description": "SIEM", "type": "siem",
        "configuration": {"server": {"data_type": "string"}, "password": {"data_type": "password"},
                          "auth_blob": {"data_type": "password"}}, "actions": []}))
    asset = Asset(name="splunk", app=app, description="prod search head", tags=["prod"])
    store_configuration(asset, {"server": "splunk.corp", "password": "hunter2", "auth_blob": "xyz",
                                "api_token": "tok-123", "verify_ssl": True})
    asset.save()
    return asset


def test_asset_attributes_by_name_or_id_without_any_secret(call: Call, splunk: Asset) -> None:
    by_name = call("asset_get_attributes", asset="splunk")
    assert call("asset_get_attributes", asset=str(splunk.pk)) == by_name
    assert by_name["configuration"] == {"server": "splunk.corp", "verify_ssl": True}
    assert (by_name["type"], by_name["version"], by_name["product_vendor"]) == ("siem", "2.0.1", "Splunk")
    text = json.dumps(by_name)
    for secret in ("hunter2", "xyz", "tok-123", "enc:"):
        assert secret not in text


def test_an_unknown_asset_fails(call: Call) -> None:
    with pytest.raises(ValueError, match="no asset"):
        call("asset_get_attributes", asset="nope")


def test_playbooks_list_filters_by_type_tags_repo_and_name(call: Call) -> None:
    book = python_playbook("block_ip", "def on_start(container):\n    pass\n")
    book.tags, book.category = ["response", "network"], "Containment"
    book.save()
    inp = python_playbook("enrich_ip", "def on_start(container):\n    pass\n", playbook_type="data")
    inp.tags = ["response"]
    inp.save()
    names = lambda rows: [r["name"] for r in rows]  # noqa: E731
    assert set(names(call("playbooks_list"))) >= {"block_ip", "enrich_ip", "cf_host"}
    assert names(call("playbooks_list", playbook_type="input")) == ["enrich_ip"]
    assert names(call("playbooks_list", playbook_type="data")) == ["enrich_ip"]
    assert names(call("playbooks_list", tags="response, network")) == ["block_ip"]
    assert names(call("playbooks_list", category="Containment", repo="local")) == ["block_ip"]
    row = call("playbooks_list", name="local/enrich_ip")[0]
    assert (row["full_name"], row["playbook_type"], row["active"]) == ("local/enrich_ip", "data", False)
    assert call("playbooks_list", name="block_ip")[0]["input_spec"] is None
    with pytest.raises(ValueError, match="playbook_type"):
        call("playbooks_list", playbook_type="sometimes")


def test_custom_list_enumerate_by_name_or_id_pads_short_rows(call: Call) -> None:
    made = CustomList.objects.create(name="vip users", content=[["alice", "cfo"], ["bob"]])
    rows = call("custom_list_enumerate", custom_list="vip users")
    assert rows == [{"row_num": 0, "column_0": "alice", "column_1": "cfo"},
                    {"row_num": 1, "column_0": "bob", "column_1": None}]
    assert call("custom_list_enumerate", custom_list=made.pk) == rows
    with pytest.raises(ValueError, match="no custom list"):
        call("custom_list_enumerate", custom_list="missing")


def test_custom_list_value_in_strings_matches_substrings(call: Call) -> None:
    CustomList.objects.create(name="allowed domains", content=[["sample.com", None], ["corp.example", ""]])
    out = call("custom_list_value_in_strings", custom_list="allowed domains",
               comparison_strings=["findme.sample.com", "other.net"])
    assert out == {"matches": [{"match": "sample.com"}], "match_count": 1,
                   "misses": [{"miss": "corp.example"}], "miss_count": 1}
