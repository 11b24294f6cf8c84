"""Answer any catalogued action without a real connector.

Order of answers for one call: a per-asset override that matches, then a recorded
response (see :mod:`engine.apps.recording`), then a synthetic result built from the
action's declared output datapaths and their ``example_values``. Synthetic answers are
deterministic: the same parameters always give the same result.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from engine.apps.base import APP_ERROR, APP_SUCCESS, ActionResult, copy_json
from engine.apps.catalogue import ActionDef, AppDef, OutputDef
from engine.apps.datapaths import build, split_path
from engine.apps.recording import Recording, params_key

__all__ = ["Override", "Simulator", "SimulatorError", "placeholder", "synthesise"]

# An override is a result dict, a list of them (served in turn, the last repeats), a
# matcher ``{"cases": [{"when": {...}, "result": {...}}], "default": {...}}``, or a
# callable ``param -> result dict | None``.
Override = Mapping[str, Any] | Sequence[Mapping[str, Any]] | Callable[
    [Mapping[str, Any]], "Mapping[str, Any] | None"]

_RESULT_KEYS = frozenset({"status", "message", "data", "summary", "parameter", "simulated"})
_ACTION_RESULT_ROOTS = ("data", "summary", "message", "status")
# Example messages are often copied from a failed run; a success should not say so.
_FAILURE_WORDS = re.compile(r"\b(error|fail|failed|unable|can't|cannot|not found|invalid)\b",
                            re.IGNORECASE)


class SimulatorError(LookupError):
    """The simulator cannot answer: unknown action, or a strict replay found nothing."""


class Simulator:
    """Serve an :class:`AppDef`'s actions from overrides, recordings or example values.

    ``overrides`` maps an action name or identifier to an :data:`Override`.
    ``recording`` supplies replayed responses; with ``strict_replay`` a call that has
    no recording fails instead of falling back to synthetic data (as a mocked run in
    SOAR's asset mocker does).
    """

    # Real apps receive values outside a parameter's value_list (see dispatch.run_action).
    strict_value_lists = False

    def __init__(self, appdef: AppDef, config: Mapping[str, Any] | None = None, *,
                 overrides: Mapping[str, Override] | None = None,
                 recording: Recording | None = None,
                 strict_replay: bool = False, extra_outputs: tuple[str, ...] = ()) -> None:
        self.appdef = appdef
        # Datapaths the calling playbook reads beyond the declared outputs (a query's
        # columns, LDAP attributes it asked for): answered with placeholders, so custom
        # datapaths that a real service would fill are not None.
        self.extra_outputs = extra_outputs
        self.config = dict(config or {})
        self.recording = recording
        self.strict_replay = strict_replay
        self._overrides: dict[str, Override] = {}
        self._calls: dict[str, int] = {}
        self._lock = threading.Lock()  # parallel app runs share one simulator per asset
        for key, override in (overrides or {}).items():
            action = appdef.action(key)
            if action is None:
                raise SimulatorError(f"override for unknown action {key!r} of {appdef.name!r}")
            _check_override(key, override)
            self._overrides[action.identifier] = override

    @property
    def runs_inline(self) -> bool:
        """True when an answer is pure data (no callable override that could block):
        the dispatcher then calls it directly instead of in a watchdog thread, which at
        thousands of simulated actions a second costs more than the answer."""
        return not any(callable(o) for o in self._overrides.values())

    def handle_action(self, action_identifier: str, param: Mapping[str, Any]) -> ActionResult:
        """Answer one call; ``action_identifier`` may also be the action's name."""
        action = self.appdef.action(action_identifier)
        if action is None:
            raise SimulatorError(f"{self.appdef.name!r} has no action {action_identifier!r}")
        pinned = self._from_override(action, param)
        if pinned is not None:
            result = ActionResult.from_dict(pinned, param=pinned.get("parameter", param))
        elif self.recording is not None and (
                replayed := self.recording.lookup(self.appdef.appid, action.identifier, param)
        ) is not None:
            result = ActionResult.from_dict(replayed, param=param)
        elif self.recording is not None and self.strict_replay:
            result = ActionResult(param)
            result.set_status(APP_ERROR, f"No recording for {self.appdef.name} "
                                         f"'{action.name}' with parameters {params_key(param)}")
        else:
            result = synthesise(self.appdef, action, param, extra_outputs=self.extra_outputs)
        result.simulated = True
        return result

    def _from_override(self, action: ActionDef,
                       param: Mapping[str, Any]) -> Mapping[str, Any] | None:
        override = self._overrides.get(action.identifier)
        if override is None:
            return None
        if callable(override):
            return override(param)
        if isinstance(override, Mapping):
            if "cases" in override:
                for case in override["cases"]:
                    if _matches(case.get("when") or {}, param):
                        return dict(case["result"])
                default = override.get("default")
                return dict(default) if default is not None else None
            return override
        with self._lock:
            calls = self._calls.get(action.identifier, 0)
            self._calls[action.identifier] = calls + 1
        return override[min(calls, len(override) - 1)]


def _check_override(key: str, override: Override) -> None:
    if callable(override):
        return
    if isinstance(override, Mapping):
        if "cases" in override:
            candidates = [c.get("result") for c in override["cases"]]
            if "default" in override:
                candidates.append(override["default"])
        else:
            candidates = [override]
    else:
        if not override:
            raise SimulatorError(f"override for {key!r} is an empty list")
        candidates = list(override)
    for candidate in candidates:
        if not isinstance(candidate, Mapping):
            raise SimulatorError(f"override for {key!r}: a result must be an object")
        unknown = set(candidate) - _RESULT_KEYS
        if unknown:
            raise SimulatorError(f"override for {key!r}: unknown result keys {sorted(unknown)}; "
                                 f"use {sorted(_RESULT_KEYS - {'simulated'})}")


def _matches(when: Mapping[str, Any], param: Mapping[str, Any]) -> bool:
    # Compare as text: playbooks pass "443" and 443 interchangeably.
    return all(str(param.get(k)) == str(v) for k, v in when.items())


# -- synthetic results ----------------------------------------------------------------


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()


# Synthesised results by (action, parameters, extra outputs): the same call always gives
# the same result, and working it out (a SHA-256 per output, the datapath tree) costs more
# than copying it. Entries hold their action definition, so a changed app (a new
# ActionDef object) never meets an old entry.
_SYNTHESISED: dict[tuple[int, str, str, tuple[str, ...]], tuple[ActionDef, list[Any], dict[str, Any], str]] = {}
_SYNTHESISED_MAX = 4096


def synthesise(appdef: AppDef, action: ActionDef, param: Mapping[str, Any], *,
               extra_outputs: tuple[str, ...] = ()) -> ActionResult:
    """A successful result whose shape follows ``action``'s declared outputs.

    Values come from ``example_values``, picked by a hash of the normalised parameters
    and the datapath; outputs without examples get type-appropriate placeholders. A
    data field named like a parameter echoes that parameter.
    """
    try:
        key = (id(action), appdef.appid, json.dumps(param, sort_keys=True), extra_outputs)
    except (TypeError, ValueError):  # parameters JSON cannot hold: work it out every time
        return _synthesise(appdef, action, param, extra_outputs=extra_outputs)
    known = _SYNTHESISED.get(key)
    if known is None or known[0] is not action:
        made = _synthesise(appdef, action, param, extra_outputs=extra_outputs)
        known = (action, copy_json(made.get_data()), copy_json(made.get_summary()), made.get_message())
        if len(_SYNTHESISED) >= _SYNTHESISED_MAX:
            _SYNTHESISED.clear()
        _SYNTHESISED[key] = known
    result = ActionResult(param)
    for item in copy_json(known[1]):
        result.add_data(item)
    result.update_summary(copy_json(known[2]))
    result.set_status(APP_SUCCESS, known[3])
    return result


def _synthesise(appdef: AppDef, action: ActionDef, param: Mapping[str, Any], *,
                extra_outputs: tuple[str, ...] = ()) -> ActionResult:
    seed = params_key(param)
    items: list[tuple[str, Any]] = []
    message_outputs: list[OutputDef] = []
    declared = {o.data_path for o in action.outputs}
    extra = tuple(OutputDef(data_path=p) for p in extra_outputs if p not in declared)
    for output in (*action.outputs, *extra):
        segments = split_path(output.data_path)
        if len(segments) < 2 or segments[0] != "action_result" or \
                segments[1] not in _ACTION_RESULT_ROOTS:
            # summary.total_objects* belong to the app run; parameters echo the input.
            continue
        if segments[1] == "message":
            message_outputs.append(output)
            continue
        if segments[1] == "status":
            continue
        relative = ".".join(segments[1:])
        leaf = segments[-1]
        if segments[1] == "data" and leaf in param and isinstance(param[leaf], (str, int, float)):
            value: Any = param[leaf]
        else:
            value = _pick(appdef.appid, action.identifier, seed, output)
        items.append((relative, value))
    tree = build(items, list_roots=("data",))

    result = ActionResult(param)
    data = tree.get("data", [])
    for item in data if isinstance(data, list) else [data]:
        result.add_data(item)
    summary = tree.get("summary")
    if isinstance(summary, Mapping):
        result.update_summary(summary)
    elif "summary" in tree:
        # A manifest that declares only ``action_result.summary`` as a leaf.
        result.update_summary({"value": summary})
    result.set_status(APP_SUCCESS, _message(appdef, action, seed, message_outputs,
                                            result.get_summary()))
    return result


def _message(appdef: AppDef, action: ActionDef, seed: str, outputs: list[OutputDef],
             summary: Mapping[str, Any]) -> str:
    examples = [v for o in outputs for v in o.example_values
                if isinstance(v, str) and v.strip() and not _FAILURE_WORDS.search(v)]
    if examples:
        return examples[int.from_bytes(_digest(appdef.appid, action.identifier, seed,
                                               "message")[:4], "big") % len(examples)]
    # SOAR shows the summary as the message when a connector leaves it empty.
    scalars = [f"{k}: {v}" for k, v in summary.items() if isinstance(v, (str, int, float))]
    return ", ".join(scalars) if scalars else f"Simulated '{action.name}' succeeded"


def _pick(appid: str, identifier: str, seed: str, output: OutputDef) -> Any:
    digest = _digest(appid, identifier, seed, output.data_path)
    examples = [v for v in output.example_values if v is not None]
    if examples:
        return examples[int.from_bytes(digest[:4], "big") % len(examples)]
    return placeholder(output.data_type, output.contains, split_path(output.data_path)[-1],
                       digest)


_CONTAINS_FORMATS: dict[str, Callable[[bytes, str], str]] = {
    "ip": lambda d, _: f"198.51.100.{d[0] % 254 + 1}",
    "ipv6": lambda d, _: f"2001:db8::{d[0]:x}{d[1]:02x}",
    "domain": lambda d, _: f"example-{d[:3].hex()}.com",
    "host name": lambda d, _: f"host-{d[:3].hex()}.example.com",
    "url": lambda d, _: f"https://example.com/{d[:4].hex()}",
    "email": lambda d, _: f"user-{d[:3].hex()}@example.com",
    "md5": lambda d, _: d[:16].hex(),
    "sha1": lambda d, _: d[:20].hex(),
    "sha256": lambda d, _: d[:32].hex(),
    "hash": lambda d, _: d[:32].hex(),
    "file name": lambda d, _: f"file-{d[:3].hex()}.bin",
    "file path": lambda d, _: f"/tmp/file-{d[:3].hex()}.bin",
    "user name": lambda d, _: f"user-{d[:3].hex()}",
    "mac address": lambda d, _: ":".join(f"{b:02x}" for b in d[:6]),
    "port": lambda d, _: str(1024 + int.from_bytes(d[:2], "big") % 60000),
    "pid": lambda d, _: str(100 + int.from_bytes(d[:2], "big") % 30000),
}


_PERCENT_WORDS = ("score", "percent", "confidence", "risk")


def placeholder(data_type: str, contains: Sequence[str], name: str, digest: bytes) -> Any:
    """A stand-in value for an output without examples, stable for a given ``digest``."""
    if data_type == "numeric":
        # Scores, percentages and confidences are 0-100 in every app that documents them;
        # playbooks index tables with them.
        if any(word in name.lower() for word in _PERCENT_WORDS):
            return int.from_bytes(digest[:2], "big") % 101
        return int.from_bytes(digest[:2], "big") % 1000
    if data_type == "boolean":
        return bool(digest[0] & 1)
    for kind in contains:
        make = _CONTAINS_FORMATS.get(kind)
        if make is not None:
            return make(digest, name)
    lowered = name.lower()
    if lowered.endswith(("time", "date", "timestamp", "_at")) or lowered in ("earliest", "latest"):
        # Code parses these (dateutil, strptime): give an ISO 8601 UTC time.
        minute = int.from_bytes(digest[:2], "big") % (28 * 24 * 60)
        return f"2026-01-{1 + minute // 1440:02d}T{minute // 60 % 24:02d}:{minute % 60:02d}:00Z"
    return f"{name or 'value'}-{digest[:4].hex()}"
