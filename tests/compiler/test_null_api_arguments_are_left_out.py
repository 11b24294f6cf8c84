"""An API utility argument whose value is JSON null was left empty: SOAR leaves it out
of the call (the API's default applies) instead of passing ``None``."""

from __future__ import annotations

import ast
from typing import Any

from pbkit import edge, node, playbook

from editor.compiler import compile_playbook


def add_note(values: dict[str, Any]) -> dict[str, Any]:
    fields = [{"label": k, "name": k, "renderType": "datapath", "required": False} for k in values]
    block = node("2", "utility", "note_it", functionId=1, tab="apis", utilityType="api", selectMore=False,
                 utilities={"add_note": {"fields": fields, "label": "add note", "name": "add_note"}},
                 values={"add_note": {**values, "_internal": ["container"]}})
    return playbook([block], [edge("0", "2"), edge("2", "1")])


def keywords(source: str, api: str) -> dict[str, object]:
    for n in ast.walk(ast.parse(source)):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == api:
            return {k.arg: ast.unparse(k.value) for k in n.keywords if k.arg}
    raise AssertionError(f"no phantom.{api} call")


def test_a_null_title_is_left_out_of_add_note() -> None:
    source = compile_playbook(add_note({"content": "done", "note_format": "markdown", "title": None})).source
    kw = keywords(source, "add_note")
    assert "title" not in kw
    assert kw == {"container": "container", "content": "'done'", "note_format": "'markdown'"}


def test_empty_and_false_values_are_still_passed() -> None:
    kw = keywords(compile_playbook(add_note({"content": "", "title": "t", "pin": False})).source, "add_note")
    assert kw["content"] == "''" and kw["pin"] == "False"
