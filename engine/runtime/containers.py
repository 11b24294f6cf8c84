"""Containers and artifacts in the shape playbook code receives (SOAR REST JSON)."""
from __future__ import annotations

from datetime import UTC
from typing import Any

from engine.models import Artifact, Container


def _iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def soar_time(value: Any) -> str:
    """A time as the callback's container shows it: PostgreSQL's text for a UTC
    timestamp ("2016-01-14 18:25:55.921199+00", trailing zeros of the fraction dropped,
    no fraction on a whole second), and "" when the time is unset.

    Playbook code parses these with formats such as "%Y-%m-%d %H:%M:%S.%f+00", so the
    shape matters as much as the value.
    """
    if not value:
        return ""
    utc = value.astimezone(UTC) if value.tzinfo else value
    text = utc.strftime("%Y-%m-%d %H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}".rstrip("0")
    return text + "+00"


def container_dict(container: Container, run_id: int | None = None) -> dict[str, Any]:
    """The container as SOAR hands it to callbacks (its "Understanding callbacks" example):
    SOAR's time text, "" for unset times and names, `version` as a string.

    `run_id` is the playbook run the dict is built for: SOAR reports it as
    `current_rule_run_id` when the container names no run of its own.
    """
    owner = container.owner.get_username() if container.owner_id and container.owner else ""
    rule_run = container.current_rule_run_id if container.current_rule_run_id is not None else run_id
    return {
        "id": container.pk, "name": container.name, "label": container.label,
        "description": container.description or "", "status": container.status, "severity": container.severity,
        "sensitivity": container.sensitivity, "owner": owner,
        "owner_id": container.owner_id, "owner_name": container.owner_name or "", "tags": list(container.tags),
        "source_data_identifier": container.source_data_identifier or "", "external_id": container.external_id or "",
        "kill_chain": container.kill_chain or "", "data": container.data, "custom_fields": container.custom_fields,
        "container_type": container.container_type, "asset_name": container.asset_name or "",
        "ingest_app_id": container.ingest_app_id or "", "hash": container.hash or "", "version": str(container.version),
        "current_rule_run_id": rule_run, "artifact_count": container.artifact_count,
        "create_time": soar_time(container.create_time), "start_time": soar_time(container.start_time),
        "end_time": soar_time(container.end_time), "due_time": soar_time(container.due_time),
        "close_time": soar_time(container.close_time),
        "artifact_update_time": soar_time(container.artifact_update_time),
        "container_update_time": soar_time(container.container_update_time), "in_case": container.in_case,
        "parent_container": container.parent_container_id, "tenant_id": container.tenant_id,
    }


def artifact_dict(artifact: Artifact) -> dict[str, Any]:
    """An artifact as playbook code sees it: SOAR's "Understanding artifacts" example shows
    ISO times ending in "Z" and null for unset ones, unlike the callback's container."""
    return {
        "id": artifact.pk, "container": artifact.container_id, "container_id": artifact.container_id,
        "name": artifact.name, "label": artifact.label,
        "description": artifact.description, "severity": artifact.severity, "type": artifact.type,
        "kill_chain": artifact.kill_chain, "source_data_identifier": artifact.source_data_identifier,
        "cef": artifact.cef, "cef_types": artifact.cef_types, "data": artifact.data, "tags": list(artifact.tags),
        "hash": artifact.hash, "version": artifact.version, "owner_id": artifact.owner_id,
        "create_time": _iso(artifact.create_time), "start_time": _iso(artifact.start_time),
        "end_time": _iso(artifact.end_time), "update_time": _iso(artifact.update_time),
        "ingest_app_id": artifact.ingest_app_id, "has_note": artifact.has_note,
    }
