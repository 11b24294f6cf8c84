"""Error types shared by the graph model, validation, file I/O and the compiler.

Validation problems are *data* (``ValidationError``) so the editor can pin them on the
canvas; only structurally unreadable input raises (``SoarFormatError``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class ValidationError:
    """One located problem: which block, which field, what is wrong.

    ``block_id`` is ``None`` for playbook-level problems (e.g. a missing start block);
    ``message`` always names the block id when there is one, so a flat log stays useful.
    """

    block_id: str | None
    field: str
    message: str
    severity: Severity = "error"
    kind: str = "invalid"
    line: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "block_id": self.block_id,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
            "kind": self.kind,
            "line": self.line,
        }


class SoarFormatError(ValueError):
    """Input that cannot be read as a SOAR file at all.

    Carries ``file`` (may be None for in-memory input) and ``path``, a key path such as
    ``coa.data.nodes["3"].data.functionName``, so the user can find the broken spot.
    """

    def __init__(self, message: str, path: str = "", file: str | None = None) -> None:
        self.file = file
        self.path = path
        self.reason = message
        where = " ".join(p for p in (file or "", f"at {path}" if path else "") if p)
        super().__init__(f"{where}: {message}" if where else message)

    def with_file(self, file: str) -> SoarFormatError:
        return SoarFormatError(self.reason, self.path, file)


def show(value: object, limit: int = 60) -> str:
    """``repr`` for messages, cut short: a hostile 10 MB name must not become a 10 MB
    error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "…" + text[-4:]
