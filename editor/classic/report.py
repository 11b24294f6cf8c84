"""The conversion report: one entry per block, saying whether it came across unchanged,
changed (and why), or needs a person to look at it (and what to do)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["converted", "converted-with-changes", "needs-review"]
STATUSES: tuple[Status, ...] = ("converted", "converted-with-changes", "needs-review")


@dataclass
class BlockReport:
    """What happened to one classic block.  ``node_id`` is the modern node it became
    (``None`` when the block produced no node of its own)."""

    name: str
    classic_type: str
    node_id: str | None
    modern_type: str
    changes: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    modern_name: str = ""  # the block's functionName in the converted playbook

    @property
    def status(self) -> Status:
        if self.review:
            return "needs-review"
        return "converted-with-changes" if self.changes else "converted"

    def change(self, text: str) -> None:
        if text not in self.changes:
            self.changes.append(text)

    def needs_review(self, text: str) -> None:
        if text not in self.review:
            self.review.append(text)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "classic_type": self.classic_type,
            "node_id": self.node_id,
            "modern_type": self.modern_type,
            "modern_name": self.modern_name,
            "status": self.status,
            "changes": list(self.changes),
            "review": list(self.review),
        }


@dataclass
class Report:
    """Per-playbook report.  ``notes`` are playbook-level remarks (global code, layout,
    compile problems); ``blocks`` follow the modern node order."""

    playbook: str
    blocks: list[BlockReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)  # playbook-level things to do
    errors: list[str] = field(default_factory=list)  # validation/compile errors of the result
    behaviour: dict[str, Any] = field(default_factory=dict)  # classic vs compiled calls

    def block(self, name: str) -> BlockReport | None:
        return next((b for b in self.blocks if b.name == name), None)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {s: 0 for s in STATUSES}
        for b in self.blocks:
            out[b.status] += 1
        return out

    @property
    def status(self) -> Status:
        """The worst block status; playbook-level review items and errors count too."""
        counts = self.counts()
        if counts["needs-review"] or self.review or self.errors:
            return "needs-review"
        return "converted-with-changes" if counts["converted-with-changes"] else "converted"

    @property
    def ok(self) -> bool:
        """The result validates and compiles (it may still need review)."""
        return not self.errors

    def summary(self) -> str:
        c = self.counts()
        parts = [f"{len(self.blocks)} blocks", f"{c['converted']} converted"]
        if c["converted-with-changes"]:
            parts.append(f"{c['converted-with-changes']} with changes")
        if c["needs-review"]:
            parts.append(f"{c['needs-review']} need review")
        if self.review:
            parts.append(f"{len(self.review)} playbook-level review item(s)")
        if self.errors:
            parts.append(f"{len(self.errors)} error(s)")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "playbook": self.playbook,
            "status": self.status,
            "summary": self.summary(),
            "counts": self.counts(),
            "notes": list(self.notes),
            "review": list(self.review),
            "errors": list(self.errors),
            "behaviour": dict(self.behaviour),
            "blocks": [b.as_dict() for b in self.blocks],
        }
