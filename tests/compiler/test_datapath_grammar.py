"""The datapath grammar (soar-format.md §4): what a string reads and from which block."""

from __future__ import annotations

import pytest

from editor.graph import datapath


@pytest.mark.parametrize(
    ("raw", "kind", "block", "path"),
    [
        ("artifact:*.cef.sourceAddress", "artifact", None, "*.cef.sourceAddress"),
        ("container:data.summary.user", "container", None, "data.summary.user"),
        ("playbook_input:user", "playbook_input", None, "user"),
        ("custom_list:blocked ips", "custom_list", None, "blocked ips"),
        ("geo_1:action_result.data.*.country", "action_result", "geo_1", "data.*.country"),
        ("geo_1:action_result", "action_result", "geo_1", ""),
        ("cf_1:custom_function_result.data.*.item", "cf_result", "cf_1", "data.*.item"),
        ("code_1:custom_function:out", "code_output", "code_1", "out"),
        ("fmt:formatted_data", "format", "fmt", ""),
        ("fmt:formatted_data.*", "format_list", "fmt", "*"),
        ("pb_1:playbook_output:observable.value", "playbook_output", "pb_1", "observable.value"),
        ("pb_1:playbook_input:ip", "child_input", "pb_1", "ip"),
    ],
)
def test_it_recognises_every_source_form(raw: str, kind: str, block: str | None, path: str) -> None:
    dp = datapath.parse(raw)
    assert dp is not None and (dp.kind, dp.block, dp.path) == (kind, block, path)
    assert not dp.filtered


def test_it_reads_the_filter_and_condition_of_filtered_data() -> None:
    dp = datapath.parse("filtered-data:ip_filter:condition_2:geo_1:action_result.parameter.ip")
    assert dp is not None and dp.filtered
    assert (dp.filter_block, dp.condition, dp.kind, dp.block) == ("ip_filter", 2, "action_result", "geo_1")
    assert dp.referenced_blocks() == ["ip_filter", "geo_1"]


@pytest.mark.parametrize("literal", ["", "hello", "https://example.com/x", "a b:c", "Ch@ng3M3!123", 5, None, ["x"]])
def test_literals_are_not_datapaths(literal: object) -> None:
    assert datapath.parse(literal) is None


def test_container_and_artifact_sources_name_no_block() -> None:
    for raw in ("artifact:*.id", "container:id", "playbook_input:x"):
        dp = datapath.parse(raw)
        assert dp is not None and dp.referenced_blocks() == []
