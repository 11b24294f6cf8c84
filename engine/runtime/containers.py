"""Containers and artifacts in the shape playbook code receives (SOAR REST JSON)."""
from __future__ import annotations

from typing import Any

from engine.models import Artifact, Container


def _iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def container_dict(container: Container) -> dict[str, Any]:
    return {
        "id": container.pk, "name": container.name, "label": container.label,
        "description": container.description, "status": container.status, "severity": container.severity,
        "sensitivity": container.sensitivity, "owner": container.owner.get_username() if container.owner_id and container.owner else None,
        "owner_id": container.owner_id, "owner_name": container.owner_name, "tags": list(container.tags),
        "source_data_identifier": container.source_data_identifier, "external_id": container.external_id,
        "kill_chain": container.kill_chain, "data": container.data, "custom_fields": container.custom_fields,
        "container_type": container.container_type, "asset_name": container.asset_name,
        "ingest_app_id": container.ingest_app_id, "hash": container.hash, "version": container.version,
        "current_rule_run_id": container.current_rule_run_id, "artifact_count": container.artifact_count,
        "create_time": _iso(container.create_time), "start_time": _iso(container.start_time),
        "end_time": _iso(container.end_time), "due_time": _iso(container.due_time),
        "close_time": _iso(container.close_time), "artifact_update_time": _iso(container.artifact_update_time),
        "container_update_time": _iso(container.container_update_time), "in_case": container.in_case,
        "parent_container": container.parent_container_id, "tenant_id": container.tenant_id,
    }


def artifact_dict(artifact: Artifact) -> dict[str, Any]:
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
