"""Case work around a container: notes, comments, evidence, and the container's
sub-resources of this family (`/rest/container/<id>/notes|comments|attachments|phases|pins`).

The other case-work types live beside this module: casework_lists (decided_list),
casework_attachments (container_attachment), casework_settings (container_status,
severity, custom_field, cef) and casework_workbooks (workbook templates); their routes are
joined here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine import serializers as s
from engine.models import (
    ActionRun,
    Artifact,
    Container,
    ContainerComment,
    Evidence,
    Note,
    VaultItem,
)
from engine.rest import casework_attachments, casework_lists, casework_settings, casework_workbooks
from engine.rest._common import fields, stays_on_container
from engine.rest.workbooks import PinResource
from soar.rest.query import QuerySpec, SoarQuery, paginate
from soar.rest.resource import SoarResource, StrictModelSerializer, resource_urls
from soar.rest.schema import LIST_PARAMETERS, envelope


def container_of(data: Any, key: str = "container_id") -> Container:
    """The container a body names by `container_id` (or `container`), or a 400 naming the field."""
    if not isinstance(data, dict):
        raise serializers.ValidationError({"non_field_errors": ["expected a JSON object"]})
    name = key if key in data else "container"
    value = data.get(name)
    if value is None:
        raise serializers.ValidationError({key: ["this field is required"]})
    if isinstance(value, bool) or not isinstance(value, int):
        raise serializers.ValidationError({name: ["must be a container id (an integer)"]})
    container = Container.objects.filter(pk=value).first() if 0 < value < 2**63 else None
    if container is None:
        raise serializers.ValidationError({name: [f"no container with id {value}"]})
    return container


class NoteResource(SoarResource):
    model = Note
    serializer = s.NoteSerializer
    write_role = "analyst"
    spec = QuerySpec(
        fields=fields("id", "title", "content", "note_type", "note_format", "create_time", "modified_time",
                      container="container_id", container_id="container_id", artifact="artifact_id",
                      artifact_id="artifact_id", author="author__username"),
        sortable=frozenset({"create_time", "modified_time", "title", "id"}),
    )

    def queryset(self, request: Request) -> Any:
        return Note.objects.select_related("author").prefetch_related("tasks")

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        ser = self.serializer(data=data)
        ser.is_valid(raise_exception=True)
        from engine import redaction  # playbooks post notes here too (phantom.requests)

        text = redaction.scrub({k: ser.validated_data.get(k, "") for k in ("title", "content")})
        note = ser.save(author=request.user, **text)
        if note.artifact_id:
            Artifact.objects.filter(pk=note.artifact_id).update(has_note=True)
        return {"success": True, "id": note.pk}, 200


class CommentSerializer(StrictModelSerializer):
    """SOAR's container_comment: `{"container_id": 1, "comment": "..."}`."""

    container = serializers.PrimaryKeyRelatedField(queryset=Container.objects.all(), required=False)
    container_id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    user = s.UserRefField(read_only=True)
    comment = serializers.CharField(max_length=65536, allow_blank=False)

    class Meta:
        model = ContainerComment
        fields = ["id", "container", "container_id", "comment", "user", "time", "modified_time"]
        read_only_fields = ["id", "user", "time", "modified_time"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        stays_on_container(attrs, self.instance, "comment")
        return attrs


class CommentResource(SoarResource):
    model = ContainerComment
    serializer = CommentSerializer
    write_role = "analyst"
    spec = QuerySpec(fields=fields("id", "comment", "time", container="container_id",
                                   container_id="container_id", user="user__username"),
                     sortable=frozenset({"id", "time"}), default_sort="id", default_order="asc")

    def queryset(self, request: Request) -> Any:
        return ContainerComment.objects.select_related("user")

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        ser = self.serializer(data=data)
        ser.is_valid(raise_exception=True)
        return {"success": True, "id": ser.save(user=request.user).pk}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        from django.utils import timezone

        ser = self.serializer(obj, data=data, partial=True)
        ser.is_valid(raise_exception=True)
        ser.save(modified_time=timezone.now())
        return {"success": True, "id": obj.pk}


# SOAR's evidence content types, and the model's names for them (engine.models.Evidence).
# The reference spells them containerattachment and actionrun; clients also send snake case.
EVIDENCE_TYPES = {"artifact": "artifact_id", "note": "note_id", "containerattachment": "vault_id",
                  "container_attachment": "vault_id", "vault": "vault_id", "container": "container_id",
                  "actionrun": "action_run_id", "action_run": "action_run_id"}
_EVIDENCE_NAMES = {"artifact_id": "artifact", "note_id": "note", "vault_id": "container_attachment",
                   "container_id": "container", "action_run_id": "action_run"}
_EVIDENCE_LINKS = {"artifact_id": ("artifact", Artifact), "note_id": ("note", Note),
                   "vault_id": ("vault_item", VaultItem), "container_id": ("linked_container", Container),
                   "action_run_id": ("action_run", ActionRun)}


class EvidenceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """SOAR's evidence: `{"container_id", "object_id", "content_type"}` (also `object_type`);
    content types artifact, note, container_attachment, container, action_run."""

    container = serializers.IntegerField(source="container_id", read_only=True)
    content_type = serializers.SerializerMethodField()
    object_type = serializers.SerializerMethodField()
    owner = s.UserRefField(read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "container", "content_type", "object_type", "object_id", "owner", "create_time"]

    def get_content_type(self, obj: Evidence) -> str:
        return _EVIDENCE_NAMES.get(obj.content_type, obj.content_type)

    def get_object_type(self, obj: Evidence) -> str:
        return self.get_content_type(obj)


class EvidenceResource(SoarResource):
    model = Evidence
    serializer = EvidenceSerializer
    write_role = "analyst"
    spec = QuerySpec(fields=fields("id", "object_id", "create_time", container="container_id",
                                   container_id="container_id"), sortable=frozenset({"id", "create_time"}))
    error_answers = {"update": {405: "evidence is added or removed, not changed"}}

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        container = container_of(data)
        key = "content_type" if "content_type" in data else "object_type"
        unknown = sorted(set(data) - {"container_id", "container", "content_type", "object_type", "object_id"})
        if unknown:
            raise serializers.ValidationError({k: ["unknown field"] for k in unknown})
        kind = EVIDENCE_TYPES.get(str(data.get(key) or "").removesuffix("_id")) \
            or (str(data.get(key)) if data.get(key) in _EVIDENCE_LINKS else None)
        if kind is None:
            raise serializers.ValidationError({key: [f"must be one of {', '.join(sorted(EVIDENCE_TYPES))}"]})
        object_id = data.get("object_id")
        if isinstance(object_id, bool) or not isinstance(object_id, int) or not 0 < object_id < 2**63:
            raise serializers.ValidationError({"object_id": ["must be the id (an integer) of the object"]})
        link, model = _EVIDENCE_LINKS[kind]
        target = model._default_manager.filter(pk=object_id).first()
        if model is ActionRun and target is not None \
                and not ActionRun.objects.visible_to(request.user).filter(pk=object_id).exists():
            target = None  # a team's action run is not there for an outsider
        if target is None:
            raise serializers.ValidationError({"object_id": [f"no {_EVIDENCE_NAMES[kind]} with id {object_id}"]})
        if kind in ("artifact_id", "note_id", "vault_id") and getattr(target, "container_id", None) != container.pk:
            raise serializers.ValidationError({"object_id": [f"{_EVIDENCE_NAMES[kind]} {object_id} is not in "
                                                             f"container {container.pk}"]})
        evidence, _ = Evidence.objects.get_or_create(
            container=container, content_type=kind, object_id=object_id,
            defaults={link: target, "owner": request.user if request.user.is_authenticated else None})
        return {"success": True, "id": evidence.pk}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        from rest_framework.exceptions import MethodNotAllowed

        raise MethodNotAllowed("POST", detail="evidence is added or removed, not changed")


class ContainerRowsView(APIView):
    """`GET /rest/container/<id>/<rows>`: one kind of the container's rows, SOAR's list
    envelope with paging, sorting and filters of the rows' own REST type."""

    resource: ClassVar[SoarResource]
    rows_field: ClassVar[str] = "container_id"

    @extend_schema(responses=envelope(), parameters=LIST_PARAMETERS)
    def get(self, request: Request, pk: int) -> Response:
        from engine.rest.containers import ContainerResource

        if not ContainerResource().visible(request).filter(pk=pk).exists():
            return Response({"failed": True, "message": f"no container with id {pk}"}, status=404)
        res = self.resource
        query = SoarQuery(request.query_params, res.spec, res.model)
        page, page_size = query.page()
        rows = query.apply(res.visible(request).filter(**{self.rows_field: pk}))
        count, num_pages, page_rows = paginate(rows, page, page_size)
        data = res.serializer(page_rows, many=True, context=res.context(request)).data
        return Response({"count": count, "num_pages": num_pages, "data": data})


def _rows_view(name: str, resource: SoarResource) -> Any:
    view: type[ContainerRowsView] = type(f"Container{name.title()}View", (ContainerRowsView,), {"resource": resource})
    return path(f"container/<id:pk>/{name}", view.as_view(), name=f"rest-container-{name}")


_notes = NoteResource()
_comments = CommentResource()
_evidence = EvidenceResource()

urlpatterns = [
    *resource_urls("note", _notes),
    *resource_urls("container_comment", _comments),
    *resource_urls("evidence", _evidence),
    _rows_view("notes", _notes),
    _rows_view("comments", _comments),
    _rows_view("evidence", _evidence),
    _rows_view("attachments", casework_attachments.AttachmentResource()),
    _rows_view("phases", casework_workbooks.ContainerPhaseResource()),
    _rows_view("pins", PinResource()),
    *casework_lists.urlpatterns,
    *casework_attachments.urlpatterns,
    *casework_settings.urlpatterns,
    *casework_workbooks.urlpatterns,
]
