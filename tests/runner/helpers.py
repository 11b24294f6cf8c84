"""Runner test helpers: a fake engine side that records calls and events in one log, and
`run`, which executes an inline source as a job in the session's pool."""
from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from engine import runner
from engine.runner import Job, Outcome

MEMORY_MB = 256  # small enough for the allocation test to reach it quickly


@dataclass
class Engine:
    """A fake engine side: records every call and event in one log, in order."""

    answers: dict[str, Any] = field(default_factory=dict)  # name -> value, or exception to raise
    on_call: Callable[[str, tuple[Any, ...], dict[str, Any]], Any] | None = None
    log: list[tuple[Any, ...]] = field(default_factory=list)

    def serve(self, module: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], block: str) -> Any:
        self.log.append(("call", module, name, args, kwargs, block))
        if self.on_call is not None:
            return self.on_call(name, args, kwargs)
        answer = self.answers.get(name)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def events(self, batch: list[tuple[str, dict[str, Any]]]) -> None:
        self.log.extend(("event", kind, payload) for kind, payload in batch)

    @property
    def calls(self) -> list[tuple[Any, ...]]:
        return [entry[1:] for entry in self.log if entry[0] == "call"]


def job(source: str, function: str = "fn", **fields: Any) -> Job:
    return Job(kind=fields.pop("kind", "call"), source=textwrap.dedent(source), filename="<playbook test>",
               function=function, **fields)


def run(source: str, function: str = "fn", engine: Engine | None = None, **fields: Any) -> Outcome:
    engine = engine or Engine()
    return runner.execute(job(source, function, **fields), engine.serve, engine.events)
