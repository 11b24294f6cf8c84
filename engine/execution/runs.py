"""Starting runs and finding what they execute."""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from editor.models import Playbook, PlaybookVersion
from engine.execution import queue, rows
from engine.execution.rows import raw
from engine.models import Container, PlaybookRun, RunStep
from soar.ids import as_id, in_db_range


class RunError(Exception):
    """A run cannot be started; the message says why."""


def find_playbook(ref: Any, user: Any = None) -> Playbook:
    """A playbook by id, "repo/name" or bare name; with ``user``, only among the playbooks
    that user may run (engine.visibility): a person starts runs of what they may see."""
    playbooks = Playbook.objects.all()
    if user is not None:
        from engine.visibility import playbook_filter

        playbooks = playbooks.filter(playbook_filter(user))
    if isinstance(ref, int) and not isinstance(ref, bool):
        found = playbooks.filter(pk=ref).first() if in_db_range(ref) else None
    elif isinstance(ref, str) and ref.strip():
        text = ref.strip()
        if text.isdigit():
            pk = as_id(text)
            found = playbooks.filter(pk=pk).first() if pk is not None else None
        elif "/" in text:
            repo, name = text.split("/", 1)
            found = playbooks.filter(repo=repo, name=name).first() or playbooks.filter(name=name).order_by("pk").first()
        else:
            found = playbooks.filter(name=text).order_by("pk").first()
    else:
        raise RunError(f"a playbook is named by id or 'repo/name', not {ref!r}")
    if found is None:
        raise RunError(f"no playbook {ref!r}")
    return found


_SOURCES: OrderedDict[int, tuple[str, str]] = OrderedDict()
_SOURCES_LOCK = threading.Lock()
_SOURCES_MAX = 256


def cached_playbook(version_id: int) -> tuple[str, str]:
    """(`source_for`, playbook name) by version id, remembered in this process: a version
    never changes once saved, and every step of a run needs its module."""
    with _SOURCES_LOCK:
        found = _SOURCES.get(version_id)
        if found is not None:
            _SOURCES.move_to_end(version_id)
            return found
    version = PlaybookVersion.objects.select_related("playbook").get(pk=version_id)
    found = (source_for(version), version.playbook.name)
    with _SOURCES_LOCK:
        _SOURCES[version_id] = found
        while len(_SOURCES) > _SOURCES_MAX:
            _SOURCES.popitem(last=False)
    return found


def cached_source(version_id: int) -> str:
    return cached_playbook(version_id)[0]


def source_for(version: PlaybookVersion) -> str:
    """The Python a version runs: the compiled graph, or a hand-written module.

    A version whose JSON holds a block graph runs the compiler's output (kept on the
    version once made); a playbook imported as a bare SOAR-style .py runs that file.
    """
    if version.compiled:
        return version.compiled
    doc = json.loads(version.json_text or "{}")
    nodes = ((doc.get("coa") or {}).get("data") or {}).get("nodes")
    if nodes:
        from editor.compiler import CompileError, compile_playbook

        try:
            result = compile_playbook(doc)
        except CompileError as exc:
            raise RunError(f"{version.playbook.name} does not compile: {exc}") from None
        source = result.source
    elif version.python.strip():
        source = version.python
        from engine.execution.loader import PlaybookLoadError, check_source

        try:
            check_source(source, version.playbook.name)
        except PlaybookLoadError as exc:
            raise RunError(f"{version.playbook.name} does not parse: {exc}") from None
    else:
        raise RunError(f"{version.playbook.name} version {version.number} has neither blocks nor Python code")
    PlaybookVersion.objects.filter(pk=version.pk).update(compiled=source)
    version.compiled = source
    return source


def _scope_marks(playbook_id: int, container_id: int) -> dict[str, int]:
    with raw() as cursor:
        cursor.execute('SELECT "artifact_watermark" FROM "engine_playbookrun" WHERE "playbook_id" = %s '
                       'AND "container_id" = %s ORDER BY "id" DESC LIMIT 1', [playbook_id, container_id])
        previous = cursor.fetchone()
        cursor.execute('SELECT MAX("id") FROM "engine_artifact" WHERE "container_id" = %s', [container_id])
        watermark = cursor.fetchone()
    return {"new_after": previous[0] if previous else 0, "artifact_watermark": (watermark[0] if watermark else 0) or 0}


def current_version_id(playbook: Playbook) -> int | None:
    """The id of the playbook's current version, without loading its (large) documents."""
    with raw() as cursor:
        cursor.execute('SELECT "id" FROM "editor_playbookversion" WHERE "playbook_id" = %s AND "number" = %s',
                       [playbook.pk, playbook.latest_version])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def start_run(playbook: Playbook, container: Container, *, scope: Any = "new", owner: Any = None,
              inputs: dict[str, Any] | None = None, parent: PlaybookRun | None = None,
              simulate_writes: bool = True) -> PlaybookRun:
    """Create a run and enqueue its on_start; returns at once (the run is durable)."""
    from engine.execution.tasks import enqueue_steps

    # Its dozen statements each look up this thread's connection otherwise (rows.db).
    with rows.bound_connection():
        version_id = current_version_id(playbook)
        if version_id is None:
            raise RunError(f"{playbook.name} has no saved version")
        if scope not in ("new", "all") and not (isinstance(scope, list) and all(isinstance(i, int) for i in scope)):
            raise RunError("scope must be 'new', 'all' or a list of artifact ids")
        cached_playbook(version_id)  # fail now, not in a worker, when the playbook does not compile
        with queue.write_transaction():
            run = rows.insert(rows.new(PlaybookRun,
                playbook=playbook, playbook_version_id=version_id, container=container, scope=scope,
                owner=owner if getattr(owner, "pk", None) else None, inputs=inputs or {}, parent_run=parent,
                simulate_writes=simulate_writes, **_scope_marks(playbook.pk, container.pk),
            ))
            step = rows.insert(rows.new(RunStep, run=run, kind="start", function="on_start"))
            enqueue_steps([step])
        return run


def start_child_run(ctx: Any, playbook: Playbook, container_id: int, inputs: dict[str, Any], block: str) -> PlaybookRun:
    container = Container.objects.filter(pk=container_id).first()
    if container is None:
        raise RunError(f"phantom.playbook: no container {container_id}")
    if inputs and playbook.playbook_type != "data":
        raise RunError(f"phantom.playbook: {playbook.name} is not an input playbook and takes no inputs")
    version_id = current_version_id(playbook)
    if version_id is None:
        raise RunError(f"phantom.playbook: {playbook.name} has no saved version")
    cached_playbook(version_id)  # fail in the parent's block when the child does not compile
    run = rows.insert(rows.new(PlaybookRun,
        playbook=playbook, playbook_version_id=version_id, container=container, scope="all",
        owner_id=ctx.run.owner_id, inputs=inputs, parent_run=ctx.run, simulate_writes=ctx.run.simulate_writes,
        **_scope_marks(playbook.pk, container.pk),
    ))
    ctx.new_steps.append(rows.insert(rows.new(RunStep, run=run, kind="start", function="on_start")))
    return run
