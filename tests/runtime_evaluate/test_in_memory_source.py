from __future__ import annotations

import pytest

from engine.runtime.evaluate import DataSource, InMemoryDataSource, collect2


def test_it_implements_the_data_source_protocol(source: InMemoryDataSource) -> None:
    assert isinstance(source, DataSource)


def test_it_treats_every_artifact_as_new_when_no_scope_was_recorded() -> None:
    src = InMemoryDataSource(artifact_list=[{"id": 2}, {"id": 1}])
    assert [a["id"] for a in src.artifacts("new")] == [1, 2]


def test_it_returns_explicit_ids_in_id_order_and_skips_unknown_ones(source: InMemoryDataSource) -> None:
    assert [a["id"] for a in source.artifacts([103, 999, 101, 101])] == [101, 103]


def test_it_sees_artifacts_added_after_a_first_read(source: InMemoryDataSource) -> None:
    assert len(source.artifacts("all")) == 3
    source.add_artifact({"id": 100, "cef": {"x": 1}})
    assert collect2(source, ["artifact:*.id"], scope="all")[0] == [100]


def test_it_rejects_an_unknown_scope_word(source: InMemoryDataSource) -> None:
    with pytest.raises(ValueError, match="scope"):
        source.artifacts("everything")  # type: ignore[arg-type]


def test_it_answers_none_for_blocks_that_produced_nothing(source: InMemoryDataSource) -> None:
    assert source.action_results("nope") is None
    assert source.custom_function_results("nope") is None
    assert source.format_output("nope") is None
    assert source.filtered("nope:condition_1") is None
    assert source.child_playbook_outputs("nope") is None
    assert source.code_output("nope", "x") is None
