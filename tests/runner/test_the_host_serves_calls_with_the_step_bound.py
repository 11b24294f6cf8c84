"""host.serve_with(ctx) runs a runner's call with the real runtime, the step's context
bound and its block set to the runner's; it serves only what playbook code may call."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from engine.runner import host
from tests.runner.helpers import job


class _Context:
    """The parts of a StepContext that phantom.debug and get_current_container_id_ use."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.block = ""
        self.run = SimpleNamespace(container_id=41)
        self.batch = None  # not the run holder's: nothing shared to forget

    def emit(self, kind: str, payload: dict[str, Any]) -> None:
        self.events.append((kind, payload))


def test_it_runs_the_runtime_with_the_runners_block_and_keeps_event_order() -> None:
    import engine.runner

    ctx = _Context()
    outcome = engine.runner.execute(job("""
        import phantom.rules as phantom

        @phantom.playbook_block()
        def fn():
            phantom.debug("hello")
            return phantom.get_current_container_id_()
        """), host.serve_with(ctx), host.events_into(ctx))  # type: ignore[arg-type]
    assert outcome.value == 41
    assert [(kind, payload.get("block"), payload.get("message")) for kind, payload in ctx.events] == [
        ("block.started", "fn", None), ("debug", "fn", "hello"), ("block.finished", "fn", None)]


@pytest.mark.parametrize("module, name", [("rules", "_text"), ("rules", "__getattr__"), ("utils", "re"),
                                          ("vault", "Vault.__init__"), ("runner", "os"), ("os", "system")])
def test_it_refuses_names_playbook_code_may_not_call(module: str, name: str) -> None:
    serve = host.serve_with(_Context())  # type: ignore[arg-type]
    with pytest.raises(AttributeError, match="not available to playbook code"):
        serve(module, name, (), {}, "b")


def test_it_refuses_a_request_to_another_server_through_the_engine() -> None:
    serve = host.serve_with(_Context())  # type: ignore[arg-type]
    with pytest.raises(PermissionError):
        serve("runner", "requests_local", ("get", "http://169.254.169.254/latest/meta-data", b"", {}), {}, "b")
