"""Modern playbook graph → SOAR-style Python module.

Public entry point: ``compile_playbook(playbook_json) -> CompileResult``.  Graphs with
located errors raise ``CompileError``; warnings travel in ``CompileResult.errors``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from editor.compiler.context import PlaybookLookup
from editor.compiler.module import render_module
from editor.graph.errors import SoarFormatError, ValidationError
from editor.graph.limits import DEFAULT_LIMITS, Limits
from editor.graph.model import Playbook, parse_playbook
from editor.graph.validate import AppCatalogue, validate


@dataclass
class CompileResult:
    source: str
    errors: list[ValidationError] = field(default_factory=list)  # warnings only on success


class CompileError(Exception):
    """The graph cannot be compiled; ``errors`` says where and why."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = errors
        first = "; ".join(e.message for e in errors[:3])
        more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
        super().__init__(f"cannot compile playbook: {first}{more}")


def compile_playbook(
    playbook_json: dict[str, Any] | Playbook,
    *,
    catalogue: AppCatalogue | None = None,
    playbook_lookup: PlaybookLookup | None = None,
    limits: Limits = DEFAULT_LIMITS,
    playbooks: Collection[str] | None = None,
    activating: bool = False,
) -> CompileResult:
    """Compile a modern playbook (parsed JSON or a ``Playbook``) to Python source.

    Deterministic: the same graph gives byte-identical output.  ``playbook_lookup``
    (repo, name) → callee playbook JSON is optional and only refines input ordering.
    ``catalogue``, ``playbooks`` and ``activating`` are passed on to ``validate``.
    """
    try:
        # No copy: compiling never mutates the graph.
        playbook = (
            playbook_json if isinstance(playbook_json, Playbook) else parse_playbook(playbook_json, copy_input=False)
        )
    except SoarFormatError as exc:
        raise CompileError([ValidationError(None, exc.path or "playbook", str(exc), "error", "format")]) from exc
    problems = validate(playbook, catalogue, limits, playbooks=playbooks, activating=activating)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CompileError(errors)
    source = render_module(playbook, playbook_lookup)
    if len(source) > limits.max_total_code:
        raise CompileError(
            [
                ValidationError(
                    None,
                    "playbook",
                    f"generated module of {len(source)} characters exceeds {limits.max_total_code}",
                    "error",
                    "too_large",
                )
            ]
        )
    return CompileResult(source=source, errors=problems)


__all__ = ["CompileError", "CompileResult", "compile_playbook"]
