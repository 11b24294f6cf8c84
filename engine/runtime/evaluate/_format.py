"""``phantom.format``: `{n}` placeholders filled from datapaths, `%%` rows (phantom-api.md §4.8).

Outside `%%` markers a placeholder shows every value of its parameter joined with the
separator; a section between a ``%%`` line and the next ``%%`` line repeats once per row
index, placeholder n showing the row's value of parameter n (single-valued parameters
repeat on every row). Braces follow ``str.format``: ``{{`` and ``}}`` are literal braces.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ._collect import resolve
from ._datapath import try_parse_datapath
from ._source import DataSource, FormatData, Scope

DEFAULT_SEPARATOR: Final = ", "
AS_LIST_SUFFIX: Final = "__as_list"
_FALLBACK_PLACEHOLDER = re.compile(r"\{(\d+)\}")
_FORMATTER = string.Formatter()


@dataclass(frozen=True, slots=True)
class FormatOutcome:
    """The rendered text and one string per `%%` row (`[text]` without a `%%` section)."""

    text: str
    rows: list[str]

    def as_format_data(self) -> FormatData:
        """What the runtime stores under the format block's name."""
        return FormatData(self.text, tuple(self.rows))


def format_template(
    source: DataSource,
    template: str,
    parameters: Sequence[Any] | None,
    *,
    scope: Scope = "new",
    separator: str | None = None,
    drop_none: bool = False,
    action_results: Sequence[Mapping[str, Any]] | None = None,
) -> FormatOutcome:
    """Render `template` with `parameters` (datapaths or literal values).

    Returns the text and the `%%` rows. None values render as ``None`` unless
    `drop_none`. A placeholder without a parameter is left as written. Never raises for
    data: a string that is not a datapath is used as a literal value.
    """
    sep = DEFAULT_SEPARATOR if separator is None else separator
    values: list[list[Any]] = []
    for parameter in parameters or ():
        dp = try_parse_datapath(parameter)
        vals = resolve(source, dp, scope=scope, action_results=action_results) if dp is not None else [parameter]
        values.append([v for v in vals if v is not None] if drop_none else vals)
    text_parts: list[str] = []
    rows: list[str] = []
    saw_section = False
    for kind, body, trailing in _sections(template):
        if kind == "text":
            text_parts.append(_render(body, lambda n: _joined(values, n, sep)))
            continue
        saw_section = True
        rendered = [_render(body, lambda n, i=i: _row_value(values, n, i)) for i in range(_height(body, values))]
        rows.extend(rendered)
        if rendered:
            text_parts.append("\n".join(rendered) + trailing)
    text = "".join(text_parts)
    return FormatOutcome(text, rows if saw_section else [text])


def get_format_data(stored: Mapping[str, FormatData], name: str) -> str | list[str] | None:
    """``phantom.get_format_data``: the text for `name`, the rows for ``"<name>__as_list"``."""
    if name.endswith(AS_LIST_SUFFIX):
        data = stored.get(name[: -len(AS_LIST_SUFFIX)])
        return list(data.rows) if data is not None else None
    data = stored.get(name)
    return data.text if data is not None else None


def _sections(template: str) -> list[tuple[str, str, str]]:
    """("text"|"rows", body, text after the section) pieces of `template`, split at ``%%`` lines."""
    pieces: list[tuple[str, str, str]] = []
    buffer: list[str] = []
    inside = False
    for line in template.splitlines(keepends=True):
        if line.strip() == "%%":
            if inside:
                body = "".join(buffer)
                body = body[:-1] if body.endswith("\n") else body
                pieces.append(("rows", body, "\n" if line.endswith("\n") else ""))
            elif buffer:
                pieces.append(("text", "".join(buffer), ""))
            buffer = []
            inside = not inside
            continue
        buffer.append(line)
    if buffer:
        # An unterminated `%%` renders its remainder as plain text (lenient, like SOAR's UI).
        pieces.append(("text", ("%%\n" if inside else "") + "".join(buffer), ""))
    return pieces


def _text(value: Any) -> str:
    return "None" if value is None else str(value)


def _joined(values: list[list[Any]], n: int, sep: str) -> str | None:
    if n >= len(values):
        return None
    return sep.join(_text(v) for v in values[n])


def _row_value(values: list[list[Any]], n: int, i: int) -> str | None:
    if n >= len(values):
        return None
    column = values[n]
    if len(column) == 1:
        return _text(column[0])
    return _text(column[i]) if i < len(column) else ""


def _height(body: str, values: list[list[Any]]) -> int:
    used = {n for n in _placeholders(body) if n < len(values)}
    return max((len(values[n]) for n in used), default=0)


def _placeholders(body: str) -> list[int]:
    try:
        return [int(f) for _, f, _, _ in _FORMATTER.parse(body) if f is not None and f.isdigit()]
    except ValueError:
        return [int(m) for m in _FALLBACK_PLACEHOLDER.findall(body)]


def _render(body: str, lookup: Any) -> str:
    try:
        parsed = list(_FORMATTER.parse(body))
    except ValueError:
        # Unbalanced braces: substitute `{n}` only and keep every other character.
        def sub(match: re.Match[str]) -> str:
            value = lookup(int(match.group(1)))
            return match.group(0) if value is None else str(value)

        return _FALLBACK_PLACEHOLDER.sub(sub, body)
    out: list[str] = []
    for literal, field_name, spec, conversion in parsed:
        out.append(literal)
        if field_name is None:
            continue
        value = lookup(int(field_name)) if field_name.isdigit() else None
        if value is None:
            out.append("{" + field_name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}")
        else:
            out.append(value)
    return "".join(out)
