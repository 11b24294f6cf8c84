"""The database behind datapaths: a run's container, artifacts, results and stored outputs."""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from engine.execution import api as execution
from engine.execution.api import RunAction
from engine.models import Artifact, CustomList, PlaybookRun, RunData, RunStep
from engine.runtime.containers import artifact_dict
from engine.runtime.context import StepContext
from engine.runtime.evaluate import FilteredSet, FormatData, Scope

FORMAT_KEY = "__format__:"
FILTER_KEY = "__filter__:"


class RunDataSource:
    """`engine.runtime.evaluate.DataSource` over one run's rows, cached for one step."""

    def __init__(self, ctx: StepContext) -> None:
        self.ctx = ctx
        self.run: PlaybookRun = ctx.run
        # The run holder's batch shares what its steps read (see engine.execution.batch).
        self._artifacts: dict[Any, list[dict[str, Any]]] = ctx.batch.reads if ctx.batch is not None else {}

    def container(self) -> Mapping[str, Any]:
        data = dict(self.ctx.container())
        data.setdefault("url", f"/containers/{self.run.container_id}")
        return data

    def artifacts(self, scope: Scope) -> Sequence[Mapping[str, Any]]:
        key = ("artifacts", execution.dumps(scope if scope is not None else self.run.scope))
        if key not in self._artifacts:
            found = Artifact.objects.filter(container_id=self.run.container_id)
            effective = scope if scope not in (None, "new") else self.run.scope
            if isinstance(effective, (list, tuple)):
                ids = [int(i) for i in effective if isinstance(i, int) or (isinstance(i, str) and i.isdigit())]
                if not ids:
                    self._artifacts[key] = []
                    return []
                found = found.filter(pk__in=ids)
            elif effective == "new":
                found = found.filter(pk__gt=self.run.new_after)
            self._artifacts[key] = [artifact_dict(a) for a in found.order_by("id")]
        return self._artifacts[key]

    def _runs(self, block: str, types: tuple[str, ...]) -> list[RunAction]:
        return [a for a in execution.action_runs(self.ctx).values() if a.name == block and a.type in types]

    def action_results(self, block: str) -> Sequence[Mapping[str, Any]] | None:
        runs = self._runs(block, ("action", "prompt"))
        return [r for ar in runs for r in ar.results] if runs else None

    def custom_function_results(self, block: str) -> Sequence[Mapping[str, Any]] | None:
        runs = self._runs(block, ("custom_function",))
        if not runs:
            return None
        return [{"success": bool(r.get("success")), "message": r.get("message", ""), "data": r.get("data")}
                for ar in runs for app_run in ar.results for r in (app_run["action_results"] or [])]

    def _data(self, key: str) -> str | None:
        return read_data(self.ctx, key)

    def code_output(self, block: str, variable: str) -> Any:
        raw = self._data(f"{block}:{variable}")
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return raw

    def format_output(self, block: str) -> FormatData | None:
        raw = self._data(FORMAT_KEY + block)
        if raw is None:
            return None
        stored = json.loads(raw)
        return FormatData(text=stored["text"], rows=tuple(stored["rows"]))

    def filtered(self, name: str) -> FilteredSet | None:
        raw = self._data(FILTER_KEY + name)
        return FilteredSet.from_json(json.loads(raw)) if raw else None

    def playbook_inputs(self) -> Mapping[str, Any]:
        return self.run.inputs if isinstance(self.run.inputs, dict) else {}

    def _children(self, block: str) -> list[PlaybookRun]:
        ids = RunStep.objects.filter(run=self.run, kind="playbook", name=block).values_list("child_run_id", flat=True)
        return list(PlaybookRun.objects.filter(pk__in=list(ids)).order_by("id"))

    def child_playbook_outputs(self, block: str) -> Sequence[Mapping[str, Any]] | None:
        children = self._children(block)
        return [c.outputs for c in children] if children else None

    def child_playbook_inputs(self, block: str) -> Mapping[str, Any] | None:
        children = self._children(block)
        return children[0].inputs if children else None

    def custom_list(self, name: str) -> Sequence[Sequence[Any]] | None:
        return CustomList.objects.filter(name=name).values_list("content", flat=True).first()


def read_data(ctx: StepContext, key: str) -> str | None:
    """A run data value (None when the key was never written), read once per step."""
    if key in ctx.run_data:
        return ctx.run_data[key]
    value = RunData.objects.filter(run_id=ctx.run.pk, key=key).values_list("value", flat=True).first()
    ctx.run_data[key] = value
    return value


def write_data(ctx: StepContext, key: str, value: str) -> None:
    """Insert or replace a run data value."""
    RunData.objects.update_or_create(run_id=ctx.run.pk, key=key, defaults={"value": value})
    ctx.run_data[key] = value


def store_format(ctx: StepContext, block: str, text: str, rows: Sequence[str]) -> None:
    write_data(ctx, FORMAT_KEY + block, execution.dumps({"text": text, "rows": list(rows)}))


def store_filtered(ctx: StepContext, name: str, filtered: FilteredSet) -> None:
    write_data(ctx, FILTER_KEY + name, execution.dumps(filtered.to_json(), default=str))
