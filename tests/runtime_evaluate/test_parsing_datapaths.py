from __future__ import annotations

import pytest

from engine.runtime.evaluate import STAR, DatapathError, Kind, is_datapath, parse_datapath


def test_it_parses_an_artifact_cef_path_into_segments() -> None:
    dp = parse_datapath("artifact:*.cef.sourceAddress")
    assert (dp.kind, dp.segments, dp.block, dp.filtered_by) == (Kind.ARTIFACT, ("cef", "sourceAddress"), None, None)


def test_it_keeps_nested_cef_fields_with_dashes_and_spaces() -> None:
    assert parse_datapath("artifact:*.cef.emailHeaders.Message-ID").segments == ("cef", "emailHeaders", "Message-ID")
    assert parse_datapath("artifact:*.cef.internet message id").segments == ("cef", "internet message id")


def test_it_reads_numeric_segments_as_list_indexes() -> None:
    dp = parse_datapath("prompt_1:action_result.summary.responses.0")
    assert dp.kind is Kind.ACTION_RESULT and dp.block == "prompt_1"
    assert dp.segments == ("summary", "responses", 0)


def test_it_marks_star_segments() -> None:
    dp = parse_datapath("geolocate_ip_1:action_result.data.*.country_name")
    assert dp.segments == ("data", STAR, "country_name") and dp.has_star


def test_it_strips_the_filtered_data_prefix_into_filtered_by() -> None:
    dp = parse_datapath("filtered-data:filter_1:condition_2:geolocate_ip_1:action_result.parameter.ip")
    assert dp.filtered_by == "filter_1:condition_2"
    assert (dp.kind, dp.block, dp.segments) == (Kind.ACTION_RESULT, "geolocate_ip_1", ("parameter", "ip"))


@pytest.mark.parametrize(
    ("text", "kind", "block", "name", "segments"),
    [
        ("container:id", Kind.CONTAINER, None, None, ("id",)),
        ("container:data.summary.user", Kind.CONTAINER, None, None, ("data", "summary", "user")),
        ("artifact:*.id", Kind.ARTIFACT, None, None, ("id",)),
        ("artifact:*", Kind.ARTIFACT, None, None, ()),
        ("playbook_input:user", Kind.PLAYBOOK_INPUT, None, "user", ()),
        ("custom_list:my list.v2", Kind.CUSTOM_LIST, None, "my list.v2", ()),
        ("b:action_result", Kind.ACTION_RESULT, "b", None, ()),
        ("b:action_result.status", Kind.ACTION_RESULT, "b", None, ("status",)),
        ("b:artifact:*.cef.ip", Kind.ACTION_ARTIFACT, "b", None, ("cef", "ip")),
        ("b:summary.total_objects", Kind.APP_RUN, "b", None, ("summary", "total_objects")),
        ("cf:custom_function_result.data.*.item", Kind.CF_RESULT, "cf", None, ("data", STAR, "item")),
        ("cf:custom_function_result.success", Kind.CF_RESULT, "cf", None, ("success",)),
        ("code_1:custom_function:note_content", Kind.CODE_OUTPUT, "code_1", "note_content", ()),
        ("fmt:formatted_data", Kind.FORMAT, "fmt", None, ()),
        ("fmt:formatted_data.*", Kind.FORMAT, "fmt", None, (STAR,)),
        ("pb:playbook_output:observable.ticket.name", Kind.PLAYBOOK_OUTPUT, "pb", "observable", ("ticket", "name")),
        ("pb:playbook_input:email", Kind.CHILD_INPUT, "pb", "email", ()),
        ("b:filtered-action_result.parameter.ip", Kind.CALLBACK_RESULT, "b", None, ("parameter", "ip")),
        ("filtered-artifact:*.cef.bytesIn", Kind.CALLBACK_ARTIFACT, None, None, ("cef", "bytesIn")),
    ],
)
def test_it_recognises_every_location_form(
    text: str, kind: Kind, block: str | None, name: str | None, segments: tuple[object, ...]
) -> None:
    dp = parse_datapath(text)
    assert (dp.kind, dp.block, dp.name, dp.segments) == (kind, block, name, segments)


def test_it_returns_the_same_object_for_the_same_string() -> None:
    assert parse_datapath("artifact:*.cef.x") is parse_datapath("artifact:*.cef.x")


@pytest.mark.parametrize(
    ("text", "column", "reason"),
    [
        ("", 0, "empty string"),
        ("sourceAddress", 0, "missing ':'"),
        ("artifact:cef.x", 9, "'*'"),
        ("artifact:*.cef..x", 15, "empty path segment"),
        ("geo:action_result.data.*.", 25, "empty path segment"),
        ("geo:bogus.x", 4, "unknown root 'bogus'"),
        ("a b:action_result.x", 0, "neither a known location"),
        ("filtered-data:f:cond_1:artifact:*.id", 16, "condition_<n>"),
        ("filtered-data:f:condition_1", 27, "filtered-data:<filter>"),
        ("fmt:formatted_data.0", 19, "'.*'"),
        ("container:", 10, "empty path"),
    ],
)
def test_it_rejects_malformed_datapaths_with_a_located_reason(text: str, column: int, reason: str) -> None:
    with pytest.raises(DatapathError) as caught:
        parse_datapath(text)
    assert caught.value.column == column
    assert reason in str(caught.value)


@pytest.mark.parametrize("literal", ["success", "", "https://example.com", "%Y-%m-%d %H:%M:%S", "Case: open", "5"])
def test_it_treats_strings_without_a_known_source_as_literals(literal: str) -> None:
    assert not is_datapath(literal)


def test_it_treats_non_strings_as_literals() -> None:
    assert not is_datapath(5) and not is_datapath(None) and not is_datapath(["artifact:*.id"])
