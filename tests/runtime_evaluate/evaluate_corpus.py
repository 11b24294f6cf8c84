"""Every datapath string the 89 modern corpus playbooks use, read from node data.

Locations (soar-format.md §4): action/missionControl `parameters` (incl. inline format
parameters and name/value lists), filter/decision comparison `param` and `value` (also in
loop exit conditions), format and prompt `parameters`, code `inputParameters`, utility
`values`, playbook `inputs.*.datapaths`, `customDatapaths.*.*.value`, and
`coa.output_spec[].datapaths`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "modern"

# Shape-only test, independent of the parser under test: a source prefix SOAR knows.
LOOKS_LIKE_DATAPATH = re.compile(
    r"^(filtered-data:|artifact:|container:|playbook_input:|custom_list:|filtered-artifact:"
    r"|[A-Za-z0-9_]+:(action_result|custom_function_result|custom_function:|formatted_data|playbook_output:"
    r"|playbook_input:|artifact:|summary|filtered-action_result))"
)


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def _comparisons(conditions: Any) -> Iterator[str]:
    for cond in conditions or ():
        for comparison in cond.get("comparisons") or ():
            yield from _strings([comparison.get("param"), comparison.get("value")])


def node_strings(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(location, string) for every string in a node's datapath-bearing fields."""
    kind = data.get("type")
    params = data.get("parameters")
    if isinstance(params, dict):  # action / missionControl
        for value in params.values():
            if isinstance(value, dict):  # inline format: {"template", "parameters"}
                yield from (("action.format", s) for s in _strings(value.get("parameters")))
            elif isinstance(value, list):  # [{"name", "value"}]
                yield from (
                    ("action.list", s)
                    for item in value
                    for s in _strings(item.get("value") if isinstance(item, dict) else item)
                )
            else:
                yield from (("action.parameter", s) for s in _strings(value))
    elif isinstance(params, list):  # format / prompt
        yield from ((f"{kind}.parameters", s) for s in _strings(params))
    yield from ((f"{kind}.condition", s) for s in _comparisons(data.get("conditions")))
    yield from (("loop.condition", s) for s in _comparisons((data.get("loop") or {}).get("conditions")))
    yield from (("code.input", s) for s in _strings(data.get("inputParameters")))
    yield from (("utility.values", s) for s in _strings(data.get("values")))
    for spec in (data.get("inputs") or {}).values() if kind == "playbook" else ():
        yield from (("playbook.inputs", s) for s in _strings(spec.get("datapaths")))
    for group in (data.get("customDatapaths") or {}).values():
        for custom in group.values():
            yield from (("customDatapaths", s) for s in _strings(custom.get("value")))


def corpus_datapaths() -> dict[str, set[str]]:
    """Distinct datapath-looking strings → the playbooks using them."""
    found: dict[str, set[str]] = {}
    for path in corpus_files():
        doc = json.loads(path.read_text())
        strings: list[str] = []
        for node in doc["coa"]["data"]["nodes"].values():
            strings.extend(s for _, s in node_strings(node["data"]))
        for output in doc["coa"].get("output_spec") or ():
            strings.extend(_strings(output.get("datapaths")))
        for s in strings:
            if LOOKS_LIKE_DATAPATH.match(s):
                found.setdefault(s, set()).add(path.stem)
    return found


EXPECTED = CORPUS.parent / "expected"


def expected_datapaths() -> dict[str, set[str]]:
    """Datapaths in SOAR's generated code (corpus/expected call facts): collect2, condition,
    decision and format arguments → the playbooks using them."""
    found: dict[str, set[str]] = {}
    for path in sorted(EXPECTED.glob("*.json")) if EXPECTED.is_dir() else []:
        doc = json.loads(path.read_text())
        for calls in doc.get("calls", {}).values():
            for name, _first, kwargs in calls:
                strings: list[Any] = []
                if name == "collect2":
                    strings.extend(kwargs.get("datapath") or ())
                elif name in ("condition", "decision"):
                    strings.extend(s for cond in kwargs.get("conditions") or () for s in (cond[0], cond[2]))
                elif name in ("format", "prompt2"):
                    strings.extend(kwargs.get("parameters") or ())
                for s in strings:
                    if isinstance(s, str) and LOOKS_LIKE_DATAPATH.match(s):
                        found.setdefault(s, set()).add(path.stem)
    return found
