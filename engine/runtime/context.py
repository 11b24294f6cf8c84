"""The step a piece of playbook code runs in, reachable from every phantom.* call.

Playbook code calls `phantom.act(...)` without saying which run it belongs to, so the
executor binds the current step in a context variable before calling into the module.
"""
from __future__ import annotations

import copy
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from engine.models import PlaybookRun, RunStep


class OutsideRunError(RuntimeError):
    pass


@dataclass
class StepContext:
    run: PlaybookRun
    step: RunStep
    worker: str = ""
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # Steps this step creates, inserted with its journal entry (engine.execution.journal).
    new_steps: list[RunStep] = field(default_factory=list)
    # Steps the journal entry itself created (on_finish), for the run's holder to run next.
    created: list[RunStep] = field(default_factory=list)
    block: str = ""
    failed_block: str = ""  # the innermost block an exception came out of
    _container: dict[str, Any] | None = None
    discontinued: bool = False
    actions_counted: int = 0  # phantom.act calls of this step, added to the run's count at its end
    # Run data read or written in this step, by key (None: no such key). Nothing else
    # writes a run's data while one of its code steps runs (the run's lease).
    run_data: dict[str, str | None] = field(default_factory=dict)
    # Every action run of this run with its app runs, loaded once per step (see
    # execution.results.snapshot); dropped when this step starts a new action.
    results_snapshot: Any = None
    # The run holder's unwritten journal (engine.execution.batch), through which the step
    # reads its own run; None outside the holder (a connector's completion, a prompt's answer).
    batch: Any = None

    def emit(self, kind: str, payload: dict[str, Any]) -> None:
        self.events.append((kind, payload))

    def container(self) -> dict[str, Any]:
        """The run's container as SOAR hands it to callbacks, read once per step (once per
        batch of the run's holder, until a step may have changed it)."""
        if self._container is None:
            from engine.models import Container
            from engine.runtime.containers import container_dict

            shared = self.batch.reads if self.batch is not None else {}
            found = shared.get("container")
            if found is None:
                container = Container.objects.filter(pk=self.run.container_id).first()
                if container is None:
                    raise Container.DoesNotExist(f"container {self.run.container_id} no longer exists")
                found = shared["container"] = container_dict(container)
                if found.get("current_rule_run_id") is None:
                    found["current_rule_run_id"] = self.run.pk
            # Each step gets its own copy: playbook code may change what it receives.
            self._container = copy.deepcopy(found)
        return self._container

    def invalidate_container(self) -> None:
        self._container = None


_current: ContextVar[StepContext | None] = ContextVar("soar_step", default=None)


def current(api: str = "this phantom API") -> StepContext:
    ctx = _current.get()
    if ctx is None:
        raise OutsideRunError(f"phantom.{api} can only be called while a playbook runs")
    return ctx


def bind(ctx: StepContext) -> Any:
    return _current.set(ctx)


def unbind(token: Any) -> None:
    _current.reset(token)


def to_json(value: Any) -> str:
    """JSON for values playbooks hand to the engine (handles, run data, outputs)."""
    from engine.execution import api as execution  # the execution core imports this module

    return execution.dumps(value, default=str)
