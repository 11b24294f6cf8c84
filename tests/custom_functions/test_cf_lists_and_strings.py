"""Pure helpers: list_* edge cases, string and regex functions, base64, JSON and URL parsing."""
from __future__ import annotations

import json
from typing import Any

import pytest

from engine.custom_functions import source
from engine.execution import loader


def cf(name: str, **params: Any) -> Any:
    """Call a function loaded from its source, as the engine does; these need no run."""
    return loader.function(loader.load_module(source(name), name), name)(**params)


def items(rows: list[dict[str, Any]], key: str = "item") -> list[Any]:
    return [r[key] for r in rows]


def test_list_demux_makes_one_result_per_item_and_keeps_nested_lists_whole() -> None:
    assert cf("list_demux", input_list=["a", ["b", "c"], {"d": 1}]) == [{"output": "a"}, {"output": ["b", "c"]},
                                                                        {"output": {"d": 1}}]


def test_list_demux_reads_a_json_list_text_and_wraps_a_scalar() -> None:
    assert items(cf("list_demux", input_list='["x", "y"]'), "output") == ["x", "y"]
    assert items(cf("list_demux", input_list="[not json"), "output") == ["[not json"]
    assert cf("list_demux", input_list=7) == [{"output": 7}]
    assert cf("list_demux", input_list=None) == [] and cf("list_demux", input_list=[]) == []


def test_list_merge_flattens_nested_lists_skips_missing_inputs_and_keeps_duplicates() -> None:
    rows = cf("list_merge", input_1=["1.1.1.1", ["2.2.2.2", [None, "3.3.3.3"]]], input_3="1.1.1.1", input_10=[])
    assert items(rows) == ["1.1.1.1", "2.2.2.2", "3.3.3.3", "1.1.1.1"]
    assert cf("list_merge") == []


def test_list_merge_keeps_falsy_values_that_are_not_none() -> None:
    assert items(cf("list_merge", input_1=[0, "", False])) == [0, "", False]


def test_list_deduplicate_keeps_the_first_of_each_in_order_even_for_dicts() -> None:
    rows = cf("list_deduplicate", input_list=["b", "a", "b", {"k": 1}, {"k": 1}, [1], [1], 1, "1", None, None])
    assert items(rows) == ["b", "a", {"k": 1}, [1], 1, "1", None]


def test_list_deduplicate_of_nothing_is_nothing_and_a_scalar_is_a_list_of_one() -> None:
    assert cf("list_deduplicate", input_list=None) == [] and cf("list_deduplicate", input_list=[]) == []
    assert cf("list_deduplicate", input_list="solo") == [{"item": "solo"}]


def test_list_drop_none_drops_everything_false() -> None:
    assert items(cf("list_drop_none", input_list=[None, "", [], {}, 0, "x", [0]])) == ["x", [0]]


def test_list_zip_truncates_to_the_shortest_and_broadcasts_single_values() -> None:
    rows = cf("list_zip", input_1=["a", "b", "c"], input_2=["1", "2"], input_3=["same"])
    assert rows == [{"input_1": "a", "input_2": "1", "input_3": "same"},
                    {"input_1": "b", "input_2": "2", "input_3": "same"}]


def test_list_zip_longest_pads_with_none_and_padding_can_be_switched_off() -> None:
    rows = cf("list_zip", zip_type="longest", pad_values="False", input_1=["a", "b"], input_2=["only"])
    assert rows == [{"input_1": "a", "input_2": "only"}, {"input_1": "b", "input_2": None}]
    assert cf("list_zip") == []
    with pytest.raises(ValueError, match="zip_type"):
        cf("list_zip", zip_type="middle", input_1=["a"])


def test_passthrough_and_debug_report_only_the_inputs_given() -> None:
    assert cf("passthrough", input_2=["x", ["y"]], input_5=0) == [
        {"item": "x", "input_name": "input_2"}, {"item": ["y"], "input_name": "input_2"},
        {"item": 0, "input_name": "input_5"}]
    assert cf("debug", input_3=[1]) == [{"input_name": "input_3", "value": "[1]", "types": "<class 'list'>"}]
    assert cf("noop") == {}


def test_string_split_trims_by_default_and_knows_the_word_space() -> None:
    assert items(cf("string_split", input_string=" a, b ,,c ")) == ["a", "b", "c"]
    assert items(cf("string_split", input_string="a b", delimiter="space")) == ["a", "b"]
    assert items(cf("string_split", input_string="a| b", delimiter="|", strip_whitespace="False")) == ["a", " b"]


def test_regex_split_and_filter() -> None:
    assert items(cf("regex_split", input_string="a1b22c", regex=r"\d+")) == ["a", "b", "c"]
    rows = cf("regex_filter_list", input_list=["mail.example.com", "10.0.0.1", None], regex=r"^\d")
    assert items(rows) == ["10.0.0.1"]
    dropped = cf("regex_filter_list", action="drop", input_list=["mail.example.com", "10.0.0.1"], regex=r"^\d")
    assert items(dropped) == ["mail.example.com"]
    with pytest.raises(ValueError, match="keep"):
        cf("regex_filter_list", action="maybe", input_list=["a"], regex="a")


def test_regex_extract_ipv4_rejects_impossible_octets_and_reports_none_when_nothing_matches() -> None:
    rows = cf("regex_extract_ipv4", input_string="a 10.0.0.1, b 999.1.1.1, c 1.2.3.4.5, d 10.0.0.1 e 192.168.1.254")
    assert items(rows, "extracted_ipv4") == ["10.0.0.1", "192.168.1.254"]
    assert cf("regex_extract_ipv4", input_string="none") == [{"extracted_ipv4": None, "input_value": "none"}]


def test_regex_extract_url_drops_sentence_punctuation() -> None:
    rows = cf("regex_extract_url", input_string="Go to https://a.example/x?y=1. Or (see http://b.example/wiki_(x)).")
    assert items(rows, "extracted_url") == ["https://a.example/x?y=1", "http://b.example/wiki_(x)"]
    assert cf("regex_extract_url", input_string="") == [{"extracted_url": None, "input_string": ""}]


def test_regex_extract_email_deduplicates_and_splits_the_domain() -> None:
    rows = cf("regex_extract_email", input_string='"Bob" <bob@corp.example>, BOB@corp.example; eve@x.io.')
    assert rows == [{"email_address": "bob@corp.example", "domain": "corp.example"},
                    {"email_address": "eve@x.io", "domain": "x.io"}]


def test_case_conversion() -> None:
    assert cf("string_to_lowercase", input_string="MiXeD") == {"lowercase_string": "mixed"}
    assert cf("string_to_uppercase", input_string="MiXeD") == {"uppercase_string": "MIXED"}
    assert cf("string_to_uppercase", input_string=None) == {"uppercase_string": None}


def test_base64_decode_single_split_padding_and_garbage() -> None:
    assert cf("base64_decode", input_string="Y2FsYy5leGU") == [{"input_string": "Y2FsYy5leGU", "output_string": "calc.exe"}]
    rows = cf("base64_decode", input_string="YQ== Yg==", split_input="true", delimiter="space")
    assert items(rows, "output_string") == ["a", "b"]
    with pytest.raises(ValueError, match="not base64"):
        cf("base64_decode", input_string="@@@")


def test_json_safe_format_escapes_raw_control_characters() -> None:
    out = cf("json_safe_format", json_input='{"body": "line one\nline\ttwo"}')["json_output"]
    assert json.loads(out) == {"body": "line one\nline\ttwo"} and "\n" not in out


def test_url_parse_splits_every_part() -> None:
    out = cf("url_parse", input_url="https://user@Example.com:8443/p/a;x?q=1&r=2#frag")
    assert out == {"scheme": "https", "netloc": "user@Example.com:8443", "path": "/p/a", "params": "x",
                   "query": "q=1&r=2", "fragment": "frag", "output_url": "https://user@Example.com:8443/p/a;x?q=1&r=2#frag",
                   "hostname": "example.com", "port": 8443}
    assert cf("url_parse", input_url="http://h:99999/")["port"] is None
