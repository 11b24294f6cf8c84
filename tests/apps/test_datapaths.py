"""Results built from datapaths resolve back along the same datapaths."""

from __future__ import annotations

from engine.apps.datapaths import build, resolve, split_path


def test_it_builds_lists_for_stars_and_dicts_for_keys() -> None:
    tree = build([("data.*.geo.city", "Research"), ("data.*.ips.*", "1.1.1.1"),
                  ("summary.country", "AU")])
    assert tree == {"data": [{"geo": {"city": "Research"}, "ips": ["1.1.1.1"]}],
                    "summary": {"country": "AU"}}


def test_a_path_that_prefixes_longer_paths_becomes_their_container() -> None:
    tree = build([("summary", "leaf"), ("summary.total", 3)])
    assert tree == {"summary": {"total": 3}}
    assert resolve(tree, "summary") == [{"total": 3}]


def test_a_key_applied_to_a_list_lands_in_each_element() -> None:
    tree = build([("data.error", "boom"), ("data.*.id", 7)], list_roots=("data",))
    assert tree == {"data": [{"error": "boom", "id": 7}]}
    assert resolve(tree, "data.error") == ["boom"]
    assert resolve(tree, "data.*.id") == [7]


def test_it_ignores_empty_segments_from_stray_dots() -> None:
    assert split_path("data.*.blacklist.") == ["data", "*", "blacklist"]
    assert build([("a..b.", 1)]) == {"a": {"b": 1}}


def test_the_first_value_for_a_path_wins() -> None:
    assert build([("a", 1), ("a", 2)]) == {"a": 1}


def test_it_resolves_nothing_for_a_missing_path() -> None:
    tree = {"data": [{"a": 1}, {"a": 2, "b": {"c": 3}}]}
    assert resolve(tree, "data.*.a") == [1, 2]
    assert resolve(tree, "data.*.b.c") == [3]
    assert resolve(tree, "data.*.x") == []
    assert resolve(tree, "summary.y") == []


def test_a_star_beside_vendor_keys_builds_a_map_whose_values_the_star_gives() -> None:
    tree = build([("data.*.categories.*", "searchengines"), ("data.*.categories.BitDefender", "portals"),
                  ("data.*.categories.Dr.Web", "e-mail")])
    assert tree == {"data": [{"categories": {"BitDefender": "portals", "Dr.Web": "e-mail"}}]}
    assert resolve(tree, "data.*.categories.*") == ["portals", "e-mail"]


def test_a_key_holding_dots_is_found_from_the_segments_of_its_datapath() -> None:
    tree = {"data": [{"categories": {"alphaMountain.ai": "Business"}}]}
    assert resolve(tree, "data.*.categories.alphaMountain.ai") == ["Business"]
    assert resolve(tree, "data.*.categories.alphaMountain") == []
