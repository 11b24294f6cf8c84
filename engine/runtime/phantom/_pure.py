"""The parts of `phantom.rules` that only compute: they import nothing from Django, so the
runner processes (engine.runner.shim) use them as the engine's runtime does."""
from __future__ import annotations

import ipaddress
import json
import time
from typing import Any


def concatenate(*values: Any, dedup: bool = False, **kwargs: Any) -> list[Any]:
    """Merge scalars and lists into one flat list (one level), optionally de-duplicated."""
    flat: list[Any] = []
    for value in values:
        if isinstance(value, (list, tuple)):
            flat.extend(value)
        elif value is not None:
            flat.append(value)
    if dedup:
        seen: list[Any] = []
        for item in flat:
            if item not in seen:
                seen.append(item)
        return seen
    return flat

def parse_success(results: Any) -> list[Any]:
    """The `data` items of every successful action result in a callback's `results`."""
    items: list[Any] = []
    for app_run in results or []:
        for result in app_run.get("action_results") or []:
            if result.get("status") == "success":
                items.extend(result.get("data") or [])
    return items


def parse_errors(results: Any) -> list[str]:
    """The messages of every failed action result in a callback's `results`."""
    return [str(r.get("message") or "") for app_run in results or [] for r in app_run.get("action_results") or []
            if r.get("status") != "success"]


def get_successful_action_results_v2(results: Any) -> list[dict[str, Any]]:
    """The successful action results (one per parameter set) of a callback's `results`."""
    return [r for app_run in results or [] for r in app_run.get("action_results") or [] if r.get("status") == "success"]


def is_ip(value: Any) -> bool:
    """Whether the value is an IPv4 or IPv6 address (`valid_ip` is the same check)."""
    try:
        ipaddress.ip_address(str(value).strip())
    except ValueError:
        return False
    return True


valid_ip = is_ip


def valid_net(value: Any) -> bool:
    """Whether the value is a network in CIDR notation (host bits allowed) or an address."""
    try:
        ipaddress.ip_network(str(value).strip(), strict=False)
    except ValueError:
        return False
    return True

def address_in_network(ip: Any, net: Any) -> bool:
    """Whether the address `ip` lies in the network `net` (False when either is malformed)."""
    try:
        return ipaddress.ip_address(str(ip).strip()) in ipaddress.ip_network(str(net).strip(), strict=False)
    except ValueError:
        return False


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
        conditions = [list(c) for c in self.state.get("conditions") or [] if isinstance(c, (list, tuple)) and len(c) == 3]
        return bool(conditions) and self._conditions_hold(conditions, results)

    def _conditions_hold(self, conditions: list[list[Any]], results: Any) -> bool:
        """Whether the exit conditions (datapaths over the run's data) hold: the engine's
        LoopState evaluates them, a runner's asks the engine."""
        raise NotImplementedError

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
