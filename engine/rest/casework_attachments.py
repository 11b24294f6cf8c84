"""SOAR's `container_attachment`: files attached to a container, kept in the vault.

Upload: `POST /rest/container_attachment` with `container_id`, `file_content` (base64),
`file_name` and optional `metadata`; SOAR answers the file's hash (its vault id). An
attachment is a vault row (engine.models.VaultItem), so `vault_info` and playbooks see it.
Download: `GET /rest/container_attachment/<id>/download` answers the file's bytes.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from engine.models import VaultItem
from engine.rest import vault
from engine.rest._common import fields
from soar.rest.query import QuerySpec
from soar.rest.resource import SoarResource, resource_urls

MAX_ATTACHMENT = 64 * 1024 * 1024


class AttachmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    container = serializers.IntegerField(source="container_id", read_only=True)
    container_id = serializers.IntegerField(read_only=True)
    hash = serializers.CharField(source="vault_id", read_only=True)
    file_name = serializers.CharField(source="name", read_only=True)

    class Meta:
        model = VaultItem
        fields = ["id", "container", "container_id", "name", "file_name", "hash", "vault_id", "size",
                  "metadata", "create_time"]
        read_only_fields = fields


class AttachmentUpdateSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """What an attachment's update may change: its name and metadata."""

    file_name = serializers.CharField(source="name", max_length=1024, required=False)

    class Meta:
        model = VaultItem
        fields = ["file_name", "metadata"]

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - {"file_name", "name", "metadata"})
            if unknown:
                raise serializers.ValidationError({k: ["unknown field (only file_name and metadata change)"]
                                                   for k in unknown})
            if "name" in data and "file_name" not in data:
                data = {**{k: v for k, v in data.items() if k != "name"}, "file_name": data["name"]}
        return super().to_internal_value(data)

    def validate_metadata(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError("must be a JSON object")
        return value


def _decode(data: dict[str, Any]) -> bytes:
    content = data.get("file_content")
    if not isinstance(content, str):
        raise serializers.ValidationError({"file_content": ["this field is required: the file's bytes, base64"]})
    if len(content) > MAX_ATTACHMENT * 4 // 3 + 4:
        raise serializers.ValidationError({"file_content": [f"the file is larger than {MAX_ATTACHMENT} bytes"]})
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise serializers.ValidationError({"file_content": ["is not valid base64"]}) from None


def _unlink_unless_used(relative: str) -> None:
    if not VaultItem.objects.filter(path=relative).exists():
        (Path(settings.SOAR_VAULT_DIR) / relative).unlink(missing_ok=True)


class AttachmentResource(SoarResource):
    model = VaultItem
    serializer = AttachmentSerializer
    write_role = "analyst"
    spec = QuerySpec(fields=fields("id", "name", "size", "create_time", container="container_id",
                                   container_id="container_id", hash="vault_id", vault_id="vault_id",
                                   file_name="name"),
                     sortable=frozenset({"id", "name", "size", "create_time"}))

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        from engine.rest.casework import container_of

        container = container_of(data)
        unknown = sorted(set(data) - {"container_id", "container", "file_content", "file_name", "metadata"})
        if unknown:
            raise serializers.ValidationError({k: ["unknown field"] for k in unknown})
        name = data.get("file_name")
        if not isinstance(name, str) or not os.path.basename(name.strip()):
            raise serializers.ValidationError({"file_name": ["this field is required: the file's name"]})
        metadata = data.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise serializers.ValidationError({"metadata": ["must be a JSON object"]})
        item = vault.store(container, _decode(data), os.path.basename(name.strip())[:1024], metadata)
        return {"success": True, "succeeded": True, "id": item.pk, "hash": item.vault_id,
                "vault_id": item.vault_id, "container": container.pk, "size": item.size}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        ser = AttachmentUpdateSerializer(obj, data=data, partial=True)
        ser.is_valid(raise_exception=True)
        ser.save()
        return {"success": True, "id": obj.pk}

    def delete(self, request: Request, obj: Any) -> None:
        relative = obj.path
        obj.delete()
        # The bytes go once the row's deletion is committed, and only when no other
        # container holds the same file.
        transaction.on_commit(functools.partial(_unlink_unless_used, relative))


class AttachmentDownloadView(APIView):
    """`GET /rest/container_attachment/<id>/download`: the attached file's bytes."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request: Request, pk: int) -> Any:
        item = get_object_or_404(AttachmentResource().visible(request), pk=pk)
        file = Path(settings.SOAR_VAULT_DIR) / item.path
        if not file.is_file():
            from rest_framework.response import Response

            return Response({"failed": True, "message": f"the file of attachment {pk} is missing from the vault"},
                            status=404)
        return FileResponse(file.open("rb"), as_attachment=True, filename=item.name)


urlpatterns = [
    *resource_urls("container_attachment", AttachmentResource()),
    path("container_attachment/<id:pk>/download", AttachmentDownloadView.as_view(),
         name="rest-container_attachment-download"),
]
