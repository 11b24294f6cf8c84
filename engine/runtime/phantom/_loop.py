"""`phantom.LoopState`: the state of a logic loop (SOAR 6.2 "Understanding loop state").

The generated code builds the state dict on the first iteration, carries it through
`act(..., loop_state=state.to_json())` and gets it back as the callback's
`loop_state_json`; `should_continue` decides between another iteration and the children.
"""
from __future__ import annotations

from typing import Any

from engine.runtime.context import current
from engine.runtime.evaluate import decision as evaluate_decision
from engine.runtime.phantom import _pure
from engine.runtime.phantom._data import _source
from engine.runtime.phantom._pure import LoopStateError


class LoopState(_pure.LoopState):
    __doc__ = _pure.LoopState.__doc__

    def _conditions_hold(self, conditions: list[list[Any]], results: Any) -> bool:
        ctx = current("LoopState.should_continue")
        outcome = evaluate_decision(_source(ctx), conditions, "and", scope="all", action_results=results)
        return bool(outcome.result)


def loop_delay(loop_state: Any) -> float:
    """Seconds to wait before an iteration after the first (0 for the first or no loop)."""
    if not loop_state:
        return 0.0
    try:
        state = LoopState(loop_state)
    except LoopStateError:
        return 0.0
    return state.delay_time if state.current_iteration > 1 else 0.0
