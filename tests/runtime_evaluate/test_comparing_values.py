from __future__ import annotations

import pytest

from engine.runtime.evaluate import OPERATORS, OperatorError, evaluate_condition


@pytest.mark.parametrize(
    ("left", "op", "right", "expected"),
    [
        ("success", "==", "success", True),
        ("success", "==", "failed", False),
        ("3", "==", 3, True),
        (3.0, "==", "3", True),
        ("03", "==", "3", True),
        (True, "==", "true", True),
        (True, "==", True, True),
        (False, "==", "True", False),
        (None, "==", None, True),
        (None, "==", "", True),
        (None, "!=", "", False),
        ("", "!=", "", False),
        ("alice", "!=", "", True),
        (0, "==", "", False),
        (["a"], "==", ["a"], True),
        ("nan", "==", "NaN", False),
    ],
)
def test_it_compares_equality_with_soar_coercions(left: object, op: str, right: object, expected: bool) -> None:
    assert evaluate_condition(left, op, right) is expected


@pytest.mark.parametrize(
    ("left", "op", "right", "expected"),
    [
        ("80", ">", 50, True),
        (10, ">", "50", False),
        (5, ">=", 5, True),
        ("4", "<", 5.5, True),
        (5, "<=", "4", False),
        ("2024-01-02T00:00:00Z", "<", "2024-01-03T00:00:00Z", True),
        (None, ">", 0, False),
        ("abc", ">", 0, False),
        (True, ">", 0, False),
    ],
)
def test_it_orders_numbers_numerically_and_strings_lexically(
    left: object, op: str, right: object, expected: bool
) -> None:
    assert evaluate_condition(left, op, right) is expected


@pytest.mark.parametrize(
    ("left", "op", "right", "expected"),
    [
        (".eml", "in", "report.eml", True),
        ("true", "in", "output: true", True),
        ("high_threat", "in", ["dns", "high_threat"], True),
        ("high", "in", ["high_threat"], False),
        ("3", "in", [1, 2, 3], True),
        (["ip", "domain"], "in", ["domain"], True),
        ("alice", "not in", ["bob"], True),
        ("alice", "not in", "malice", False),
        (None, "in", "abc", False),
        ("x", "in", None, False),
        ("key", "in", {"key": 1}, True),
    ],
)
def test_it_tests_membership_on_lists_and_substrings_on_strings(
    left: object, op: str, right: object, expected: bool
) -> None:
    assert evaluate_condition(left, op, right) is expected


def test_it_splits_a_delimited_right_operand_for_in() -> None:
    assert evaluate_condition("b", "in", "a, b,c", delimiter=",")
    assert not evaluate_condition("a, b", "in", "a, b,c", delimiter=",")
    assert evaluate_condition("a, b", "in", "a, b,c")  # substring without a delimiter


def test_it_leaves_a_right_operand_without_the_delimiter_as_a_substring_test() -> None:
    assert evaluate_condition(".eml", "in", "report.eml", delimiter=",")


def test_it_ignores_the_delimiter_for_equality() -> None:
    assert evaluate_condition("a,b", "==", "a,b", delimiter=",")


def test_it_folds_case_when_asked() -> None:
    assert not evaluate_condition("Alice", "==", "alice")
    assert evaluate_condition("Alice", "==", "alice", case_sensitive=False)
    assert evaluate_condition("ADMIN", "in", ["admin"], case_sensitive=False)


def test_it_supports_prefix_suffix_and_regex_operators() -> None:
    assert evaluate_condition("evil.example.com", "endswith", ".com")
    assert evaluate_condition("evil.example.com", "startswith", "evil")
    assert evaluate_condition("host-42", "match", r"host-\d+")
    assert evaluate_condition("host-x", "not match", r"host-\d+")
    assert not evaluate_condition("host", "match", "(unclosed")


def test_it_accepts_common_operator_spellings() -> None:
    assert evaluate_condition("a", "=", "a") and evaluate_condition("a", " NOT IN ", ["b"])


def test_it_rejects_unknown_operators() -> None:
    with pytest.raises(OperatorError, match="unknown operator"):
        evaluate_condition(1, "~=", 1)


def test_it_covers_every_operator_in_the_corpus() -> None:
    assert {"==", "!=", ">", ">=", "<", "<=", "in", "not in"} <= set(OPERATORS)
