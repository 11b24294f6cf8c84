"""Events the runner makes itself (block.started / block.finished) reach the engine in
order with its calls, deferred debug calls included, and name the innermost failed block."""
from __future__ import annotations

from tests.runner.helpers import Engine, run

SOURCE = """
import phantom.rules as phantom

@phantom.playbook_block()
def inner(fail=False):
    phantom.debug("inner")
    phantom.save_run_data(key="k", value="v")
    if fail:
        raise RuntimeError("broken")

@phantom.playbook_block()
def fn(fail=False):
    phantom.debug("outer")
    inner(fail)
    phantom.get_run_data(key="k")
"""


def _shape(engine: Engine) -> list[tuple[str, str, str]]:
    out = []
    for entry in engine.log:
        if entry[0] == "event":
            out.append(("event", entry[1], entry[2]["block"]))
        else:
            out.append(("call", entry[2], entry[5]))
    return out


def test_it_keeps_block_events_and_calls_in_the_order_the_code_made_them() -> None:
    engine = Engine()
    outcome = run(SOURCE, engine=engine, block="fn")
    assert outcome.status == "ok"
    assert _shape(engine) == [
        ("event", "block.started", "fn"),
        ("call", "debug", "fn"),
        ("event", "block.started", "inner"),
        ("call", "debug", "inner"),
        ("call", "save_run_data", "inner"),
        ("event", "block.finished", "inner"),
        ("call", "get_run_data", "fn"),
        ("event", "block.finished", "fn"),
    ]


def test_it_sends_a_deferred_debug_with_the_values_it_had_when_called() -> None:
    engine = Engine()
    run("""
        import phantom.rules as phantom

        def fn():
            items = [1]
            phantom.debug(items)
            items.append(2)
            phantom.debug(items)
        """, engine=engine)
    assert [args for _, name, args, _, _ in engine.calls if name == "debug"] == [([1],), ([1, 2],)]


def test_it_names_the_innermost_failed_block() -> None:
    engine = Engine()
    outcome = run(SOURCE, engine=engine, kwargs={"fail": True}, block="fn")
    assert outcome.status == "error"
    assert outcome.failed_block == "inner"
    assert outcome.error == "RuntimeError in inner: broken"
    finished = [entry[2] for entry in engine.log if entry[0] == "event" and entry[1] == "block.finished"]
    assert finished == [{"block": "inner", "status": "failed", "error": "RuntimeError: broken"},
                        {"block": "fn", "status": "failed", "error": "RuntimeError: broken"}]


def test_it_logs_a_deferred_calls_error_instead_of_losing_it() -> None:
    engine = Engine(answers={"debug": TypeError("cannot format")})
    outcome = run("""
        import phantom.rules as phantom

        def fn():
            phantom.debug("x")
            return "went on"
        """, engine=engine, block="b")
    assert outcome.value == "went on"
    assert ("event", "debug", {"level": "error", "message": "phantom.debug: TypeError: cannot format", "block": "b"}) in engine.log
