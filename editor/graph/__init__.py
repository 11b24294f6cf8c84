"""Pure graph model of modern SOAR playbooks: parse, inspect, validate (no Django)."""

from __future__ import annotations

from editor.graph.errors import SoarFormatError, ValidationError
from editor.graph.limits import DEFAULT_LIMITS, Limits
from editor.graph.model import Edge, Node, Playbook, parse_playbook
from editor.graph.validate import AppCatalogue, validate

__all__ = [
    "AppCatalogue",
    "DEFAULT_LIMITS",
    "Edge",
    "Limits",
    "Node",
    "Playbook",
    "SoarFormatError",
    "ValidationError",
    "parse_playbook",
    "validate",
]
