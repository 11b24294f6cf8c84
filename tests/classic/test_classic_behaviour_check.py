"""The converted playbooks do what the classic ones did: the same app actions (action,
assets, parameter datapaths), the same filter/decision conditions and the same child
playbook calls, read with ``ast`` from the classic block code and the compiled module."""

from __future__ import annotations

import copy

import pytest
from classickit import action, corpus_doc, end, link, playbook, start

from editor.classic import Conversion, convert_classic
from editor.classic.behaviour import compare, facts_of_source
from editor.classic.cells import read_classic
from editor.classic.rename import rename_code
from editor.compiler import compile_playbook

TARGET = 0.95


@pytest.mark.corpus
def test_at_least_95_percent_of_the_corpus_makes_the_same_calls_as_the_classic_code(
    converted_corpus: dict[str, Conversion],
) -> None:
    same = [n for n, c in converted_corpus.items() if c.report.behaviour.get("same")]
    print(f"\nclassic behaviour check {len(same)}/{len(converted_corpus)} make the same calls")
    for name, conversion in sorted(converted_corpus.items()):
        if name not in same:
            print(f"  {name}: {conversion.report.behaviour['missing'][:2]}")
    assert len(same) >= TARGET * len(converted_corpus)


@pytest.mark.corpus
def test_every_playbook_that_behaves_differently_lists_the_difference_as_needs_review(
    converted_corpus: dict[str, Conversion],
) -> None:
    for name, conversion in converted_corpus.items():
        report = conversion.report
        assert report.behaviour, name
        if report.behaviour["same"]:
            continue
        flagged = [r for b in report.blocks for r in b.review if r.startswith("behaviour differs")]
        flagged += [r for r in report.review if r.startswith("behaviour differs")]
        assert len(flagged) == len(report.behaviour["missing"]) + len(report.behaviour["extra"]), name
        assert report.status == "needs-review"


@pytest.mark.corpus
def test_it_compares_every_phantom_act_call_of_the_classic_code(converted_corpus: dict[str, Conversion]) -> None:
    """Recount independently: the classic acts the check saw are all the acts in the
    classic cells, and a playbook that passed has exactly as many in its module."""
    for name, conversion in converted_corpus.items():
        if not conversion.report.behaviour["same"]:
            continue
        cells = read_classic(corpus_doc(name)).cells
        classic = sum(len(f) for c in cells for f in facts_of_source(c.effective_code).by_function.values())
        classic += sum(len(f) for f in facts_of_source(read_classic(corpus_doc(name)).global_code).by_function.values())
        modern = sum(len(f) for f in facts_of_source(conversion.source or "").by_function.values())
        assert classic == modern == conversion.report.behaviour["classic_calls"], name


def _simple() -> Conversion:
    return convert_classic(playbook(start(), action("geolocate_ip_1", 1), end(), link("id-start", "geolocate_ip_1"),
                                    link("geolocate_ip_1", "id-end")), name="simple")


def test_it_finds_no_difference_when_the_calls_are_the_same() -> None:
    conversion = _simple()
    assert conversion.report.behaviour["same"] is True
    assert conversion.report.behaviour["classic_calls"] == 1


def test_it_notices_an_action_run_on_another_asset() -> None:
    conversion = _simple()
    doc = copy.deepcopy(conversion.playbook)
    doc["coa"]["data"]["nodes"]["2"]["data"]["connectorConfigs"] = ["other"]
    classic = facts_of_source(conversion.source or "")
    result = compare(classic, facts_of_source(compile_playbook(doc).source))
    assert not result.same
    assert result.missing[0][0] == "geolocate_ip_1" and result.missing[0][1][2] == ("maxmind",)


def test_it_notices_a_parameter_that_reads_another_datapath() -> None:
    conversion = _simple()
    doc = copy.deepcopy(conversion.playbook)
    doc["coa"]["data"]["nodes"]["2"]["data"]["parameters"]["ip"] = "artifact:*.cef.destinationAddress"
    result = compare(facts_of_source(conversion.source or ""), facts_of_source(compile_playbook(doc).source))
    assert not result.same


def test_it_notices_a_changed_condition_and_a_missing_child_playbook() -> None:
    classic = '''
def decision_1(**kwargs):
    phantom.decision(container=container, conditions=[["artifact:*.cef.x", "==", "1"]])
    phantom.playbook(playbook="local/child", container=container)
'''
    modern = '''
def decision_1(**kwargs):
    phantom.decision(container=container, conditions=[["artifact:*.cef.x", "!=", 1]])
'''
    result = compare(facts_of_source(classic), facts_of_source(modern))
    kinds = sorted(f[0] for _, f in result.missing)
    assert kinds == ["condition", "playbook"]


def test_it_treats_quoted_and_unquoted_numbers_and_container_variables_alike() -> None:
    classic = '''
def decision_1(**kwargs):
    severity_param = container.get("severity")
    phantom.decision(container=container, conditions=[[severity_param, ">=", 10]])
'''
    modern = '''
def decision_1(**kwargs):
    severity_value = container.get("severity", None)
    phantom.decision(container=container, conditions=[[severity_value, ">=", "10"]], delimiter=None)
'''
    assert compare(facts_of_source(classic), facts_of_source(modern)).same


def test_it_compares_renamed_blocks_under_their_new_names() -> None:
    classic = 'def Block_A(**kwargs):\n    phantom.act("x", parameters=[], assets=["a"], name="Block_A", callback=join_Next)\n'
    renamed = rename_code(classic, {"Block_A": "block_a", "Next": "next"})
    assert "def block_a(" in renamed and 'name="block_a"' in renamed and "callback=join_next" in renamed
