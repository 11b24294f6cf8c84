"""The graph model: typed views over SOAR JSON that keep everything else untouched."""

from __future__ import annotations

import json

import pytest
from pbkit import action, code, edge, node, playbook, simple

from editor.graph import SoarFormatError, parse_playbook


def test_it_views_nodes_edges_and_envelope_fields() -> None:
    pb = parse_playbook(playbook([action("2", "a"), code("3", "c", user_code="\n    x = 1\n")],
                                 [edge("0", "2"), edge("2", "3", 0)], version="6.1.0.131"))  # fmt: skip
    assert pb.version == "6.1.0.131" and pb.playbook_type == "automation" and pb.input_spec == []
    assert pb.nodes["2"].function_name == "a" and pb.nodes["3"].user_code == "\n    x = 1\n"
    assert pb.nodes["3"].custom_code is None
    assert [e.condition_indices for e in pb.edges] == [[], [0]]


def test_it_orders_nodes_numerically_like_soar() -> None:
    pb = parse_playbook(playbook([action("10", "ten"), action("9", "nine")], [edge("0", "9"), edge("0", "10")]))
    assert pb.node_order() == ["0", "1", "9", "10"]


def test_edits_through_the_model_reach_the_exported_json() -> None:
    pb = parse_playbook(simple())
    pb.nodes["2"].data["functionName"] = "renamed"
    pb.nodes["2"].extra["userCode"] = "\n    pass\n"
    out = pb.to_json()
    assert out["coa"]["data"]["nodes"]["2"]["data"]["functionName"] == "renamed"
    assert out["coa"]["data"]["nodes"]["2"]["userCode"] == "\n    pass\n"


def test_parsing_copies_so_the_callers_dict_is_never_aliased() -> None:
    raw = simple()
    pb = parse_playbook(raw)
    pb.nodes["2"].data["functionName"] = "changed"
    assert raw["coa"]["data"]["nodes"]["2"]["data"]["functionName"] == "geolocate_ip_1"


def test_a_null_custom_code_is_a_leftover_not_an_override() -> None:
    raw = simple()
    raw["coa"]["data"]["nodes"]["2"]["customCode"] = None
    pb = parse_playbook(raw)
    assert pb.nodes["2"].custom_code is None and pb.to_json() == raw


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda pb: pb["coa"].pop("data"), "coa.data"),
        (lambda pb: pb["coa"]["data"].update(nodes=[]), "coa.data.nodes"),
        (lambda pb: pb["coa"]["data"].update(edges={}), "coa.data.edges"),
        (lambda pb: pb["coa"]["data"]["nodes"]["2"].update(id="3"), 'coa.data.nodes["2"].id'),
        (
            lambda pb: pb["coa"]["data"]["nodes"]["2"]["data"].update(functionName=5),
            'coa.data.nodes["2"].data.functionName',
        ),
        (lambda pb: pb["coa"]["data"]["edges"][0].update(conditions="x"), "coa.data.edges[0].conditions"),
    ],
)
def test_malformed_json_raises_with_the_key_path(mutate: object, path: str) -> None:
    raw = json.loads(json.dumps(simple()))
    mutate(raw)  # type: ignore[operator]
    with pytest.raises(SoarFormatError) as exc:
        parse_playbook(raw)
    assert exc.value.path == path and path in str(exc.value)


def test_unknown_node_types_are_kept_for_validation_to_report() -> None:
    pb = parse_playbook(playbook([node("2", "hologram", "h")], [edge("0", "2")]))
    assert pb.nodes["2"].type == "hologram" and pb.to_json()["coa"]["data"]["nodes"]["2"]["type"] == "hologram"
