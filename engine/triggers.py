"""Active playbooks run by themselves when a container they watch gets new artifacts.

A playbook watches containers whose label is in its `labels` ("*" = any). Artifacts
created with run_automation=true (the REST default for container creation) fire it once
per transaction and container, after the last artifact, with scope "new", as SOAR does
(engine.artifacts.request_automation).
"""
from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from engine.artifacts import automation_requested
from engine.models import Container

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


@receiver(automation_requested, sender=Container, dispatch_uid="engine.triggers")
def on_automation_requested(sender: Any, container: Container, **kwargs: Any) -> None:
    # Read again: the label may have changed since the artifacts were posted.
    fresh = Container.objects.filter(pk=container.pk).first()
    if fresh is not None:
        trigger(fresh)
