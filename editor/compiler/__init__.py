"""Modern playbook graph → SOAR-style Python module.

Public entry point: ``compile_playbook(playbook_json) -> CompileResult``.  Graphs with
located errors raise ``CompileError``; warnings travel in ``CompileResult.errors``.

Compile on save: ``version_module`` decides what a stored playbook version runs; a version
keeps its result with ``COMPILER_VERSION``, and the engine only reads it (recompiling in
memory a version stored by an older compiler).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from editor.compiler.context import PlaybookLookup
from editor.compiler.module import render_module
from editor.graph.errors import SoarFormatError, ValidationError
from editor.graph.limits import DEFAULT_LIMITS, Limits
from editor.graph.model import Playbook, parse_playbook
from editor.graph.validate import AppCatalogue, validate

# Bump COMPILER_VERSION whenever the code the compiler emits changes, even by a byte: a
# stored version whose number is older is recompiled by the engine before it runs, so a
# change to the emitted code reaches every saved playbook. GOLDEN_DIGEST is the sha256 of
# tests/compiler/golden/*.py.txt at the last bump, as
# tests/compiler/test_compiler_version_changes_with_its_output.py computes it: when a change
# to the golden files makes that test fail, bump COMPILER_VERSION and record the new digest
# here, the two together.
COMPILER_VERSION = 1
GOLDEN_DIGEST = "8372b937e9cdaffc2a892a455476cf885991809a21f2139a789dc55f0aab7b3e"


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


@dataclass(frozen=True)
class VersionModule:
    """The module a playbook version runs, or why it cannot run.

    ``error`` is a phrase that follows the playbook's name in a run's failure
    ("does not compile: cannot compile playbook: ..."); ``source`` is "" then.
    """

    source: str
    error: str = ""
    compiler_version: int = COMPILER_VERSION


def _nodes(doc: Any) -> Any:
    if not isinstance(doc, dict):
        return None
    coa = doc.get("coa")
    data = coa.get("data") if isinstance(coa, dict) else None
    return data.get("nodes") if isinstance(data, dict) else None


def version_module(json_text: str, python: str, *, name: str, number: int) -> VersionModule:
    """The module a version stored as (``json_text``, ``python``) runs, for playbook
    ``name`` version ``number``: the compiled block graph when the document has blocks,
    else the hand-written module that came with it (checked to parse).  Never raises for
    bad content: a version with errors is still stored (a draft), and cannot run."""
    try:
        doc = json.loads(json_text or "{}")
    except (ValueError, RecursionError) as exc:
        return VersionModule("", f"version {number} is not JSON: {exc}")
    if _nodes(doc):
        try:
            return VersionModule(compile_playbook(doc).source)
        except CompileError as exc:
            return VersionModule("", f"does not compile: {exc}")
        except Exception as exc:  # noqa: BLE001 - a compiler bug must not lose the author's save
            return VersionModule("", f"does not compile: {type(exc).__name__}: {exc}")
    if python.strip():
        filename = f"<playbook {name}>"
        try:
            compile(python, filename, "exec")
        except SyntaxError as exc:
            # Worded as the engine's loader words a module that does not parse.
            return VersionModule("", f"does not parse: {filename} line {exc.lineno}: {exc.msg}")
        except ValueError as exc:
            return VersionModule("", f"does not parse: {filename}: {exc}")
        return VersionModule(python)
    return VersionModule("", f"version {number} has neither blocks nor Python code")


__all__ = ["COMPILER_VERSION", "CompileError", "CompileResult", "VersionModule", "compile_playbook",
           "version_module"]
