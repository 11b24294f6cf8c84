"""Text emission helpers: literals, comments and banners that cannot break out.

Everything that comes from the graph and is not user code passes through ``py_str`` /
``py_value`` / ``comment_text`` so that a hostile name or template can only ever become
data inside a literal or text inside a comment.
"""

from __future__ import annotations

import textwrap
from typing import Any

HASH_LINE = "#" * 80


def _escape_char(ch: str) -> str:
    if ch == "\\":
        return "\\\\"
    if ch == '"':
        return '\\"'
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    if ch.isprintable() and ch not in ("\u2028", "\u2029"):
        return ch
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def py_str(text: str) -> str:
    """A double-quoted Python literal equal to ``text`` (SOAR's quoting style)."""
    if text.isascii() and text.isprintable() and "\\" not in text and '"' not in text:
        return f'"{text}"'  # fast path: the overwhelmingly common case
    return '"' + "".join(_escape_char(c) for c in text) + '"'


def py_triple(text: str) -> str:
    """Triple-quoted literal as SOAR writes templates; every ``"`` and newline escaped,
    so no sequence in ``text`` can close the literal."""
    return '"""' + "".join(_escape_char(c) for c in text) + '"""'


def docstring_body(text: str) -> str:
    """Module docstring text: newlines kept for readability, quotes and backslashes
    escaped so a description can never terminate the docstring."""
    out = []
    for ch in text:
        out.append("\n" if ch == "\n" else _escape_char(ch))
    return "".join(out)


def py_value(value: Any) -> str:
    """Render a JSON value as a Python literal (None/True/False, ints, floats, strings,
    lists, dicts with string keys)."""
    if value is None:
        return "None"
    if value is True:
        return "True"
    if value is False:
        return "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return f'float("{value}")'
        return repr(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_str(str(k))}: {py_value(v)}" for k, v in value.items()) + "}"
    return py_str(str(value))


def constant(value: Any) -> str:
    """Action/CF constant rendering: all-digit strings become ints (§3.6.2)."""
    if isinstance(value, str) and value.isdigit() and value.isascii() and len(value) < 19:
        return str(int(value))
    if (
        isinstance(value, str)
        and value.startswith("-")
        and value[1:].isdigit()
        and value[1:].isascii()
        and len(value) < 19
    ):
        return str(int(value))
    return py_value(value)


def comment_text(text: str) -> str:
    """Text safe inside a ``#`` comment: any line-breaking or non-printable char becomes a
    space, because a newline would end the comment and start live code."""
    return "".join(c if (c.isprintable() and c not in ("\u2028", "\u2029")) else " " for c in text)


def description_banner(description: str, indent: str = "    ") -> list[str]:
    """The ``####`` banner SOAR writes for ``advanced.description`` (§3.3)."""
    lines = ["", indent + HASH_LINE]
    for para in description.splitlines() or [""]:
        wrapped = textwrap.wrap(comment_text(para), width=78, drop_whitespace=False) or [""]
        lines.extend(f"{indent}# {w}".rstrip() if not w.strip() else f"{indent}# {w}" for w in wrapped)
    lines.append(indent + HASH_LINE)
    return lines


def custom_code_region(user_code: str | None, indent: str = "    ") -> list[str]:
    """Per-function custom code region; ``user_code`` is spliced verbatim (validated
    elsewhere to be a well-formed block body)."""
    lines = ["", indent + HASH_LINE, indent + "## Custom Code Start", indent + HASH_LINE]
    if user_code is None:
        lines += ["", indent + "# Write your custom code here...", ""]
    else:
        lines += user_code.split("\n")
    lines += [indent + HASH_LINE, indent + "## Custom Code End", indent + HASH_LINE]
    return lines


def global_code_region(code: str) -> list[str]:
    body = code if code.endswith("\n") else code + "\n"
    return [
        HASH_LINE,
        "## Global Custom Code Start",
        HASH_LINE,
        *body[:-1].split("\n"),
        HASH_LINE,
        "## Global Custom Code End",
        HASH_LINE,
    ]


class Writer:
    """Accumulates lines at the current indentation."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.level = 1

    def line(self, text: str = "") -> None:
        self.lines.append(("    " * self.level + text) if text else "")

    def raw(self, lines: list[str]) -> None:
        self.lines.extend(lines)

    def indent(self) -> None:
        self.level += 1

    def dedent(self) -> None:
        self.level -= 1
