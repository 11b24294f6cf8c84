"""Every string from the graph is emitted as a literal that evaluates back to itself, and
no text can leave a comment or the module docstring."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.compiler.writer import (
    comment_text,
    constant,
    description_banner,
    docstring_body,
    py_str,
    py_triple,
    py_value,
)

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=500)
@given(ANY_TEXT)
def test_string_literals_round_trip_exactly(text: str) -> None:
    assert ast.literal_eval(py_str(text)) == text
    assert ast.literal_eval(py_triple(text)) == text


@settings(max_examples=300)
@given(ANY_TEXT)
def test_a_docstring_cannot_be_closed_from_inside(text: str) -> None:
    tree = ast.parse('"""\n' + docstring_body(text) + '\n"""\nx = 1\n')
    assert isinstance(tree.body[0], ast.Expr) and len(tree.body) == 2
    assert ast.literal_eval(tree.body[0].value) == "\n" + text + "\n"


@settings(max_examples=300)
@given(ANY_TEXT)
def test_comments_and_banners_stay_comments(text: str) -> None:
    source = "def f():\n" + "\n".join(description_banner(text)) + "\n    # " + comment_text(text) + "\n    return 1\n"
    tree = ast.parse(source)
    assert len(tree.body) == 1 and len(tree.body[0].body) == 1  # type: ignore[attr-defined]


@settings(max_examples=300)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | ANY_TEXT,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
        max_leaves=8,
    )
)
def test_json_values_render_as_equal_python_literals(value: object) -> None:
    assert ast.literal_eval(py_value(value)) == value


def test_all_digit_constants_become_ints_like_soar() -> None:
    assert constant("10") == "10" and constant("-3") == "-3"
    assert constant("1e3") == '"1e3"' and constant("\u0661") == '"\u0661"'  # Arabic-Indic one stays text
    assert constant(True) == "True" and constant(None) == "None"
