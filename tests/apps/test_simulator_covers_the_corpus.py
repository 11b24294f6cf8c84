"""The simulator answers every action of every corpus app along its declared outputs."""

from __future__ import annotations

from typing import Any

import pytest

from engine.apps.catalogue import ActionDef, AppDef
from engine.apps.datapaths import resolve, split_path
from engine.apps.dispatch import summarise
from engine.apps.simulator import Simulator

pytestmark = pytest.mark.corpus

_RESULT_ROOTS = {"data", "summary", "message", "status", "parameter"}
_APP_RUN_SUMMARY = {"total_objects", "total_objects_successful"}


def sample_params(action: ActionDef) -> dict[str, Any]:
    """A parameter for every declared input, from its default or the output examples."""
    params: dict[str, Any] = {}
    for spec in action.parameters:
        examples = [v for o in action.outputs
                    if o.data_path == f"action_result.parameter.{spec.name}"
                    for v in o.example_values]
        if spec.default is not None:
            params[spec.name] = spec.default
        elif examples:
            params[spec.name] = examples[0]
        else:
            params[spec.name] = {"numeric": 1, "boolean": True}.get(spec.data_type, "x")
    return params


def unresolved(app: AppDef, action: ActionDef) -> tuple[list[str], int]:
    """Declared paths missing from the simulated result, and how many are legitimately empty.

    Legitimately empty: ``summary.<key>`` beyond the two app-run counters (the platform
    computes that summary, connectors cannot add to it) and ``action_result.<key>``
    outside SOAR's five result keys.
    """
    params = sample_params(action)
    result = Simulator(app).handle_action(action.identifier, params).to_dict()
    app_run = summarise([result], name="sim_1", asset="asset")
    missing: list[str] = []
    empty = 0
    for output in action.outputs:
        segments = split_path(output.data_path)
        if segments[0] == "summary":
            if segments[1:2] and segments[1] not in _APP_RUN_SUMMARY:
                empty += 1
            elif not resolve(app_run, segments):
                missing.append(output.data_path)
        elif segments[0] == "action_result" and segments[1:2] and \
                segments[1] in _RESULT_ROOTS:
            if not resolve(result, segments[1:]):
                missing.append(output.data_path)
        else:
            empty += 1
    return missing, empty


def test_the_simulator_answers_every_action_along_its_outputs(
        corpus: list[AppDef], capsys: pytest.CaptureFixture[str]) -> None:
    total = answered = empty = 0
    failures: list[str] = []
    for app in corpus:
        for action in app.actions:
            total += 1
            missing, legitimately_empty = unresolved(app, action)
            empty += legitimately_empty
            if missing:
                failures.append(f"{app.name} / {action.name}: {missing[:3]}")
            else:
                answered += 1
    with capsys.disabled():
        print(f"\nsimulator actions {answered}/{total} "
              f"({empty} declared paths legitimately empty)")
    assert not failures, "\n".join(failures[:20])
    assert total >= 2000


def test_every_simulated_corpus_answer_is_deterministic(corpus: list[AppDef]) -> None:
    for app in corpus[:40]:
        for action in app.actions:
            params = sample_params(action)
            first = Simulator(app).handle_action(action.identifier, params).to_dict()
            again = Simulator(app).handle_action(action.identifier, params).to_dict()
            assert first == again, f"{app.name} / {action.name}"
