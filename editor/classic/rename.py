"""Renaming classic block names inside datapaths and user code.

Block names appear in datapaths (``B:action_result…``, ``filtered-data:F:condition_1:…``),
in run-data keys and ``name=`` arguments, and as Python identifiers in custom code
(``B(container=container)``, ``join_B``, ``B_callback``).  All of them must follow a
rename, or the converted playbook reads results that no block produces.
"""

from __future__ import annotations

import re
from typing import Any

_FILTERED = re.compile(r"^(filtered-data:)([A-Za-z0-9_]+)(:condition_\d+:)(.*)$", re.S)
_BLOCK = re.compile(r"^([A-Za-z0-9_]+)(:.*)$", re.S)
_SOURCES = ("artifact", "container", "playbook_input", "custom_list")


def rename_datapath(value: str, names: dict[str, str]) -> str:
    """``value`` with every block name in ``names`` replaced; literals pass through."""
    m = _FILTERED.match(value)
    if m:
        return m.group(1) + names.get(m.group(2), m.group(2)) + m.group(3) + rename_datapath(m.group(4), names)
    m = _BLOCK.match(value)
    if m and m.group(1) not in _SOURCES and m.group(1) in names:
        return names[m.group(1)] + m.group(2)
    return value


def rename_value(value: Any, names: dict[str, str]) -> Any:
    """Apply ``rename_datapath`` to every string inside a JSON value."""
    if isinstance(value, str):
        return rename_datapath(value, names)
    if isinstance(value, list):
        return [rename_value(v, names) for v in value]
    if isinstance(value, dict):
        return {k: rename_value(v, names) for k, v in value.items()}
    return value


def rename_code(code: str, names: dict[str, str]) -> str:
    """Rename block identifiers in Python text, including inside strings (datapaths,
    ``name=`` and run-data keys hold the same names).  Whole words only, so a rename of
    ``ip_1`` leaves ``geolocate_ip_1`` alone; ``join_`` / ``_callback`` forms follow."""
    changed = {old: new for old, new in names.items() if old != new}
    if not changed or not code:
        return code
    alternatives = "|".join(re.escape(old) for old in sorted(changed, key=len, reverse=True))
    # ``B__out`` is how generated code names code-block output variables: renamed too.
    pattern = re.compile(rf"(?<![A-Za-z0-9_])(join_)?({alternatives})(_callback)?(?=__[A-Za-z0-9]|(?![A-Za-z0-9_]))")

    def sub(m: re.Match[str]) -> str:
        return (m.group(1) or "") + changed[m.group(2)] + (m.group(3) or "")

    return pattern.sub(sub, code)
