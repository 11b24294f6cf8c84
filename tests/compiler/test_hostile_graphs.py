"""A hostile graph never produces code that does something the graph did not say."""

from __future__ import annotations

import ast

import pytest
from pbkit import action, code, edge, node, playbook, simple

from editor.compiler import CompileError, compile_playbook
from editor.graph import Limits


def top_level_kinds(source: str) -> set[str]:
    return {type(s).__name__ for s in ast.parse(source).body}


def test_quotes_and_newlines_in_strings_stay_inside_literals() -> None:
    evil = 'x"""\nimport os\nos.system("id")\n"""'
    f = node("2", "format", "fmt", template=evil, parameters=[evil])
    pb = playbook([f, action("3", "a", ip=evil)], [edge("0", "2"), edge("2", "3")], description=evil)
    pb["coa"]["data"]["nodes"]["2"]["data"]["advanced"]["description"] = evil
    source = compile_playbook(pb).source
    assert top_level_kinds(source) <= {"Expr", "Import", "ImportFrom", "FunctionDef"}
    tree = ast.parse(source)
    fmt = next(s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == "fmt")
    consts = [n.value for n in ast.walk(fmt) if isinstance(n, ast.Constant)]
    assert evil in consts  # the template survived as data, byte for byte
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "os"]


def test_dunder_and_keyword_names_are_refused_with_the_block_id() -> None:
    for name in ("__import__", "class", "def", "__builtins__"):
        with pytest.raises(CompileError) as exc:
            compile_playbook(playbook([action("2", name)], [edge("0", "2")]))
        assert any(e.block_id == "2" and e.kind == "bad_identifier" for e in exc.value.errors)


def test_unicode_look_alike_names_cannot_shadow_another_block() -> None:
    pb = playbook([action("2", "lookup"), action("3", "l\u043eokup")], [edge("0", "2"), edge("0", "3")])
    with pytest.raises(CompileError) as exc:
        compile_playbook(pb)
    assert any(e.block_id == "3" for e in exc.value.errors)


def test_hostile_api_names_and_arguments_are_refused() -> None:
    api = node(
        "2",
        "utility",
        "c",
        utilityType="api",
        utilities={"__class__": {"fields": []}},
        values={"__class__": {"x); import os; (": "1"}},
    )
    with pytest.raises(CompileError) as exc:
        compile_playbook(playbook([api], [edge("0", "2")]))
    assert {e.field for e in exc.value.errors} >= {"data.utilities", "data.values.__class__"}


def test_user_code_cannot_break_out_of_its_region() -> None:
    for body in ("\nimport os\n", "\n    x = '''\n", "\n    x = (\n", "\n    if x:\n"):
        with pytest.raises(CompileError) as exc:
            compile_playbook(playbook([code("2", "c", user_code=body)], [edge("0", "2")]))
        assert exc.value.errors[0].block_id == "2" and exc.value.errors[0].line is not None


def test_ten_megabyte_strings_get_a_located_size_error() -> None:
    pb = playbook([node("2", "format", "fmt", template="a" * 10_000_000, parameters=[])], [edge("0", "2")])
    with pytest.raises(CompileError) as exc:
        compile_playbook(pb)
    e = exc.value.errors[0]
    assert (e.block_id, e.field, e.kind) == ("2", "data.template", "too_large")


def test_size_limits_are_configurable() -> None:
    pb = playbook([node("2", "format", "fmt", template="a" * 5000, parameters=[])], [edge("0", "2")])
    with pytest.raises(CompileError):
        compile_playbook(pb, limits=Limits(max_string=1000))
    assert compile_playbook(pb, limits=Limits(max_string=10_000)).source


def test_ten_thousand_blocks_are_refused_with_a_clear_error() -> None:
    blocks = [action(str(i), f"a_{i}") for i in range(2, 10_002)]
    pb = playbook(blocks, [edge("0", "2")])
    with pytest.raises(CompileError) as exc:
        compile_playbook(pb)
    assert exc.value.errors[0].kind == "too_large" and "10002 blocks" in exc.value.errors[0].message


def test_a_long_chain_within_limits_compiles_without_recursion_trouble() -> None:
    blocks = [code(str(i), f"c_{i}") for i in range(2, 1502)]
    edges = [edge("0", "2")] + [edge(str(i), str(i + 1)) for i in range(2, 1501)]
    source = compile_playbook(playbook(blocks, edges)).source
    assert source.count("\ndef c_") == 1500


def test_a_null_byte_in_user_code_is_a_located_error_not_a_crash() -> None:
    pb = simple()
    pb["coa"]["data"]["nodes"]["2"]["userCode"] = "\n    x = 1\x00\n"
    with pytest.raises(CompileError) as exc:
        compile_playbook(pb)
    assert exc.value.errors[0].block_id == "2"


def test_a_huge_name_gives_a_short_located_error() -> None:
    with pytest.raises(CompileError) as exc:
        compile_playbook(playbook([action("2", "n" * 10_000_000)], [edge("0", "2")]))
    e = exc.value.errors[0]
    assert (e.block_id, e.field, e.kind) == ("2", "data.functionName", "too_large")
    assert all(len(x.message) < 500 for x in exc.value.errors)


def test_deeply_nested_values_get_a_located_error_not_a_recursion_crash() -> None:
    deep: list[object] = []
    cursor = deep
    for _ in range(50_000):
        cursor.append([])
        cursor = cursor[0]  # type: ignore[assignment]
    pb = simple()
    pb["coa"]["data"]["nodes"]["2"]["data"]["parameters"]["deep"] = deep
    with pytest.raises(CompileError) as exc:
        compile_playbook(pb)
    e = exc.value.errors[0]
    assert (e.block_id, e.kind) == ("2", "too_large") and e.field.startswith("data.parameters.deep[0]")


def test_deeply_nested_json_text_is_refused_as_a_format_error() -> None:
    from editor.graph import SoarFormatError
    from editor.soarfile import load_playbook

    with pytest.raises(SoarFormatError, match="nested too deeply"):
        load_playbook('{"a":' * 100_000 + "1" + "}" * 100_000, file="deep.json")
