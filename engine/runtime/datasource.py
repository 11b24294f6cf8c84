"""The database behind datapaths: a run's container, artifacts, results and stored outputs."""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from engine.execution.results import results_list
from engine.models import ActionRun, AppRun, Artifact, CustomList, PlaybookRun, RunData, RunStep
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
        self._artifacts: dict[str, list[dict[str, Any]]] = {}

    def container(self) -> Mapping[str, Any]:
        data = dict(self.ctx.container())
        data.setdefault("url", f"/containers/{self.run.container_id}")
        return data

    def artifacts(self, scope: Scope) -> Sequence[Mapping[str, Any]]:
        key = json.dumps(scope if scope is not None else self.run.scope)
        if key not in self._artifacts:
            qs = Artifact.objects.filter(container_id=self.run.container_id).order_by("id")
            effective = scope if scope not in (None, "new") else self.run.scope
            if isinstance(effective, (list, tuple)):
                qs = qs.filter(pk__in=list(effective))
            elif effective == "new":
                qs = qs.filter(pk__gt=self.run.new_after)
            self._artifacts[key] = [artifact_dict(a) for a in qs]
        return self._artifacts[key]

    def _runs(self, block: str, types: tuple[str, ...]) -> list[ActionRun]:
        return list(ActionRun.objects.filter(playbook_run=self.run, name=block, type__in=types).order_by("id"))

    def action_results(self, block: str) -> Sequence[Mapping[str, Any]] | None:
        cache = self.ctx.results_cache
        if block not in cache:
            runs = self._runs(block, ("action", "prompt"))
            # Only finished actions are cached: a pending one may still gain app runs.
            results = [r for ar in runs for r in results_list(ar)] if runs else None
            if all(ar.status in ("success", "failed") for ar in runs):
                cache[block] = results
            return results
        return cache[block]

    def custom_function_results(self, block: str) -> Sequence[Mapping[str, Any]] | None:
        runs = self._runs(block, ("custom_function",))
        if not runs:
            return None
        rows = AppRun.objects.filter(action_run__in=runs).order_by("id").values_list("result_data", flat=True)
        return [{"success": bool(r.get("success")), "message": r.get("message", ""), "data": r.get("data")}
                for data in rows for r in data]

    def _data(self, key: str) -> str | None:
        return RunData.objects.filter(run=self.run, key=key).values_list("value", flat=True).first()

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


def store_format(ctx: StepContext, block: str, text: str, rows: Sequence[str]) -> None:
    RunData.objects.update_or_create(run=ctx.run, key=FORMAT_KEY + block,
                                     defaults={"value": json.dumps({"text": text, "rows": list(rows)})})


def store_filtered(ctx: StepContext, name: str, filtered: FilteredSet) -> None:
    RunData.objects.update_or_create(run=ctx.run, key=FILTER_KEY + name,
                                     defaults={"value": json.dumps(filtered.to_json(), default=str)})
