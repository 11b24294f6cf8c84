"""The engine's hot-path JSON (`jsontext`) writes and reads exactly what the standard
library's defaults would, errors included."""
from __future__ import annotations

import json
from typing import Any

import pytest

from engine.execution import jsontext

VALUES: list[Any] = [
    {}, [], "", "é and \u2028", 0, -1, 1.5, 1e300, True, None, {"a": [1, 2.5, None, True, {"b": "c"}]},
    {1: "int key"}, {"t": (1, 2)}, [float("inf")], {"block": "source_address_filter", "status": "success"},
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_it_writes_what_json_dumps_writes(value: Any) -> None:
    assert jsontext.dumps(value) == json.dumps(value)


OPTIONS: list[dict[str, Any]] = [
    {"default": str}, {"sort_keys": True}, {"separators": (",", ":")}, {"ensure_ascii": False},
    {"sort_keys": True, "separators": (",", ":"), "default": str},
    {"separators": (",", ":"), "ensure_ascii": False, "default": str},
]


@pytest.mark.parametrize("options", OPTIONS, ids=repr)
def test_it_writes_what_json_dumps_writes_with_the_same_options(options: dict[str, Any]) -> None:
    value = {"z": [1, {"é": None, "b": {"c"}} if "default" in options else {"é": None}], "a": "\u2028 x"}
    assert jsontext.dumps(value, **options) == json.dumps(value, **options)


@pytest.mark.parametrize("value", [{"s": {1, 2}}, object(), {"b": b"bytes"}], ids=["set", "object", "bytes"])
def test_it_refuses_what_json_dumps_refuses_with_the_same_error(value: Any) -> None:
    with pytest.raises(TypeError) as ours:
        jsontext.dumps(value)
    with pytest.raises(TypeError) as theirs:
        json.dumps(value)
    assert str(ours.value) == str(theirs.value)


def test_a_failed_encoding_leaves_the_next_one_unaffected() -> None:
    shared = [1, {"a": 2}]

    def refuse(value: Any) -> Any:
        raise TypeError("refused")

    with pytest.raises(TypeError, match="refused"):
        jsontext.dumps([shared, object()], default=refuse)
    # The failed encoder had the shared list in its circular-reference markers.
    assert jsontext.dumps([shared, shared], default=refuse) == json.dumps([shared, shared])


def test_a_default_that_encodes_again_gets_the_same_text() -> None:
    class Nested:
        pass

    def nested(value: Any) -> Any:
        return jsontext.dumps({"inner": [1, 2]}, default=nested)

    assert jsontext.dumps([Nested(), {"k": Nested()}], default=nested) == json.dumps(
        [Nested(), {"k": Nested()}], default=lambda v: json.dumps({"inner": [1, 2]}))


def test_it_detects_a_circular_value() -> None:
    circular: list[Any] = []
    circular.append(circular)
    with pytest.raises(ValueError, match="Circular reference"):
        jsontext.dumps(circular)


@pytest.mark.parametrize("text", ['{}', '[1, 2]', '"x"', ' {"a": 1} ', '1.5', 'null', '{"a": "\\u00e9"}'])
def test_it_reads_what_json_loads_reads(text: str) -> None:
    assert jsontext.loads(text) == json.loads(text)


@pytest.mark.parametrize("text", ['{"a": 1}x', '', '{', '[1,]', '{"a" 1}'])
def test_it_rejects_what_json_loads_rejects_with_the_same_message(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as ours:
        jsontext.loads(text)
    with pytest.raises(json.JSONDecodeError) as theirs:
        json.loads(text)
    assert str(ours.value) == str(theirs.value)


def test_it_names_a_cycle_through_a_dict_or_a_default_as_json_dumps_does() -> None:
    looped: dict[str, Any] = {}
    looped["self"] = [looped]

    class Wrapper:
        pass

    def unwrap(value: Any) -> Any:
        return [value]  # the same object again: endless without the check

    for value, options in ((looped, {}), (Wrapper(), {"default": unwrap})):
        with pytest.raises(ValueError) as ours:
            jsontext.dumps(value, **options)
        with pytest.raises(ValueError) as theirs:
            json.dumps(value, **options)
        assert str(ours.value) == str(theirs.value)


def test_a_value_nested_past_the_recursion_limit_fails_as_json_dumps_does() -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(RecursionError):
        json.dumps(deep)
    with pytest.raises(RecursionError):
        jsontext.dumps(deep)


def test_threads_encoding_at_once_get_their_own_text() -> None:
    import threading

    texts: dict[int, set[str]] = {}

    def encode(n: int) -> None:
        texts[n] = {jsontext.dumps({"n": n, "items": list(range(n)), "nested": {"s": "x" * n}}, sort_keys=True)
                    for _ in range(300)}

    threads = [threading.Thread(target=encode, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert texts == {n: {json.dumps({"n": n, "items": list(range(n)), "nested": {"s": "x" * n}}, sort_keys=True)}
                     for n in range(8)}
