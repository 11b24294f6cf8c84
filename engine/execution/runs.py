"""Starting runs and finding what they execute."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.db.models.signals import post_save

from editor.compiler import COMPILER_VERSION, VersionModule, version_module
from editor.models import Playbook, PlaybookVersion
from engine.execution import dispatch
from engine.models import Artifact, Container, PlaybookRun, RunStep
from engine.visibility import playbook_filter
from soar.ids import as_id, in_db_range


class RunError(Exception):
    """A run cannot be started; the message says why."""


def find_playbook(ref: Any, user: Any = None) -> Playbook:
    """A playbook by id, "repo/name" or bare name; with ``user``, only among the playbooks
    that user may run (engine.visibility): a person starts runs of what they may see."""
    playbooks = Playbook.objects.all()
    if user is not None:
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


# The modules runs execute, with their playbook's name, by version id: a saved version never
# changes. An id can come back, though: SQLite's AUTOINCREMENT counter rolls back with a
# transaction that created a version, so the next version saved gets the same id. Creating a
# version (a post_save of PlaybookVersion: save_version is the only way, and a transaction
# that rolled back is only seen by its own process) forgets whatever this process kept under
# its id. That replaces a read of the version's key before every step (6 us on SQLite, a
# round trip on PostgreSQL; about 3.7% of a worker thread's profile of the bench playbook).
_MODULES: OrderedDict[int, tuple[str, str]] = OrderedDict()
_MODULES_LOCK = threading.Lock()
_MODULES_MAX = 256


def _forget_version(sender: Any, instance: PlaybookVersion, created: bool, **kwargs: Any) -> None:
    if created:
        with _MODULES_LOCK:
            _MODULES.pop(instance.pk, None)


post_save.connect(_forget_version, sender=PlaybookVersion, dispatch_uid="engine.execution.runs.forget_version")


def cached_playbook(version_id: int) -> tuple[str, str]:
    """(the module a version runs, the playbook's name); RunError when it cannot run.

    The module is the one stored when the version was saved (compile on save); the engine
    writes no editor table. It is read (or, for a version stored by an older compiler,
    compiled) once per process."""
    with _MODULES_LOCK:
        found = _MODULES.get(version_id)
        if found is not None:
            _MODULES.move_to_end(version_id)
            return found
    version = PlaybookVersion.objects.select_related("playbook").only(
        "number", "json_text", "python", "compiled", "compile_error", "compiler_version", "playbook__name",
    ).filter(pk=version_id).first()
    if version is None:
        raise RunError(f"no playbook version {version_id}")
    found = (module_of(version, version.playbook.name), version.playbook.name)
    with _MODULES_LOCK:
        _MODULES[version_id] = found
        while len(_MODULES) > _MODULES_MAX:
            _MODULES.popitem(last=False)
    return found


def cached_source(version_id: int) -> str:
    return cached_playbook(version_id)[0]


def module_of(version: PlaybookVersion, name: str) -> str:
    """The Python a version runs: what was stored when it was saved, unless an older
    compiler stored it (or none did: rows from before compile on save), in which case it
    is compiled again in memory. A newer compiler's module (a worker not yet upgraded) is
    run as stored."""
    if version.compiler_version >= COMPILER_VERSION:
        module = VersionModule(version.compiled, version.compile_error, version.compiler_version)
    else:
        module = version_module(version.json_text, version.python, name=name, number=version.number)
    if module.error or not module.source:
        raise RunError(f"{name} {module.error or f'version {version.number} has no module'}")
    return module.source


def _scope_marks(playbook_id: int, container_id: int) -> dict[str, int]:
    previous = (PlaybookRun.objects.filter(playbook_id=playbook_id, container_id=container_id).order_by("-id")
                .values_list("artifact_watermark", flat=True).first())
    watermark = Artifact.objects.filter(container_id=container_id).aggregate(top=Max("id"))["top"]
    return {"new_after": previous or 0, "artifact_watermark": watermark or 0}


def current_version_id(playbook: Playbook) -> int | None:
    """The id of the playbook's current version, without loading its (large) documents."""
    return (PlaybookVersion.objects.filter(playbook_id=playbook.pk, number=playbook.latest_version)
            .values_list("id", flat=True).first())


def start_run(playbook: Playbook, container: Container, *, scope: Any = "new", owner: Any = None,
              inputs: dict[str, Any] | None = None, parent: PlaybookRun | None = None,
              simulate_writes: bool = True) -> PlaybookRun:
    """Create a run and its on_start step, and wake it; returns at once (the run is durable)."""
    version_id = current_version_id(playbook)
    if version_id is None:
        raise RunError(f"{playbook.name} has no saved version")
    if scope not in ("new", "all") and not (isinstance(scope, list) and all(isinstance(i, int) for i in scope)):
        raise RunError("scope must be 'new', 'all' or a list of artifact ids")
    cached_playbook(version_id)  # fail now, not in a worker, when the playbook does not compile
    with transaction.atomic():
        run = PlaybookRun.objects.create(
            playbook=playbook, playbook_version_id=version_id, container=container, scope=scope,
            owner=owner if getattr(owner, "pk", None) else None, inputs=inputs or {}, parent_run=parent,
            simulate_writes=simulate_writes, **_scope_marks(playbook.pk, container.pk),
        )
        RunStep.objects.create(run=run, kind="start", function="on_start")
        transaction.on_commit(lambda: dispatch.advance_runs([run.pk]))
    return run


def start_child_run(ctx: Any, playbook: Playbook, container_id: int, inputs: dict[str, Any], block: str) -> PlaybookRun:
    """The child run of `playbook`, created at once (its id goes back to the playbook code);
    its start step joins the step's new steps, journaled with the step."""
    container = Container.objects.filter(pk=container_id).first()
    if container is None:
        raise RunError(f"phantom.playbook: no container {container_id}")
    if inputs and playbook.playbook_type != "data":
        raise RunError(f"phantom.playbook: {playbook.name} is not an input playbook and takes no inputs")
    version_id = current_version_id(playbook)
    if version_id is None:
        raise RunError(f"phantom.playbook: {playbook.name} has no saved version")
    cached_playbook(version_id)  # fail in the parent's block when the child does not compile
    run = PlaybookRun.objects.create(
        playbook=playbook, playbook_version_id=version_id, container=container, scope="all",
        owner_id=ctx.run.owner_id, inputs=inputs, parent_run=ctx.run, simulate_writes=ctx.run.simulate_writes,
        **_scope_marks(playbook.pk, container.pk),
    )
    ctx.new_steps.append(RunStep(run=run, kind="start", function="on_start"))
    return run
