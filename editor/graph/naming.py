"""Block naming rules (soar-format.md §2.12) and the identifier checks that keep
generated code from doing anything the graph did not say."""

from __future__ import annotations

import keyword
import re

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NON_WORD = re.compile(r"\W", re.ASCII)
_SLUG_RUNS = re.compile(r"[^a-z0-9]+")


def python_name(function_name: str) -> str:
    """SOAR's rule: lower-case, every non-word char becomes ``_``.

    ``re.ASCII`` on purpose: a unicode look-alike (Cyrillic ``а``) must not survive as a
    distinct-but-identical-looking identifier, so it becomes ``_`` and then fails
    uniqueness/shape checks instead of silently shadowing another block.
    """
    return _NON_WORD.sub("_", function_name.lower())


# Module-level names of every generated playbook: a block named like one would shadow it.
MODULE_NAMES = frozenset({"phantom", "json", "datetime", "timedelta", "on_start", "on_finish"})


def identifier_problem(name: str) -> str | None:
    """Human-readable reason why ``name`` cannot be a generated identifier, or None."""
    if not name:
        return "is empty"
    if not _IDENT.match(name):
        return "must match [A-Za-z_][A-Za-z0-9_]* (ASCII letters, digits, underscore)"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return "is a Python keyword"
    if name.startswith("__") and name.endswith("__"):
        return "is a dunder name"
    return None


def function_name_problem(name: str) -> str | None:
    """Like ``identifier_problem`` for a block's Python function (a module-level name)."""
    if name in MODULE_NAMES:
        return "is reserved by the generated module"
    return identifier_problem(name)


def slug(text: str) -> str:
    """Custom-name → functionName slug: lower-case, runs of non-alphanumerics → ``_``."""
    return _SLUG_RUNS.sub("_", text.strip().lower()).strip("_")


def default_function_name(custom_name: str, custom_name_id: int, base: str, function_id: int) -> str:
    """The name the editor gives a new block (§2.12)."""
    if custom_name.strip():
        name = slug(custom_name)
        return f"{name}_{custom_name_id}" if custom_name_id > 0 else name
    return f"{slug(base)}_{function_id}"
