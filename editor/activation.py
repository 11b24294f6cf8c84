"""Checking a playbook against this installation, and activating it: the one place every
way of activating goes through (/api/playbooks/<id>/activate, the SOAR REST update or create
with ``active: true``, the admin's change form), so none of them can skip the check.

The pure validator (editor.graph, through the compiler) knows nothing of the database: it
gets the app catalogue and the stored playbooks from here.
"""
from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.exceptions import APIException

from editor.compiler import CompileError, compile_playbook
from editor.graph.errors import ValidationError as GraphError
from editor.graph.model import Node
from editor.models import Playbook
from engine import installation

# A refusal names at most this many problems in its message (all are in ``errors``).
NAMED = 10


def app_lookup(node: Node) -> dict[str, Any] | None:
    """The catalogue as validation needs it: an action node's app definition."""
    return installation.app_definition(node.data.get("connectorId"), node.data.get("connector"))


def known_playbooks() -> list[str]:
    """Every stored playbook as "repo/name", for checking the playbooks a graph calls."""
    return [f"{repo}/{name}" for repo, name in Playbook.objects.values_list("repo", "name")]


def check(doc: Any, activating: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """Compile a document against this installation (its apps and playbooks); returns
    (source or "", located problems).  ``activating`` makes a call to a playbook that
    does not exist an error instead of a warning."""
    if not isinstance(doc, dict):
        return "", [GraphError(None, "json", "the playbook must be a JSON object").as_dict()]
    try:
        result = compile_playbook(doc, catalogue=app_lookup, playbooks=known_playbooks(), activating=activating)
    except CompileError as exc:
        return "", [e.as_dict() for e in exc.errors]
    return result.source, [e.as_dict() for e in result.errors]


class ActivationRefused(APIException):
    """The playbook has errors: it stays inactive. Every API answers 400 in SOAR's error
    envelope, the message naming each block; ``errors`` holds the located problems."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, playbook: Playbook, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        named = [f"block {e['block_id']}: {e['message']}" if e.get("block_id") is not None else str(e["message"])
                 for e in errors[:NAMED]]
        more = f"; and {len(errors) - NAMED} more" if len(errors) > NAMED else ""
        self.message = (f"fix the errors before activating {playbook}: {'; '.join(named)}{more}")
        super().__init__(self.message)


def activation_errors(playbook: Playbook) -> list[dict[str, Any]]:
    """The problems that keep ``playbook``'s current version from being activated."""
    _, problems = check(playbook.document(), activating=True)
    return [p for p in problems if p["severity"] == "error"]


def refuse_if_invalid(playbook: Playbook) -> None:
    """Raise ActivationRefused when ``playbook`` may not be activated."""
    errors = activation_errors(playbook)
    if errors:
        raise ActivationRefused(playbook, errors)


def set_active(playbook: Playbook, active: bool) -> None:
    """Activate (after the check) or deactivate ``playbook``; deactivating always succeeds."""
    if active:
        refuse_if_invalid(playbook)
    Playbook.objects.filter(pk=playbook.pk).update(active=active)
    playbook.active = active


def keep_runnable(playbook: Playbook) -> bool:
    """After a new version is stored: an active playbook must stay runnable, so a version
    that activation would refuse leaves the playbook inactive (the version is kept, as a
    draft). Every route that stores a version of an existing playbook calls this; returns
    whether the playbook was deactivated."""
    if playbook.active and activation_errors(playbook):
        set_active(playbook, False)
        return True
    return False
