"""Generic SOAR-style resources: `/rest/<type>` (list, create) and `/rest/<type>/<id>`.

SOAR conventions: list envelope `{"count", "num_pages", "data"}`, create answers
`{"success": true, "id": N}`, an update is a POST to the object's URL, errors are
`{"failed": true, "message": ...}`.
"""
from __future__ import annotations

import copy
from typing import Any, ClassVar

from django.db import models, transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from soar.rest.query import QuerySpec, SoarQuery, paginate
from soar.rest.signals import rest_write


class StrictSerializerMixin:
    """Reject fields the resource does not know, naming them, instead of ignoring them.

    Read-only fields are known: a client may post back an object it read.
    """

    initial_data: Any
    fields: Any

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": [f"expected a JSON object, got {type(data).__name__}"]})
        known = set(self.fields.keys()) | set(getattr(getattr(self, "Meta", None), "accepted_extra", ()))
        unknown = sorted(k for k in data if k not in known)
        if unknown:
            raise ValidationError({k: ["unknown field"] for k in unknown[:20]})
        return super().to_internal_value(data)  # type: ignore[misc]


# The fields each ModelSerializer class builds from its model, built once (see get_fields).
_BUILT_FIELDS: dict[type, dict[str, Any]] = {}


class StrictModelSerializer(StrictSerializerMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    def get_fields(self) -> dict[str, Any]:
        """DRF builds a ModelSerializer's fields from the model's on every instantiation: a
        quarter of the CPU of `GET /rest/container`, profiled. They depend only on the class
        (its Meta and declared fields), so they are built once and copied, as DRF copies
        declared fields."""
        built = _BUILT_FIELDS.get(type(self))
        if built is None:
            built = _BUILT_FIELDS[type(self)] = super().get_fields()
        return copy.deepcopy(built)


class SoarResource:
    """What one REST type needs: model, serializer, query spec and roles."""

    # The REST type name (`/rest/<name>`), set by resource_urls; the audit trail names it.
    name: str = ""

    model: ClassVar[type[models.Model]]
    serializer: ClassVar[type[serializers.BaseSerializer[Any]]]
    spec: ClassVar[QuerySpec]
    write_role: ClassVar[str] = "admin"
    read_role: ClassVar[str] = "viewer"
    # Answers beyond the toolkit's own, per operation ("create", "update", "delete", "read",
    # "list") -> {status: why}; soar.rest.schema documents them with the error envelope.
    error_answers: ClassVar[dict[str, dict[int, str]]] = {}
    # Fields a single-object read shows beyond the serializer's readable ones (detail_context),
    # name -> JSON schema, for the OpenAPI schema.
    detail_fields: ClassVar[dict[str, dict[str, Any]]] = {}

    def queryset(self, request: Request) -> Any:
        return self.model._default_manager.all()

    def visible(self, request: Request) -> Any:
        """queryset() narrowed to the rows this user may see: every route of a resource reads
        through here, so a model whose rows carry runs (its queryset answers `visible_to`,
        engine.visibility) is narrowed by construction, whatever queryset() a resource adds."""
        rows = self.queryset(request)
        narrow = getattr(rows, "visible_to", None)
        return narrow(request.user) if narrow is not None else rows

    def context(self, request: Request) -> dict[str, Any]:
        return {"request": request}

    def detail_context(self, request: Request) -> dict[str, Any]:
        """Context of a single-object read, which may show more than a list row."""
        return {**self.context(request), "detail": True}

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        ser = self.serializer(data=data, context=self.context(request))
        ser.is_valid(raise_exception=True)
        obj = ser.save()
        return {"success": True, "id": obj.pk}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        ser = self.serializer(obj, data=data, partial=True, context=self.context(request))
        ser.is_valid(raise_exception=True)
        ser.save()
        return {"success": True, "id": obj.pk}

    def delete(self, request: Request, obj: Any) -> None:
        obj.delete()


class ResourceListView(APIView):
    resource: SoarResource

    @property
    def write_role(self) -> str:  # read by RolePermission
        return self.resource.write_role

    @property
    def read_role(self) -> str:
        return self.resource.read_role

    def get(self, request: Request) -> Response:
        res = self.resource
        query = SoarQuery(request.query_params, res.spec, res.model)
        page, page_size = query.page()
        qs = query.apply(res.visible(request))
        count, num_pages, rows = paginate(qs, page, page_size)
        data = res.serializer(rows, many=True, context=res.context(request)).data
        return Response({"count": count, "num_pages": num_pages, "data": data})

    def post(self, request: Request) -> Response:
        with transaction.atomic():
            body, status = self.resource.create(request, request.data)
            if status < 300 and isinstance(body, dict) and body.get("id") is not None:
                obj = self.resource.model._default_manager.filter(pk=body["id"]).first()
                rest_write.send(self.resource.model, request=request, action="create",
                                object_type=self.resource.name, object_id=body["id"], obj=obj, data=request.data)
        return Response(body, status=status)


class ResourceDetailView(APIView):
    resource: SoarResource

    @property
    def write_role(self) -> str:
        return self.resource.write_role

    @property
    def read_role(self) -> str:
        return self.resource.read_role

    def get_object(self, request: Request, pk: int) -> Any:
        return get_object_or_404(self.resource.visible(request), pk=pk)

    def get(self, request: Request, pk: int) -> Response:
        obj = self.get_object(request, pk)
        return Response(self.resource.serializer(obj, context=self.resource.detail_context(request)).data)

    def post(self, request: Request, pk: int) -> Response:
        with transaction.atomic():
            obj = self.get_object(request, pk)
            body = self.resource.update(request, obj, request.data)
            rest_write.send(self.resource.model, request=request, action="update",
                            object_type=self.resource.name, object_id=obj.pk, obj=obj, data=request.data)
            return Response(body)

    patch = post

    def delete(self, request: Request, pk: int) -> Response:
        # One transaction: a delete refused midway (a protected row, soar.rest.errors answers
        # 409) leaves nothing a resource's delete() wrote before it.
        with transaction.atomic():
            obj = self.get_object(request, pk)
            pk_before = obj.pk
            self.resource.delete(request, obj)
            rest_write.send(self.resource.model, request=request, action="delete",
                            object_type=self.resource.name, object_id=pk_before, obj=obj, data=None)
        return Response({"success": True})


class ResourceFieldView(APIView):
    """`/rest/<type>/<id>/<field>`: one field of an object, as SOAR's "detail" query answers
    it (`/rest/container/1/name` is the name). Only what the object's read shows: the
    detail serializer decides, so a write-only secret is no field here either."""

    resource: SoarResource

    @property
    def write_role(self) -> str:
        return self.resource.write_role

    @property
    def read_role(self) -> str:
        return self.resource.read_role

    def get(self, request: Request, pk: int, field: str) -> Response:
        obj = get_object_or_404(self.resource.visible(request), pk=pk)
        data = self.resource.serializer(obj, context=self.resource.detail_context(request)).data
        if field not in data:
            raise NotFound(f"{self.resource.name} has no field {field[:64]!r}")
        return Response(data[field])


# The field routes of every resource_urls() call, served after every other /rest/ route
# (soar/urls.py): `<type>/<id>/<field>` would otherwise hide the families' own sub-resources
# (`container/<id>/artifacts`), which other modules register later than the type itself.
_FIELD_ROUTES: dict[str, Any] = {}


def _field_schema(name: str) -> Any:
    return extend_schema_view(get=extend_schema(
        operation_id=f"rest_{name}_field_retrieve",
        summary=f"one field of a {name}",
        parameters=[OpenApiParameter("field", OpenApiTypes.STR, OpenApiParameter.PATH,
                                     description="a field of the object's record, e.g. name")],
        responses={200: OpenApiResponse(response={"description": "the field's value: any JSON value"},
                                        description="the field's value, as the object's record shows it")},
    ))


def field_urlpatterns() -> list[Any]:
    """The `<type>/<id>/<field>` routes of every resource made so far."""
    return list(_FIELD_ROUTES.values())


def resource_urls(name: str, resource: SoarResource) -> list[Any]:
    from django.urls import path

    resource.name = resource.name or name
    attrs = {"resource": resource, "serializer_class": resource.serializer}  # serializer_class: for OpenAPI
    list_view: type[ResourceListView] = type(f"{type(resource).__name__}List", (ResourceListView,), attrs)
    detail_view: type[ResourceDetailView] = type(f"{type(resource).__name__}Detail", (ResourceDetailView,), attrs)
    field_view: type[ResourceFieldView] = _field_schema(name)(
        type(f"{type(resource).__name__}Field", (ResourceFieldView,), {"resource": resource}))
    _FIELD_ROUTES[name] = path(f"{name}/<id:pk>/<str:field>", field_view.as_view(), name=f"rest-{name}-field")
    return [
        path(f"{name}", list_view.as_view(), name=f"rest-{name}"),
        path(f"{name}/<id:pk>", detail_view.as_view(), name=f"rest-{name}-detail"),
    ]
