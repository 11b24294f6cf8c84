"""Case work around a container: notes and decided lists."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from engine import serializers as s
from engine.models import Artifact, CustomList, Note
from engine.rest._common import fields
from soar.rest.query import QuerySpec
from soar.rest.resource import SoarResource, resource_urls


class NoteResource(SoarResource):
    model = Note
    serializer = s.NoteSerializer
    write_role = "analyst"
    spec = QuerySpec(
        fields=fields("id", "title", "note_type", "create_time", container="container_id", artifact="artifact_id"),
        sortable=frozenset({"create_time", "title"}),
    )

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        ser = self.serializer(data=data)
        ser.is_valid(raise_exception=True)
        from engine import redaction  # playbooks post notes here too (phantom.requests)

        text = redaction.scrub({k: ser.validated_data.get(k, "") for k in ("title", "content")})
        note = ser.save(author=request.user, **text)
        if note.artifact_id:
            Artifact.objects.filter(pk=note.artifact_id).update(has_note=True)
        return {"success": True, "id": note.pk}, 200


class CustomListResource(SoarResource):
    model = CustomList
    serializer = s.CustomListSerializer
    write_role = "analyst"
    spec = QuerySpec(fields=fields("id", "name", "create_time", "update_time"), sortable=frozenset({"name"}))

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        ser = self.serializer(data=data)
        ser.is_valid(raise_exception=True)
        return {"success": True, "id": ser.save(owner=request.user).pk}, 200


urlpatterns = [
    *resource_urls("note", NoteResource()),
    *resource_urls("decided_list", CustomListResource()),
]
