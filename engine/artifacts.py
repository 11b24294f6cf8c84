"""Artifact creation with SOAR's deduplication rules.

The rules (SOAR "Understanding artifacts", product seed 004):
* the hash is taken over the posted artifact body and never changes afterwards, except
  that a clone gets an altered hash;
* an artifact without a source_data_identifier is never deduplicated;
* a second artifact with the same SDI and body hash in the same container is rejected and
  the caller learns the existing id;
* the creating user is part of the hashed body, so one user cannot add the same artifact
  twice while two users can;
* the SDI depends on how the artifact was created, so an artifact made by an app's
  "create container" action and the same one added by phantom.add_artifact are both kept,
  while a repeated phantom.add_artifact is rejected;
* a rejected duplicate never triggers automation, whatever run_automation says.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from engine.models import Artifact, Container, Tag

# Sent after commit, once per container and transaction, when artifacts were really created
# there with run_automation true (SOAR starts active playbooks once, after the last artifact,
# not per artifact); the engine's trigger listens to it. Never sent for rejected duplicates.
automation_requested = Signal()

# Sent after commit for every artifact really created with run_automation true, for listeners
# that care about each artifact (the trigger listens to automation_requested instead).
artifact_created = Signal()


class _AutomationRequest:
    """The on_commit callback of one container's automation request. A transaction holds at
    most one per container: the callback list is scanned, so a rolled-back transaction (whose
    callbacks Django drops) leaves no stale mark behind."""

    def __init__(self, container: Container) -> None:
        self.container = container

    def __call__(self) -> None:
        automation_requested.send(sender=Container, container=self.container)


def request_automation(container: Container) -> None:
    """Start the container's active playbooks after the current transaction commits (at once
    outside one), however many artifacts asked for it in that transaction."""
    conn = transaction.get_connection()
    if conn.in_atomic_block:
        for _sids, func, *_ in conn.run_on_commit:
            if isinstance(func, _AutomationRequest) and func.container.pk == container.pk:
                return
    transaction.on_commit(_AutomationRequest(container))


# Keys of a posted body that are directives or addressing, not artifact content.
_NOT_HASHED = frozenset({"container", "container_id", "run_automation", "id", "hash"})


def artifact_hash(body: dict[str, Any], creator_id: int | None) -> str:
    content = {k: v for k, v in body.items() if k not in _NOT_HASHED}
    content["__creator__"] = creator_id
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.md5(canonical.encode("utf-8"), usedforsecurity=False).hexdigest()


def add_artifact_sdi(container_id: int, label: str, name: str, cef: dict[str, Any]) -> str:
    """The SDI phantom.add_artifact gives an artifact when the playbook passes none.

    It is derived from the content (not random) so that adding the same artifact again
    from a playbook is recognised and rejected; its prefix differs from the identifiers
    apps assign, so the same CEF ingested by an app is a different artifact.
    """
    canonical = json.dumps([container_id, label, name, cef], sort_keys=True, default=str)
    return "playbook-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class ArtifactOutcome:
    artifact: Artifact | None
    existing_id: int | None = None

    @property
    def created(self) -> bool:
        return self.artifact is not None


FIELDS = (
    "name", "label", "description", "severity", "type", "kill_chain", "source_data_identifier",
    "cef", "cef_types", "data", "tags", "ingest_app_id", "start_time", "end_time",
)


def _values(body: dict[str, Any]) -> dict[str, Any]:
    return {k: body[k] for k in FIELDS if k in body and body[k] is not None}


def _existing_id(container: Container, digest: str) -> int | None:
    return Artifact.objects.filter(container=container, hash=digest).exclude(
        source_data_identifier=""
    ).values_list("pk", flat=True).first()


def create_artifact(
    container: Container, body: dict[str, Any], *, creator: Any = None, run_automation: bool = False,
    extra: dict[str, Any] | None = None,
) -> ArtifactOutcome:
    """Create an artifact from a validated body, or report the duplicate it would be.

    The insert comes first and the database's dedup constraint (artifact_dedup_per_container,
    the same rule: same container and hash, with an SDI) rejects a duplicate, so a new
    artifact, the common case, costs no look-up; only a rejected one reads the existing id.
    """
    creator_id = getattr(creator, "pk", None)
    digest = artifact_hash(body, creator_id)
    values = _values(body)
    values.update(extra or {})
    try:
        with transaction.atomic():
            artifact = Artifact.objects.create(
                container=container, hash=digest, owner=creator if creator_id else None, **values
            )
            Container.objects.filter(pk=container.pk).update(
                artifact_count=F("artifact_count") + 1, artifact_update_time=timezone.now()
            )
    except IntegrityError:
        existing = _existing_id(container, digest)
        if existing is None:
            raise
        return ArtifactOutcome(None, existing)
    if artifact.tags:
        Tag.register(list(artifact.tags))
    if run_automation:
        request_automation(container)
        _announce([artifact], container)
    return ArtifactOutcome(artifact)


@dataclass(frozen=True)
class BulkOutcome:
    """One artifact of create_artifacts: its new id, or the id of the one it duplicates."""

    id: int | None
    existing_id: int | None = None


def create_artifacts(
    container: Container, bodies: list[dict[str, Any]], *, creator: Any = None, run_automation: bool = False,
    fresh_container: bool = False,
) -> list[BulkOutcome]:
    """Create many validated artifacts in one container: one look-up of the duplicates, one
    bulk_create, one count update, and (with run_automation) one automation
    request after the last, as SOAR does for a container posted with its artifacts.

    `fresh_container`: the container was created in this transaction, so nothing in the
    database can duplicate these artifacts and the look-up is skipped. Duplicates within
    `bodies` are rejected against the first of them, as posting them one by one would.
    """
    creator_id = getattr(creator, "pk", None)
    digests = [artifact_hash(body, creator_id) for body in bodies]
    deduped = [bool(body.get("source_data_identifier")) for body in bodies]
    existing: dict[str, int] = {}
    if not fresh_container:
        candidates = {d for d, dedup in zip(digests, deduped, strict=True) if dedup}
        if candidates:
            existing = dict(
                Artifact.objects.filter(container=container, hash__in=candidates)
                .exclude(source_data_identifier="").values_list("hash", "pk")
            )
    now = timezone.now()
    # Created together, at once: one time for all (a posted start_time still wins).
    common = {"container_id": container.pk, "owner_id": creator_id, "create_time": now, "start_time": now,
              "update_time": now}
    first_of: dict[str, int] = {}  # digest -> index in rows of the artifact created for it
    rows: list[dict[str, Any]] = []
    row_of: list[int | None] = []  # index in rows, or None for a duplicate
    for body, digest, dedup in zip(bodies, digests, deduped, strict=True):
        if dedup and (digest in existing or digest in first_of):
            row_of.append(None)
            continue
        if dedup:
            first_of[digest] = len(rows)
        row_of.append(len(rows))
        rows.append({**common, **_values(body), "hash": digest})
    try:
        with transaction.atomic():
            created = Artifact.objects.bulk_create([Artifact(**row) for row in rows], batch_size=500)
            ids = [a.pk for a in created]
    except IntegrityError:
        # A concurrent post got some of them in first: one at a time instead, each checked
        # by the constraint (correct, just slower; rare).
        singles = [create_artifact(container, body, creator=creator, run_automation=run_automation) for body in bodies]
        return [BulkOutcome(o.artifact.pk if o.artifact else None, o.existing_id) for o in singles]
    outcomes = [
        BulkOutcome(ids[row]) if row is not None
        else BulkOutcome(None, existing.get(digest, ids[first_of[digest]] if digest in first_of else None))
        for row, digest in zip(row_of, digests, strict=True)
    ]
    if rows:
        Container.objects.filter(pk=container.pk).update(
            artifact_count=F("artifact_count") + len(rows), artifact_update_time=now
        )
        tags = [t for row in rows for t in (row.get("tags") or [])]
        if tags:
            Tag.register(tags)
        if run_automation:
            request_automation(container)
            if artifact_created.has_listeners(Artifact):
                _announce(list(Artifact.objects.filter(pk__in=ids)), container)
    return outcomes


def _announce(artifacts: list[Artifact], container: Container) -> None:
    if artifact_created.has_listeners(Artifact):
        for artifact in artifacts:
            transaction.on_commit(
                lambda a=artifact: artifact_created.send(sender=Artifact, artifact=a, container=container)  # type: ignore[misc]
            )


def clone_artifact(artifact: Artifact, container: Container | None = None, *, creator: Any = None) -> Artifact:
    """Copy an artifact; the copy's hash is altered on purpose so it never collides."""
    target = container or artifact.container
    salted = hashlib.md5(
        f"{artifact.hash}:clone:{uuid.uuid4()}".encode(), usedforsecurity=False
    ).hexdigest()
    values = {f: getattr(artifact, f) for f in FIELDS}
    with transaction.atomic():
        clone = Artifact.objects.create(
            container=target, hash=salted, parent_artifact=artifact,
            owner=creator if getattr(creator, "pk", None) else artifact.owner, **values,
        )
        Container.objects.filter(pk=target.pk).update(
            artifact_count=F("artifact_count") + 1, artifact_update_time=timezone.now()
        )
    return clone


def contains_types(artifacts: Any) -> set[str]:
    """The `contains` types (ip, domain, hash, ...) of the values the artifacts carry: each CEF
    key's declared cef_types, else SOAR's default type of that CEF field."""
    from engine.custom_functions._support import cef_items, cef_types_of

    found: set[str] = set()
    for artifact in artifacts:
        for key in {k for k, _ in cef_items(artifact.cef if isinstance(artifact.cef, dict) else {})}:
            found.update(cef_types_of(artifact, key))
    return found
