"""The vault over REST: `/rest/vault_add`, `/rest/vault_info`, `/rest/vault_delete` and
`/rest/vault_document` (list, detail, download).

Files are stored as the playbook API stores them (engine.runtime.phantom._vault): one copy
per content under SOAR_VAULT_DIR/<sha1[:2]>/<sha1>, one VaultItem per container and name.
The answers mirror what `phantom.vault_add` / `vault_info` / `vault_delete` return, keyed
as SOAR's REST answers them (`succeeded`, `message`, `vault_id`, `hash`).
"""
from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine import audit
from engine.models import Container, VaultItem
from engine.runtime.phantom._vault import MAX_VAULT_FILE, _info, _unlink_unless_used
from soar.ids import in_db_range
from soar.rest.query import QuerySpec
from soar.rest.resource import SoarResource, resource_urls
from soar.rest.schema import ARRAY, BOOL, INT, JSON_BODY, STR, answer, query_param, shape

# --- storing and finding files (no request in here) -----------------------------------------


def store(container: Container, content: bytes, file_name: str, metadata: dict[str, Any]) -> VaultItem:
    """Put `content` in the container's vault as `file_name` (the same content under the same
    name in the same container is one file); the bytes are written once per content."""
    vault_id = hashlib.sha1(content, usedforsecurity=False).hexdigest()
    relative = Path(vault_id[:2]) / vault_id
    target = Path(settings.SOAR_VAULT_DIR) / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(content)
        tmp.replace(target)
    item, created = VaultItem.objects.get_or_create(
        container=container, vault_id=vault_id, name=file_name,
        defaults={"size": len(content), "path": str(relative), "metadata": metadata})
    if not created and metadata and item.metadata != metadata:
        item.metadata = metadata
        item.save(update_fields=["metadata"])
    return item


def matching(vault_id: str, file_name: str, container_id: int | None) -> Any:
    items = VaultItem.objects.all()
    if vault_id:
        items = items.filter(vault_id=vault_id)
    if file_name:
        items = items.filter(name=file_name)
    if container_id is not None:
        items = items.filter(container_id=container_id)
    return items.order_by("id")


def remove(items: list[VaultItem]) -> None:
    """Delete the rows; a file's bytes go once the deletion is committed and no other
    container holds the same content."""
    for item in items:
        item.delete()
        transaction.on_commit(functools.partial(_unlink_unless_used, item.path))


# --- request parsing ------------------------------------------------------------------------


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["expected a JSON object"]})
    return data


def _text(data: Any, name: str, *, required: bool = False, limit: int = 1024) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise ValidationError({name: ["this field is required"]})
        return ""
    if not isinstance(value, str):
        raise ValidationError({name: ["must be a string"]})
    if len(value) > limit:
        raise ValidationError({name: [f"must be at most {limit} characters"]})
    return value


def _container_id(data: Any, name: str = "container_id", *, required: bool = False) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise ValidationError({name: ["this field is required"]})
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not in_db_range(value) or value < 0:
        raise ValidationError({name: ["must be a container id"]})
    return value


def _metadata(data: dict[str, Any]) -> dict[str, Any]:
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise ValidationError({"metadata": ["must be a JSON object"]})
    contains = metadata.get("contains")
    if contains is not None and (not isinstance(contains, list) or not all(isinstance(c, str) for c in contains)):
        raise ValidationError({"metadata.contains": ["must be a list of strings"]})
    return metadata


def _content(data: dict[str, Any]) -> bytes:
    encoded = data.get("file_content")
    if encoded is None:
        raise ValidationError({"file_content": ["this field is required (the file, base64-encoded)"]})
    if not isinstance(encoded, str):
        raise ValidationError({"file_content": ["must be a base64 string"]})
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"file_content": ["is not valid base64"]}) from None
    if len(content) > MAX_VAULT_FILE:
        raise ValidationError({"file_content": [f"the file is larger than {MAX_VAULT_FILE} bytes"]})
    return content


# --- routes ---------------------------------------------------------------------------------

INFO = shape(
    "A vault file, as phantom.vault_info describes it",
    vault_id=STR, id=INT, name=STR, aka=ARRAY, size=INT, path=STR, container=STR, container_id=INT,
    metadata={"type": "object"}, contains=ARRAY, mime_type=STR, create_time=STR,
)
ADDED = shape("The file is in the vault", succeeded=BOOL, message=STR, vault_id=STR, hash=STR, id=INT,
              container=INT, size=INT)
FOUND = shape("The vault files matching the query", succeeded=BOOL, message=STR,
              data={"type": "array", "items": INFO})
DELETED = shape("The files removed", succeeded=BOOL, message=STR, deleted_file_names=ARRAY)


class VaultAddView(APIView):
    """`POST /rest/vault_add`: a base64 file into a container's vault."""

    write_role = "analyst"
    error_answers = {"POST": {404: "no container has this container_id"}}

    @extend_schema(request=JSON_BODY, responses={200: answer(ADDED)})
    def post(self, request: Request) -> Response:
        data = _object(request.data)
        container_id = _container_id(data, required=True)
        file_name = os.path.basename(_text(data, "file_name", required=True))
        if not file_name:
            raise ValidationError({"file_name": ["must name a file"]})
        metadata = _metadata(data)
        content = _content(data)
        with transaction.atomic():
            container = get_object_or_404(Container.objects.select_for_update(), pk=container_id)
            item = store(container, content, file_name, metadata)
            audit.record(request.user, "create", "vault_document", item.pk, container_id=container.pk,
                         detail={"name": file_name, "vault_id": item.vault_id})
        return Response({"succeeded": True, "message": "success", "vault_id": item.vault_id, "hash": item.vault_id,
                         "id": item.pk, "container": container.pk, "size": item.size})


_QUERY = [query_param("vault_id", "the file's SHA-1"), query_param("file_name", "the file's name"),
          query_param("container_id", "the container's id")]


class VaultInfoView(APIView):
    """`GET /rest/vault_info?vault_id=&file_name=&container_id=`: phantom.vault_info over REST."""

    read_role = "viewer"

    @extend_schema(parameters=_QUERY, responses={200: answer(FOUND)})
    def get(self, request: Request) -> Response:
        params = request.query_params
        vault_id = _text(params, "vault_id", limit=40)
        file_name = _text(params, "file_name")
        container_id = _container_id(params)
        if not (vault_id or file_name or container_id is not None):
            raise ValidationError({"vault_id": ["give vault_id, file_name or container_id"]})
        found = [_info(i) for i in matching(vault_id, file_name, container_id).select_related("container")[:1000]]
        return Response({"succeeded": bool(found), "message": f"{len(found)} file(s)", "data": found})


class VaultDeleteView(APIView):
    """`POST` (or `DELETE`) `/rest/vault_delete`: phantom.vault_delete over REST. Several
    matching files are removed only with `remove_all`."""

    write_role = "analyst"
    error_answers = {"POST": {404: "no vault file matches"}, "DELETE": {404: "no vault file matches"}}

    @extend_schema(request=JSON_BODY, responses={200: answer(DELETED)},
                   parameters=[*_QUERY, query_param("remove_all", "true to remove several matches")])
    def post(self, request: Request) -> Response:
        data = _object(request.data) if request.data else dict(request.query_params.items())
        vault_id = _text(data, "vault_id", limit=40)
        file_name = _text(data, "file_name")
        if not vault_id and not file_name:
            raise ValidationError({"vault_id": ["give vault_id or file_name"]})
        container_id = _container_id(data)
        remove_all = data.get("remove_all", False)
        if isinstance(remove_all, str):
            remove_all = remove_all.lower() in ("1", "true", "yes")
        if not isinstance(remove_all, bool):
            raise ValidationError({"remove_all": ["must be true or false"]})
        with transaction.atomic():
            items = list(matching(vault_id, file_name, container_id).select_for_update())
            if not items:
                return Response({"failed": True, "message": "no matching vault file"}, status=404)
            if len(items) > 1 and not remove_all:
                raise ValidationError({"remove_all": [f"{len(items)} files match: pass remove_all=true to remove them all"]})
            names = [i.name for i in items]
            for item in items:
                audit.record(request.user, "delete", "vault_document", item.pk, container_id=item.container_id,
                             detail={"name": item.name, "vault_id": item.vault_id})
            remove(items)
        return Response({"succeeded": True, "message": f"{len(names)} file(s) removed", "deleted_file_names": names})

    delete = post


class VaultDocumentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A vault file as `/rest/vault_document` lists it: SOAR's `hash` beside the fields of
    phantom.vault_info."""

    hash = serializers.CharField(source="vault_id", read_only=True)
    names = serializers.SerializerMethodField()
    containers = serializers.SerializerMethodField()
    container_name = serializers.CharField(source="container.name", read_only=True)
    mime_type = serializers.SerializerMethodField()
    file_size = serializers.IntegerField(source="size", read_only=True)

    class Meta:
        model = VaultItem
        fields = ["id", "hash", "vault_id", "name", "names", "size", "file_size", "container", "container_name",
                  "containers", "metadata", "mime_type", "create_time"]
        read_only_fields = fields

    def get_names(self, item: VaultItem) -> list[str]:
        return [item.name]

    def get_containers(self, item: VaultItem) -> list[int]:
        return [item.container_id]

    def get_mime_type(self, item: VaultItem) -> str:
        return str(_info(item)["mime_type"])


class VaultDocumentResource(SoarResource):
    """Read-only: files come in through vault_add (or container_attachment) and leave
    through vault_delete, as in SOAR (DELETE on a vault_document is not offered)."""

    model = VaultItem
    serializer = VaultDocumentSerializer
    read_role = "viewer"
    write_role = "analyst"
    spec = QuerySpec(
        fields={"id": "id", "hash": "vault_id", "vault_id": "vault_id", "name": "name", "size": "size",
                "container": "container_id", "container_id": "container_id", "create_time": "create_time"},
        sortable=frozenset({"name", "size", "create_time"}),
    )

    def queryset(self, request: Request) -> Any:
        return VaultItem.objects.select_related("container")


def download(item: VaultItem) -> Any:
    """The file's bytes as an attachment named as the vault file."""
    source = Path(settings.SOAR_VAULT_DIR) / item.path
    if not source.is_file():
        return Response({"failed": True, "message": f"the content of vault file {item.pk} is missing"}, status=404)
    return FileResponse(source.open("rb"), as_attachment=True, filename=item.name,
                        content_type=str(_info(item)["mime_type"]))


BINARY = {(200, "application/octet-stream"): answer({"type": "string", "format": "binary"})}


class VaultDocumentDownloadView(APIView):
    """`GET /rest/vault_document/<id>/download`: the file itself."""

    read_role = "viewer"

    @extend_schema(responses=BINARY)
    def get(self, request: Request, pk: int) -> Any:
        return download(get_object_or_404(VaultItem, pk=pk))


class DownloadAttachmentView(APIView):
    """`GET /rest/download_attachment?vault_id=<sha1>`: SOAR's download of a vault file by
    its hash (the first file holding that content; every copy has the same bytes)."""

    read_role = "viewer"
    error_answers = {"GET": {404: "no vault file has this vault id"}}

    @extend_schema(parameters=[query_param("vault_id", "the file's SHA-1 (its vault id)", required=True)],
                   responses=BINARY)
    def get(self, request: Request) -> Any:
        vault_id = _text(request.query_params, "vault_id", required=True, limit=40)
        item = VaultItem.objects.filter(vault_id=vault_id).order_by("id").first()
        if item is None:
            return Response({"failed": True, "message": f"no vault file has vault id {vault_id!r}"}, status=404)
        return download(item)


_document_urls = resource_urls("vault_document", VaultDocumentResource())
# vault_document is read-only: its list and detail views answer GET only.
for _pattern in _document_urls:
    _pattern.callback.view_class.http_method_names = ["get", "head", "options"]  # type: ignore[attr-defined]

urlpatterns = [
    path("vault_add", VaultAddView.as_view(), name="rest-vault-add"),
    path("vault_info", VaultInfoView.as_view(), name="rest-vault-info"),
    path("vault_delete", VaultDeleteView.as_view(), name="rest-vault-delete"),
    path("download_attachment", DownloadAttachmentView.as_view(), name="rest-download-attachment"),
    path("vault_document/<id:pk>/download", VaultDocumentDownloadView.as_view(), name="rest-vault-document-download"),
    *_document_urls,
]
