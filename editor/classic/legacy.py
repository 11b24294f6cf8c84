"""Pre-4.x datapath forms and what they become.

Old classic playbooks read "the results/artifacts passed into this callback":
``X:filtered-action_result.P`` (results of X that the calling filter let through),
``filtered-artifact:*.P`` (artifacts the calling filter let through).  Modern datapaths
name the filter instead, so the rewrite depends on which block calls the one being
converted.  Two more classic forms have no modern spelling at all, ``X:artifact:*.P``
(artifacts behind X's results) and ``X:summary.P`` (X's run-level summary); they are
kept as they are: the graph model, compiler and engine read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RESULT = re.compile(r"^([A-Za-z0-9_]+):filtered-action_result(\..*)?$", re.S)
_ARTIFACT = re.compile(r"^filtered-artifact:(.*)$", re.S)
_QUOTED = re.compile(r"""(["'])((?:[A-Za-z0-9_]+:filtered-action_result|filtered-artifact:)[^"'\n]*)\1""")
_FILTERED_ARTIFACT_PREFIX = re.compile(r"^(filtered-data:[A-Za-z0-9_]+:condition_\d+:)?artifact:")


@dataclass(frozen=True)
class Upstream:
    """The filter branch that calls a block (``None`` fields: called directly)."""

    filter_name: str | None = None
    condition: int | None = None  # 1-based, as in datapaths

    def prefix(self) -> str:
        return f"filtered-data:{self.filter_name}:condition_{self.condition}:" if self.filter_name else ""


@dataclass(frozen=True)
class Rewrite:
    value: str
    exact: bool  # same meaning; False: an approximation the user must check


def rewrite(value: str, up: Upstream, artifact_sources: dict[str, str]) -> Rewrite | None:
    """The modern form of a legacy datapath, or ``None`` when ``value`` is not one."""
    m = _RESULT.match(value)
    if m:
        return Rewrite(f"{up.prefix()}{m.group(1)}:action_result{m.group(2) or ''}", True)
    m = _ARTIFACT.match(value)
    if m:
        return Rewrite(f"{up.prefix()}artifact:{m.group(1)}", True)
    return None


def artifact_source(params: dict[str, object]) -> str | None:
    """The ``[filtered-data:F:condition_n:]`` prefix of an action's artifact parameter."""
    for value in params.values():
        if isinstance(value, str):
            m = _FILTERED_ARTIFACT_PREFIX.match(value)
            if m:
                return m.group(1) or ""
    return None


def rewrite_code_exact(code: str, up: Upstream) -> str:
    """Quoted legacy datapaths in classic code, rewritten where the meaning is exact
    (used to compare classic and modern behaviour on equal terms)."""

    def sub(m: re.Match[str]) -> str:
        found = rewrite(m.group(2), up, {})
        return m.group(1) + (found.value if found and found.exact else m.group(2)) + m.group(1)

    return _QUOTED.sub(sub, code)


def has_legacy(code: str) -> bool:
    return bool(_QUOTED.search(code))
