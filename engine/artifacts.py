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

# Sent after commit for every artifact really created with run_automation true; the
# engine's trigger listens to it. Never sent for a rejected duplicate.
artifact_created = Signal()

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


def create_artifact(
    container: Container, body: dict[str, Any], *, creator: Any = None, run_automation: bool = False,
    extra: dict[str, Any] | None = None,
) -> ArtifactOutcome:
    """Create an artifact from a validated body, or report the duplicate it would be."""
    creator_id = getattr(creator, "pk", None)
    digest = artifact_hash(body, creator_id)
    sdi = str(body.get("source_data_identifier") or "")
    if sdi:
        existing = Artifact.objects.filter(container=container, hash=digest).exclude(
            source_data_identifier=""
        ).values_list("pk", flat=True).first()
        if existing is not None:
            return ArtifactOutcome(None, existing)
    values = {k: body[k] for k in FIELDS if k in body and body[k] is not None}
    values.update(extra or {})
    try:
        with transaction.atomic():
            artifact = Artifact.objects.create(
                container=container, hash=digest, owner=creator if creator_id else None, **values
            )
            now = timezone.now()
            Container.objects.filter(pk=container.pk).update(
                artifact_count=F("artifact_count") + 1, artifact_update_time=now
            )
    except IntegrityError:
        # Lost a race with an identical concurrent post: the constraint caught it.
        existing = Artifact.objects.filter(container=container, hash=digest).values_list("pk", flat=True).first()
        if existing is None:
            raise
        return ArtifactOutcome(None, existing)
    if artifact.tags:
        Tag.register(list(artifact.tags))
    if run_automation:
        transaction.on_commit(
            lambda: artifact_created.send(sender=Artifact, artifact=artifact, container=container)
        )
    return ArtifactOutcome(artifact)


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
