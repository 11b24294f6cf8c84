"""Where a playbook document carries code, and which of it a new version adds or changes.

Writing code is a permission of its own (SOAR's "edit code"): a Code block's body, a
block's custom code section (``userCode``), a whole-function override (``customCode``),
the playbook's global code and a module override all run as written. Everything else an
editor draws is data the compiler turns into code it controls.

Pure functions over the SOAR JSON (a dict); anything malformed simply has no code here,
validation reports it elsewhere.
"""
from __future__ import annotations

from typing import Any

# What the editor and the compiler write in a custom code region nobody has touched.
_DEFAULT_REGION = "# Write your custom code here..."


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    stripped = value.strip()
    return "" if stripped in ("", _DEFAULT_REGION) else stripped


def code_sections(doc: Any) -> dict[tuple[str, str], tuple[str, str]]:
    """(node id or "playbook", kind) -> (a description naming the block, the code).

    A Code block always has a section (an empty body is still a Code block); other
    blocks only when their custom code is more than the default region."""
    coa = doc.get("coa") if isinstance(doc, dict) else None
    data = coa.get("data") if isinstance(coa, dict) else None
    if not isinstance(data, dict):
        return {}
    out: dict[tuple[str, str], tuple[str, str]] = {}
    nodes = data.get("nodes")
    for key, node in (nodes.items() if isinstance(nodes, dict) else ()):
        if not isinstance(node, dict):
            continue
        node_id = str(node.get("id", key))
        node_data = node.get("data")
        name = node_data.get("functionName") if isinstance(node_data, dict) else None
        name = name if isinstance(name, str) else ""
        label = f"'{name}' (block {node_id})" if name else f"block {node_id}"
        user = _text(node.get("userCode"))
        if node.get("type") == "code":
            out[(node_id, "userCode")] = (f"Code block {label}", user or "")
        elif user:
            out[(node_id, "userCode")] = (f"the custom code of {label}", user)
        override = _text(node.get("customCode"))
        if override:
            out[(node_id, "customCode")] = (f"the custom function code of {label}", override)
    for kind, label in (("globalCustomCode", "the playbook's global custom code"),
                        ("customCode", "the playbook's module override")):
        text = _text(data.get(kind))
        if text:
            out[("playbook", kind)] = (label, text)
    return out


def code_changes(before: Any, after: Any) -> list[str]:
    """What `after` adds or changes in code compared with `before` (None: a new playbook),
    one description per section naming its block. Removing code is not listed."""
    old = code_sections(before) if before is not None else {}
    return [label for key, (label, text) in code_sections(after).items()
            if key not in old or old[key][1] != text]
