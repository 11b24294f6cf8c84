"""Every validation error kind is located: block id (in the field and the message),
field path, severity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pbkit import action, code, edge, node, playbook, simple

from editor.graph import ValidationError, parse_playbook, validate


def problems(pb: dict[str, Any], **kw: Any) -> list[ValidationError]:
    return validate(parse_playbook(pb), **kw)


def only(kind: str, pb: dict[str, Any], **kw: Any) -> ValidationError:
    found = [p for p in problems(pb, **kw) if p.kind == kind]
    assert found, f"no {kind} in {problems(pb, **kw)}"
    return found[0]


def test_a_well_formed_playbook_has_no_problems() -> None:
    assert problems(simple()) == []


def test_it_reports_the_block_id_of_an_unknown_block_type() -> None:
    pb = playbook([node("2", "teleport", "beam_me_up")], [edge("0", "2"), edge("2", "1")])
    e = only("unknown_type", pb)
    assert (e.block_id, e.field, e.severity) == ("2", "type", "error")
    assert "block 2" in e.message and "teleport" in e.message


def test_it_reports_the_block_id_of_a_dangling_edge() -> None:
    pb = simple()
    pb["coa"]["data"]["edges"].append(edge("2", "99"))
    e = only("dangling_edge", pb)
    assert e.block_id == "2" and "block 2" in e.message and "99" in e.message
    assert e.field == "coa.data.edges[2].targetNode"


def test_it_reports_the_block_id_of_an_unreachable_block() -> None:
    pb = playbook([action("2", "a"), action("3", "orphan")], [edge("0", "2"), edge("2", "1")])
    e = only("unreachable", pb)
    assert e.block_id == "3" and "block 3" in e.message


def test_it_reports_a_missing_start_block() -> None:
    pb = simple()
    del pb["coa"]["data"]["nodes"]["0"]
    pb["coa"]["data"]["edges"] = [e for e in pb["coa"]["data"]["edges"] if e["sourceNode"] != "0"]
    e = only("missing_start", pb)
    assert e.block_id is None and "start" in e.message


def test_it_reports_a_missing_end_block() -> None:
    pb = simple()
    del pb["coa"]["data"]["nodes"]["1"]
    pb["coa"]["data"]["edges"] = [e for e in pb["coa"]["data"]["edges"] if e["targetNode"] != "1"]
    assert "end" in only("missing_end", pb).message


def test_it_reports_the_block_id_of_an_undeclared_cycle() -> None:
    pb = playbook([action("2", "a"), action("3", "b")], [edge("0", "2"), edge("2", "3"), edge("3", "2")])
    e = only("cycle", pb)
    assert e.block_id in ("2", "3") and f"block {e.block_id}" in e.message and "2 -> 3" in e.message


def test_it_reports_the_block_id_of_a_duplicate_function_name() -> None:
    pb = playbook([action("2", "lookup"), action("3", "lookup")], [edge("0", "2"), edge("0", "3")])
    e = only("duplicate_name", pb)
    assert e.block_id == "3" and "block 3" in e.message and "block 2" in e.message


def test_it_reports_a_name_that_collides_with_a_generated_join_function() -> None:
    pb = playbook([action("2", "x"), action("3", "join_x")], [edge("0", "2"), edge("0", "3")])
    assert only("duplicate_name", pb).block_id == "3"


def test_it_reports_the_block_id_of_an_action_without_assets_when_the_app_needs_one() -> None:
    pb = simple()
    pb["coa"]["data"]["nodes"]["2"]["data"]["connectorConfigs"] = []
    app = {"name": "MaxMind", "actions": [{"action": "geolocate ip"}]}
    e = only("missing_asset", pb, catalogue=lambda n: app)
    assert e.block_id == "2" and e.field == "data.connectorConfigs" and "block 2" in e.message


def test_it_skips_the_asset_check_without_a_catalogue() -> None:
    pb = simple()
    pb["coa"]["data"]["nodes"]["2"]["data"]["connectorConfigs"] = []
    assert [p for p in problems(pb) if p.kind == "missing_asset"] == []


def test_it_reports_the_block_id_of_a_datapath_naming_a_missing_block() -> None:
    pb = playbook([action("2", "a", ip="ghost_block:action_result.data.*.ip")], [edge("0", "2")])
    e = only("dangling_datapath", pb)
    assert e.block_id == "2" and e.field == "data.parameters.ip" and "ghost_block" in e.message
    assert "block 2" in e.message and e.severity == "warning"  # SOAR ships such playbooks


def test_it_reports_the_line_of_invalid_python_in_user_code() -> None:
    pb = playbook([code("2", "c", user_code="\n    x = 1\n    y = (\n")], [edge("0", "2")])
    e = only("syntax", pb)
    assert e.block_id == "2" and e.field == "userCode" and e.line is not None and e.line >= 3
    assert "block 2" in e.message and f"line {e.line}" in e.message


def test_it_reports_user_code_that_dedents_out_of_its_region() -> None:
    pb = playbook([code("2", "c", user_code="\n    x = 1\nimport os\n")], [edge("0", "2")])
    e = only("code_escape", pb)
    assert e.block_id == "2" and e.line == 3 and "block 2" in e.message


def test_it_reports_invalid_global_custom_code_with_its_line() -> None:
    pb = simple()
    pb["coa"]["data"]["globalCustomCode"] = "import os\ndef broken(:\n"
    e = only("syntax", pb)
    assert e.block_id is None and e.field == "coa.data.globalCustomCode" and e.line == 2


def test_it_reports_a_custom_function_override_that_is_not_one_function() -> None:
    pb = simple()
    pb["coa"]["data"]["nodes"]["2"]["customCode"] = "def other():\n    pass\n"
    e = only("code_escape", pb)
    assert e.block_id == "2" and e.field == "customCode"


def test_it_reports_the_block_id_of_a_keyword_or_dunder_or_non_ascii_name() -> None:
    for bad in ("class", "__init__", "\u0441lass"):  # the last starts with a Cyrillic look-alike
        e = only("bad_identifier", playbook([action("2", bad)], [edge("0", "2")]))
        assert e.block_id == "2" and e.field == "data.functionName" and "block 2" in e.message


def test_it_warns_when_soar_normalisation_changes_a_name() -> None:
    e = only("renamed", playbook([action("2", 'x"); import os; ("')], [edge("0", "2")]))
    assert e.block_id == "2" and e.severity == "warning" and "x____import_os____" in e.message


def test_it_reports_a_branch_index_out_of_range() -> None:
    f = node("2", "filter", "f", conditions=[{"comparisons": [], "conditionIndex": 0, "logic": "and"}])
    pb = playbook([f, action("3", "a")], [edge("0", "2"), edge("2", "3", 5)])
    e = only("bad_branch", pb)
    assert e.block_id == "2" and "branch 5" in e.message


def test_it_reports_missing_required_fields_per_block_type() -> None:
    pb = playbook([node("2", "format", "fmt")], [edge("0", "2")])
    e = only("missing_field", pb)
    assert e.block_id == "2" and e.field == "data.template" and "block 2" in e.message


def test_it_reports_oversized_strings_with_their_field() -> None:
    from editor.graph import Limits

    pb = playbook([node("2", "format", "fmt", template="x" * 101, parameters=[])], [edge("0", "2")])
    e = only("too_large", pb, limits=Limits(max_string=100))
    assert e.block_id == "2" and e.field == "data.template"


def test_errors_are_plain_data() -> None:
    # Unreachable blocks are only a warning now (issue 20 item 7); an unknown block type
    # stays an error.
    e = only("unknown_type", playbook([node("2", "teleport", "beam_me_up")], [edge("0", "2")]))
    assert e.as_dict()["block_id"] == "2" and e.as_dict()["severity"] == "error"


def test_an_app_catalogue_folder_finds_the_app_by_id_or_name(tmp_path: Path) -> None:
    from editor.graph.catalogue import app_catalogue

    (tmp_path / "maxmind.json").write_text(
        json.dumps({"appid": "c0ffee", "name": "MaxMind", "actions": [{"action": "geolocate ip"}]})
    )
    (tmp_path / "broken.json").write_text("{")
    pb = simple()
    pb["coa"]["data"]["nodes"]["2"]["data"]["connectorConfigs"] = []
    assert only("missing_asset", pb, catalogue=app_catalogue(tmp_path)).block_id == "2"
    pb["coa"]["data"]["nodes"]["2"]["data"]["action"] = "teleport"
    assert only("unknown_action", pb, catalogue=app_catalogue(tmp_path)).field == "data.action"


@pytest.mark.corpus
def test_the_whole_corpus_validates_without_errors_against_the_shared_apps(corpus: Path) -> None:
    from editor.graph.catalogue import app_catalogue

    catalogue = app_catalogue(corpus.parent / "apps")
    for path in sorted((corpus / "modern").glob("*.json")):
        errors = [e for e in validate(parse_playbook(json.loads(path.read_text())), catalogue) if e.severity == "error"]
        assert errors == [], path.name


def test_it_validates_raw_json_and_turns_unreadable_json_into_a_located_error() -> None:
    assert validate(simple()) == []
    pb = simple()
    pb["coa"]["data"]["nodes"]["2"]["data"] = []
    [e] = validate(pb)
    assert (e.kind, e.field) == ("format", 'coa.data.nodes["2"].data')


def test_it_warns_that_user_code_on_a_block_without_a_region_is_ignored() -> None:
    d = node("2", "decision", "d", conditions=[{"comparisons": [], "conditionIndex": 0, "logic": "and", "type": "if"}])
    d["userCode"] = "\n    x = 1\n"
    e = only("ignored_code", playbook([d], [edge("0", "2")]))
    assert (e.block_id, e.field, e.severity) == ("2", "userCode", "warning") and "block 2" in e.message
