"""Carrying classic custom code into a modern playbook.

Classic SOAR stored an edited block as the whole function (``custom_code``); modern SOAR
keeps the same thing as ``node.customCode``, which the compiler uses instead of the
generated function.  The function must be one ``def`` with the block's (new) name, so
the text is renamed and checked here.  Code that cannot be carried as runnable Python
is kept as comments, never dropped, and the caller flags the block for review.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field

from editor.classic.rename import rename_code

_BANNER = "#" * 80


def parse(code: str) -> ast.Module | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # old code's invalid escapes are not our problem
        try:
            return ast.parse(code)
        except (SyntaxError, ValueError):
            return None


def syntax_error(code: str) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(code)
        except SyntaxError as exc:
            return f"line {exc.lineno}: {exc.msg}"
        except ValueError as exc:
            return str(exc)
    return None


def commented(code: str, indent: str = "    ") -> str:
    """Code kept as comments in a block region: parseable whatever it contains."""
    lines = code.replace("\r\n", "\n").rstrip("\n").split("\n")
    return "\n".join(f"{indent}# {line}".rstrip() for line in lines)


@dataclass
class FittedFunction:
    """A whole-function override ready for ``node.customCode``."""

    code: str | None  # None: could not be carried as code
    hoisted: str = ""  # top-level statements besides the function (imports, helpers)
    problems: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


# Python 2 names classic code still uses, and what Python 3 calls them. Only NAME tokens
# are replaced (never text inside strings or comments).
_PY2_NAMES = {"unicode": "str", "basestring": "str", "xrange": "range", "iteritems": "items",
              "itervalues": "values", "iterkeys": "keys", "long": "int"}


def py3_names(code: str) -> tuple[str, list[str]]:
    """Replace Python 2 builtins/methods by their Python 3 names and make filter/map/zip
    calls lists again; returns the new text and the names handled (none when the text
    does not tokenize)."""
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return code, []
    lines = code.split("\n")
    found: list[str] = []
    # Replace from the end so earlier columns stay valid.
    for tok in reversed(tokens):
        if tok.type == tokenize.NAME and tok.string in _PY2_NAMES and tok.start[0] == tok.end[0]:
            row, col = tok.start[0] - 1, tok.start[1]
            line = lines[row]
            lines[row] = line[:col] + _PY2_NAMES[tok.string] + line[col + len(tok.string):]
            found.append(tok.string)
    text = "\n".join(lines)
    text, wrapped = _listify_calls(text)
    return text, sorted(set(found) | set(wrapped))


_ITERATING_CALLS = frozenset({"list", "tuple", "set", "sorted", "dict", "frozenset", "any", "all", "sum",
                              "min", "max", "enumerate"})


def _listify_calls(code: str) -> tuple[str, list[str]]:
    """`filter(...)`/`map(...)`/`zip(...)` gave lists in Python 2 and classic code calls
    len() on them or indexes them: wrap each call in list(...)."""
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return code, []
    edits: list[tuple[tuple[int, int], str]] = []
    found: list[str] = []
    for i, tok in enumerate(tokens[:-1]):
        if tok.type != tokenize.NAME or tok.string not in ("filter", "map", "zip"):
            continue
        prev = tokens[i - 1] if i else None
        if tokens[i + 1].string != "(" or (prev is not None and prev.string in (".", "def")):
            continue
        outer = tokens[i - 2] if i >= 2 else None
        if prev is not None and prev.string == "(" and outer is not None and outer.string in _ITERATING_CALLS:
            continue  # list(map(...)), sorted(filter(...)): already consumed whole
        depth = 0
        for close in tokens[i + 1:]:
            if close.type == tokenize.OP and close.string in "([{":
                depth += 1
            elif close.type == tokenize.OP and close.string in ")]}":
                depth -= 1
                if depth == 0:
                    edits += [(tok.start, "list("), (close.end, ")")]
                    found.append(tok.string)
                    break
    lines = code.split("\n")
    for (row, col), text in sorted(edits, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:col] + text + line[col:]
    return "\n".join(lines), found


def fit_function(code: str, new_name: str, names: dict[str, str]) -> FittedFunction:
    """Rename block references, then make the text exactly one ``def <new_name>``."""
    renamed = rename_code(code.replace("\r\n", "\n"), names)
    out = FittedFunction(None)
    if renamed != code.replace("\r\n", "\n"):
        out.changes.append("block names inside the custom code follow the renamed blocks")
    renamed, py2 = py3_names(renamed)
    if py2:
        out.changes.append(f"Python 2 names replaced by their Python 3 equivalents: {', '.join(py2)}")
    tree = parse(renamed)
    if tree is None:
        out.problems.append(f"the custom code is not valid Python 3 ({syntax_error(renamed)})")
        return out
    defs = [s for s in tree.body if isinstance(s, ast.FunctionDef)]
    if not defs:
        out.problems.append("the custom code defines no function")
        return out
    # The block function is the one SOAR generated: the last def (helpers come first).
    main = next((d for d in defs if d.name == new_name), defs[-1])
    lines = renamed.split("\n")
    start = (main.decorator_list[0].lineno if main.decorator_list else main.lineno) - 1
    end = main.end_lineno or len(lines)
    function = "\n".join(lines[start:end])
    others = [s for s in tree.body if s is not main]
    if others:
        kept = []
        for stmt in others:
            decorators = getattr(stmt, "decorator_list", None)
            s0 = (decorators[0].lineno if decorators else stmt.lineno) - 1
            kept.append("\n".join(lines[s0 : stmt.end_lineno or s0 + 1]))
        out.hoisted = "\n".join(kept)
        out.changes.append("top-level code next to the custom function was moved to the global custom code")
    if main.name != new_name:
        function = re.sub(rf"^(\s*def\s+){re.escape(main.name)}(\s*\()", rf"\g<1>{new_name}\2", function, count=1, flags=re.M)
        out.changes.append(f"custom function renamed from {main.name} to {new_name}")
    if main.decorator_list:
        # The compiler adds the decorator of the target build itself.
        function = "\n".join(function.split("\n")[main.lineno - 1 - start :])
    out.code = function
    return out


def region_text(code: str) -> str:
    """Classic ``userGeneratedCode`` as a modern region body: the default placeholder
    becomes no code at all (the compiler writes its own)."""
    body = code.replace("\r\n", "\n")
    if not body.strip() or body.strip() == "# Write your custom code here...":
        return ""
    return body.strip("\n")


def classic_prologue(block_code: str) -> str:
    """The data-loading statements the classic generator put before the custom code
    region: classic user code refers to the variables they define."""
    lines = block_code.replace("\r\n", "\n").split("\n")
    try:
        stop = next(i for i, line in enumerate(lines) if line.strip() == "## Custom Code Start")
    except StopIteration:
        return ""
    body = lines[1 : max(stop - 1, 1)]
    keep = [
        line
        for line in body
        if "phantom.debug(" not in line.strip()[:20] and not re.match(r"^\s*\w+__\w+ = None\s*$", line)
    ]
    while keep and (not keep[-1].strip() or keep[-1].strip() == _BANNER):
        keep.pop()
    while keep and not keep[0].strip():
        keep.pop(0)
    return "\n".join(keep)


def assigned_names(code: str) -> set[str]:
    tree = parse("def _f():\n" + code + "\n    pass\n")
    if tree is None:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def read_names(code: str) -> set[str]:
    tree = parse("def _f():\n" + code + "\n    pass\n")
    if tree is None:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def is_region_body(code: str) -> bool:
    """Parses as the body of one function (what the validator demands of userCode)."""
    tree = parse("def _region():\n    pass\n" + code + "\n    pass\n")
    return tree is not None and len(tree.body) == 1
