"""What a datapath may read: the `DataSource` protocol and an in-memory implementation.

The DB-backed runtime implements `DataSource` over its run tables; tests and the reference
implementation use `InMemoryDataSource`. Everything crossing this boundary is plain JSON
(dicts, lists, str, numbers), shaped like SOAR's REST and callback objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

# "new": artifacts added since this playbook last ran on the container (the run's scope);
# "all": every artifact of the container; a list of ids: exactly those artifacts.
Scope = Literal["new", "all"] | Sequence[int]

JSON = Any


@dataclass(frozen=True, slots=True)
class FormatData:
    """What `format(name=…)` stored: the rendered text and one string per `%%` row."""

    text: str
    rows: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FilteredSet:
    """What `condition(name="filter_1:condition_1")` stored for `filtered-data:` paths.

    `artifact_ids`: matched artifacts (re-read on resolution so later CEF edits show).
    `results`: block name → app runs in SOAR `results` shape holding only the matched
    `action_results`. `values`: source key (see `source_key`) → matched items of other
    sources (custom-function invocations, playbook inputs, child outputs, code outputs).
    """

    artifact_ids: tuple[int, ...] = ()
    results: Mapping[str, Sequence[Mapping[str, JSON]]] = field(default_factory=dict)
    values: Mapping[str, Sequence[JSON]] = field(default_factory=dict)

    def to_json(self) -> dict[str, JSON]:
        """A JSON-serialisable dict; `from_json` reverses it."""
        return {
            "artifact_ids": list(self.artifact_ids),
            "results": {k: list(v) for k, v in self.results.items()},
            "values": {k: list(v) for k, v in self.values.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, JSON]) -> FilteredSet:
        """Rebuild a set stored with `to_json`."""
        return cls(
            artifact_ids=tuple(int(i) for i in data.get("artifact_ids", ())),
            results={k: list(v) for k, v in (data.get("results") or {}).items()},
            values={k: list(v) for k, v in (data.get("values") or {}).items()},
        )


@runtime_checkable
class DataSource(Protocol):
    """Everything a datapath can read during one playbook run.

    Methods return None for "this block never produced anything" (the datapath then
    yields no rows); they never raise for missing data.
    """

    def container(self) -> Mapping[str, JSON]:
        """The container JSON (REST shape plus `url`, the UI link SOAR exposes to playbooks)."""
        ...

    def artifacts(self, scope: Scope) -> Sequence[Mapping[str, JSON]]:
        """Artifacts of the container for `scope` ("new", "all" or explicit ids), sorted by id.

        SOAR artifact JSON: `id`, `name`, `label`, `severity`, `cef`, `cef_types`, `tags`,
        `data`, `description`, `source_data_identifier`, ….
        """
        ...

    def action_results(self, block: str) -> Sequence[Mapping[str, JSON]] | None:
        """App runs (the callback `results` list) of every action run named `block` in this run.

        Also answers prompts: a prompt is an action run whose `action_results[*].summary`
        holds `response` / `responses` and whose `parameter` holds `message`.
        """
        ...

    def custom_function_results(self, block: str) -> Sequence[Mapping[str, JSON]] | None:
        """One `{"success": bool, "message": str, "data": <returned object>}` per invocation."""
        ...

    def code_output(self, block: str, variable: str) -> JSON:
        """The JSON-decoded run data `"<block>:<variable>"` of a code block (None when unset)."""
        ...

    def format_output(self, block: str) -> FormatData | None:
        """What the format block `block` rendered."""
        ...

    def filtered(self, name: str) -> FilteredSet | None:
        """The set `condition(name=name)` stored, e.g. name ``"filter_1:condition_1"``."""
        ...

    def playbook_inputs(self) -> Mapping[str, JSON]:
        """Inputs of this (input) playbook run: name → value or list of values."""
        ...

    def child_playbook_outputs(self, block: str) -> Sequence[Mapping[str, JSON]] | None:
        """Outputs of the child runs started by `playbook(name=block)`: one dict per child run."""
        ...

    def child_playbook_inputs(self, block: str) -> Mapping[str, JSON] | None:
        """The `inputs` dict the playbook block `block` passed to its child."""
        ...

    def custom_list(self, name: str) -> Sequence[Sequence[JSON]] | None:
        """Rows of the custom list `name` (for `in` / `not in` against ``custom_list:<name>``)."""
        ...


@dataclass
class InMemoryDataSource:
    """A `DataSource` over plain Python data, for tests and as the reference behaviour.

    `new_artifact_ids` is the run's "new" scope; None means every artifact is new.
    """

    container_data: dict[str, JSON] = field(default_factory=dict)
    artifact_list: list[dict[str, JSON]] = field(default_factory=list)
    new_artifact_ids: set[int] | None = None
    results_by_block: dict[str, list[dict[str, JSON]]] = field(default_factory=dict)
    cf_results_by_block: dict[str, list[dict[str, JSON]]] = field(default_factory=dict)
    code_outputs: dict[str, JSON] = field(default_factory=dict)  # key "<block>:<var>"
    formats: dict[str, FormatData] = field(default_factory=dict)
    filtered_sets: dict[str, FilteredSet] = field(default_factory=dict)
    inputs: dict[str, JSON] = field(default_factory=dict)
    child_outputs: dict[str, list[dict[str, JSON]]] = field(default_factory=dict)
    child_inputs: dict[str, dict[str, JSON]] = field(default_factory=dict)
    custom_lists: dict[str, list[list[JSON]]] = field(default_factory=dict)
    _sorted: list[dict[str, JSON]] | None = field(default=None, init=False, repr=False, compare=False)
    _by_id: dict[int, dict[str, JSON]] | None = field(default=None, init=False, repr=False, compare=False)

    def _index(self) -> tuple[list[dict[str, JSON]], dict[int, dict[str, JSON]]]:
        # Sorted once: resolution asks for artifacts on every call, the list rarely changes.
        if self._sorted is None or self._by_id is None or len(self._sorted) != len(self.artifact_list):
            self._sorted = sorted(self.artifact_list, key=lambda a: a.get("id") or 0)
            self._by_id = {a["id"]: a for a in self._sorted if "id" in a}
        return self._sorted, self._by_id

    def add_artifact(self, artifact: dict[str, JSON]) -> None:
        """Append an artifact (keeps the sorted index fresh)."""
        self.artifact_list.append(artifact)
        self._sorted = None

    def container(self) -> Mapping[str, JSON]:
        return self.container_data

    def artifacts(self, scope: Scope) -> Sequence[Mapping[str, JSON]]:
        ordered, by_id = self._index()
        if scope == "all" or (scope == "new" and self.new_artifact_ids is None):
            return ordered
        if scope == "new":
            new = self.new_artifact_ids or set()
            return [a for a in ordered if a.get("id") in new]
        if isinstance(scope, str):
            raise ValueError(f"scope must be 'new', 'all' or a list of artifact ids, not {scope!r}")
        return [by_id[i] for i in sorted(set(scope)) if i in by_id]

    def action_results(self, block: str) -> Sequence[Mapping[str, JSON]] | None:
        return self.results_by_block.get(block)

    def custom_function_results(self, block: str) -> Sequence[Mapping[str, JSON]] | None:
        return self.cf_results_by_block.get(block)

    def code_output(self, block: str, variable: str) -> JSON:
        return self.code_outputs.get(f"{block}:{variable}")

    def format_output(self, block: str) -> FormatData | None:
        return self.formats.get(block)

    def filtered(self, name: str) -> FilteredSet | None:
        return self.filtered_sets.get(name)

    def playbook_inputs(self) -> Mapping[str, JSON]:
        return self.inputs

    def child_playbook_outputs(self, block: str) -> Sequence[Mapping[str, JSON]] | None:
        return self.child_outputs.get(block)

    def child_playbook_inputs(self, block: str) -> Mapping[str, JSON] | None:
        return self.child_inputs.get(block)

    def custom_list(self, name: str) -> Sequence[Sequence[JSON]] | None:
        return self.custom_lists.get(name)
