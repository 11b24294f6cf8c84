"""Active playbooks run by themselves when a container they watch gets new artifacts.

A playbook watches containers whose label is in its `labels` ("*" = any). Artifacts
created with run_automation=true (the REST default for container creation) fire it once
per transaction, with scope "new", as SOAR does.
"""
from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from engine.artifacts import artifact_created
from engine.models import Artifact, Container

log = logging.getLogger(__name__)


def playbooks_for(container: Container) -> list[Any]:
    from editor.models import Playbook

    matching = []
    for playbook in Playbook.objects.filter(active=True, disabled=False, playbook_type="automation"):
        labels = playbook.labels or []
        if "*" in labels or container.label in labels:
            matching.append(playbook)
    return matching


def trigger(container: Container) -> list[int]:
    """Start every active playbook that watches this container; returns the run ids."""
    from engine.execution.runs import RunError, start_run

    started = []
    for playbook in playbooks_for(container):
        if playbook.runs.filter(container=container, status__in=("pending", "running")).exists():
            continue  # one run at a time per playbook and container; it sees the artifacts anyway
        try:
            started.append(start_run(playbook, container, scope="new").pk)
        except RunError as exc:
            log.warning("active playbook %s could not start on container %s: %s", playbook, container.pk, exc)
    return started


@receiver(artifact_created, sender=Artifact, dispatch_uid="engine.triggers")
def on_artifact_created(sender: Any, artifact: Artifact, container: Container, **kwargs: Any) -> None:
    trigger(Container.objects.get(pk=container.pk))
