"""`phantom.LoopState`: the state of a logic loop (SOAR 6.2 "Understanding loop state").

The generated code builds the state dict on the first iteration, carries it through
`act(..., loop_state=state.to_json())` and gets it back as the callback's
`loop_state_json`; `should_continue` decides between another iteration and the children.
"""
from __future__ import annotations

import json
import time
from typing import Any

from engine.runtime.context import current
from engine.runtime.evaluate import decision as evaluate_decision
from engine.runtime.phantom._data import _source


class LoopStateError(ValueError):
    pass


def _number(state: dict[str, Any], key: str, default: float) -> float:
    value = state.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise LoopStateError(f"phantom.LoopState: {key} must be a number, not {value!r}") from None
    return float(value)


class LoopState:
    """`current_iteration` (from 1), `max_iterations`, `conditions` (exit conditions as
    `[datapath, operator, value]` triples), `max_ttl` and `delay_time` (seconds)."""

    def __init__(self, state: Any = None) -> None:
        if isinstance(state, str):
            try:
                state = json.loads(state)
            except ValueError as exc:
                raise LoopStateError(f"phantom.LoopState: state is not JSON ({exc})") from None
        if not isinstance(state, dict):
            raise LoopStateError("phantom.LoopState: state must be a dict or its JSON text")
        self.state: dict[str, Any] = dict(state)
        self.state.setdefault("current_iteration", 1)
        self.state.setdefault("max_iterations", 1)
        self.state.setdefault("conditions", [])
        # The first iteration's clock, so max_ttl counts from the start of the loop.
        self.state.setdefault("start_time", time.time())

    @property
    def current_iteration(self) -> int:
        return int(_number(self.state, "current_iteration", 1))

    @property
    def delay_time(self) -> float:
        return _number(self.state, "delay_time", 0)

    def exit_conditions_met(self, results: Any = None) -> bool:
        conditions = [c for c in self.state.get("conditions") or [] if isinstance(c, (list, tuple)) and len(c) == 3]
        if not conditions:
            return False
        ctx = current("LoopState.should_continue")
        outcome = evaluate_decision(_source(ctx), [list(c) for c in conditions], "and",
                                    scope="all", action_results=results)
        return bool(outcome.result)

    def should_continue(self, container: Any = None, results: Any = None, **kwargs: Any) -> bool:
        """False once the exit conditions hold for the latest results, the iteration cap is
        reached, or the loop has run longer than max_ttl seconds."""
        if self.exit_conditions_met(results):
            return False
        if self.current_iteration >= _number(self.state, "max_iterations", 1):
            return False
        ttl = _number(self.state, "max_ttl", 0)
        return not (ttl and time.time() - _number(self.state, "start_time", time.time()) >= ttl)

    def increment(self) -> int:
        self.state["current_iteration"] = self.current_iteration + 1
        return self.current_iteration

    def to_json(self) -> str:
        return json.dumps(self.state, sort_keys=True, default=str)

    def __repr__(self) -> str:
        return f"LoopState({self.to_json()})"


def loop_delay(loop_state: Any) -> float:
    """Seconds to wait before an iteration after the first (0 for the first or no loop)."""
    if not loop_state:
        return 0.0
    try:
        state = LoopState(loop_state)
    except LoopStateError:
        return 0.0
    return state.delay_time if state.current_iteration > 1 else 0.0
