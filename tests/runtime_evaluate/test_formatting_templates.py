from __future__ import annotations

from engine.runtime.evaluate import FormatData, InMemoryDataSource, format_template, get_format_data


def test_it_fills_numbered_placeholders_from_datapaths(source: InMemoryDataSource) -> None:
    out = format_template(source, "Case {0}: {1}", ["container:id", "container:name"])
    assert out.text == "Case 7: Phishing report" and out.rows == ["Case 7: Phishing report"]


def test_it_joins_multiple_values_with_the_separator(source: InMemoryDataSource) -> None:
    assert format_template(source, "IPs: {0}", ["artifact:*.cef.destinationAddress"], scope=[101, 102]).text == (
        "IPs: 1.1.1.1, 8.8.8.8"
    )
    assert format_template(source, "{0}", ["artifact:*.id"], scope="all", separator=" OR ").text == "101 OR 102 OR 103"


def test_it_renders_missing_values_as_none_unless_dropped(source: InMemoryDataSource) -> None:
    assert format_template(source, "{0}", ["artifact:*.cef.suser"], scope="all").text == "None, None, bob@example.com"
    assert format_template(source, "{0}", ["artifact:*.cef.suser"], scope="all", drop_none=True).text == (
        "bob@example.com"
    )


def test_it_repeats_a_percent_section_once_per_row(source: InMemoryDataSource) -> None:
    template = "(|\n%%\n(ip={0} case={1})\n%%\n)\n"
    out = format_template(source, template, ["artifact:*.cef.destinationAddress", "container:id"], scope=[101, 102])
    assert out.text == "(|\n(ip=1.1.1.1 case=7)\n(ip=8.8.8.8 case=7)\n)\n"
    assert out.rows == ["(ip=1.1.1.1 case=7)", "(ip=8.8.8.8 case=7)"]


def test_it_renders_no_rows_for_an_empty_source(source: InMemoryDataSource) -> None:
    out = format_template(source, "start\n%%\n{0}\n%%\nend", ["never_ran:action_result.parameter.ip"])
    assert out.text == "start\nend" and out.rows == []


def test_it_keeps_escaped_braces_literal(source: InMemoryDataSource) -> None:
    out = format_template(source, '%%\n{{"email": "{0}"}}\n%%', ["playbook_input:user"], drop_none=True)
    assert out.rows == ['{"email": "alice"}', '{"email": ""}', '{"email": "bob"}']


def test_it_survives_unbalanced_braces_by_substituting_only_numbered_placeholders(source: InMemoryDataSource) -> None:
    assert format_template(source, "objects{}.x {0} }", ["container:id"]).text == "objects{}.x 7 }"


def test_it_leaves_a_placeholder_without_a_parameter_as_written(source: InMemoryDataSource) -> None:
    assert format_template(source, "{0} {1}", ["container:id"]).text == "7 {1}"


def test_it_uses_literal_parameters_verbatim(source: InMemoryDataSource) -> None:
    assert format_template(source, "{0}/{1}", ["https://soar.example", 5]).text == "https://soar.example/5"


def test_it_reads_code_outputs_and_other_formats(source: InMemoryDataSource) -> None:
    out = format_template(source, "{0} | {1}", ["merge_groups:custom_function:list", "note:formatted_data"])
    assert out.text == "g1, g2 | IPs: 1.1.1.1, 8.8.8.8"


def test_it_gives_the_stored_text_and_the_as_list_rows() -> None:
    stored = {"fmt": FormatData("a\nb", ("a", "b"))}
    assert get_format_data(stored, "fmt") == "a\nb"
    assert get_format_data(stored, "fmt__as_list") == ["a", "b"]
    assert get_format_data(stored, "other") is None


def test_its_outcome_converts_to_what_the_runtime_stores(source: InMemoryDataSource) -> None:
    out = format_template(source, "%%\n{0}\n%%", ["playbook_input:user"])
    assert out.as_format_data() == FormatData("alice\n\nbob", ("alice", "", "bob"))
