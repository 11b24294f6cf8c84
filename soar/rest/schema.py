"""OpenAPI schema details: every operation documents the answers the API really gives.

The REST toolkit (soar.rest.resource) answers in SOAR's shapes, not with bare serializer
objects: a list is `{"count", "num_pages", "data"}`, a create or update `{"success", "id"}`,
a delete `{"success"}` and every error `{"failed", "message"}` (soar.rest.errors). The
schema class below describes those shapes from the view's kind, so a resource added with
`resource_urls()` is documented correctly without decorating it. The error answers are
derived the same way for every view, /api/ included: 401 and 403 (every route needs a
role), 404 (routes with an id), 400 (routes that take input), 413 (routes with a body),
409 (deletes: rows that others protect), plus the ones a view or resource declares in
`error_answers` (e.g. a duplicate's 409, a resource that cannot be posted to's 405).
"""
from __future__ import annotations

import copy
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, build_array_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from soar.rest.errors import deleting_may_conflict

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

# Errors every route can answer, whatever it does.
AUTH_ERRORS = {
    401: "no credentials, or an invalid ph-auth-token",
    403: "the user's role (or team) does not allow this",
}

_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "SOAR's error envelope; `errors` holds the field-by-field detail of a validation error.",
    "properties": {
        "failed": {"type": "boolean", "description": "always true"},
        "message": {"type": "string", "description": "what went wrong, naming the field or parameter"},
        "errors": {"description": "per-field messages of a validation error"},
    },
    "required": ["failed", "message"],
}
_SAVED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "SOAR's answer to a create or update: the object's id.",
    "properties": {"success": {"type": "boolean", "description": "always true"}, "id": {"type": "integer"}},
    "required": ["success", "id"],
}
_DELETED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"success": {"type": "boolean", "description": "always true"}},
    "required": ["success"],
}
# A view that declares nothing answers some JSON value; say so rather than guess an object.
_ANY_JSON: dict[str, Any] = {"description": "a JSON value"}

LIST_PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT, OpenApiParameter.QUERY,
                     description="0-based page number (default 0)"),
    OpenApiParameter("page_size", OpenApiTypes.INT, OpenApiParameter.QUERY,
                     description="rows per page (default 10; 0 returns every row)"),
    OpenApiParameter("sort", OpenApiTypes.STR, OpenApiParameter.QUERY, description="field to sort by"),
    OpenApiParameter("order", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["asc", "desc"],
                     description="sort order"),
]


def _may_be_blank(field: Any) -> bool:
    if getattr(field, "allow_blank", False):
        return True
    # DRF drops allow_blank from read-only fields; the model field still says.
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    try:
        return bool(model._meta.get_field(field.source).blank)  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - not a model field: nothing says it may be blank
        return False


class SoarAutoSchema(AutoSchema):
    def get_operation_id(self) -> str:
        # /rest/x and /rest/x/{id} share verbs (POST creates vs updates), so say which.
        base = super().get_operation_id()
        if "{" not in self.path:
            return f"{base}_collection"
        # /x/{id}/versions and /x/{id}/versions/{number} would both be "..._versions_retrieve".
        return f"{base}_item" if self.path.count("{") > 1 and self.path.rstrip("/").endswith("}") else base

    # --- what kind of view is this ----------------------------------------------------
    def _toolkit_kind(self) -> str | None:
        from soar.rest.resource import ResourceDetailView, ResourceListView

        if isinstance(self.view, ResourceListView):
            return "list"
        if isinstance(self.view, ResourceDetailView):
            return "detail"
        return None

    def _operation_name(self) -> str:
        kind = self._toolkit_kind()
        if kind == "list":
            return "create" if self.method == "POST" else "list"
        if kind == "detail":
            return {"GET": "read", "DELETE": "delete"}.get(self.method, "update")
        return self.method

    def _component(self, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return component.ref  # type: ignore[no-any-return]

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)
        if "format" in schema and _may_be_blank(field):
            # A field that may be blank (a user without an email) answers "", which no
            # string format (email, uri, ...) accepts.
            schema["anyOf"] = [{"format": schema.pop("format")}, {"maxLength": 0}]

    # --- requests -----------------------------------------------------------------------
    def _get_serializer(self) -> Any:
        # A plain APIView without a serializer documents its answers with extend_schema;
        # drf-spectacular would otherwise log an error for each and guess an object.
        if not hasattr(self.view, "serializer_class") and not callable(getattr(self.view, "get_serializer", None)):
            return None
        return super()._get_serializer()

    def get_request_serializer(self) -> Any:
        if self._toolkit_kind() and self.method not in BODY_METHODS:
            return None
        return super().get_request_serializer()

    def get_override_parameters(self) -> list[Any]:
        params = list(super().get_override_parameters())
        if self._toolkit_kind() == "list" and self.method == "GET":
            params += LIST_PARAMETERS
        return params

    # --- responses ----------------------------------------------------------------------
    def get_response_serializers(self) -> Any:
        kind = self._toolkit_kind()
        if kind is None:
            declared = super().get_response_serializers()
            return declared if declared is not None else {200: _ANY_JSON}
        serializer = getattr(self.view, "resource").serializer  # noqa: B009 - a toolkit view has one
        op = self._operation_name()
        if op == "list":
            row = self.resolve_serializer(serializer(), "response").ref
            name = f"{self._get_serializer_name(serializer(), 'response')}List"
            return {200: self._component(name, {
                "type": "object",
                "description": "SOAR's list envelope: one page of rows",
                "properties": {"count": {"type": "integer", "description": "rows matching the query"},
                               "num_pages": {"type": "integer"},
                               "data": build_array_type(row)},
                "required": ["count", "num_pages", "data"],
            })}
        if op in ("create", "update"):
            return {200: self._component("SoarSaved", _SAVED_SCHEMA)}
        if op == "delete":
            return {200: self._component("SoarDeleted", _DELETED_SCHEMA)}
        extra = getattr(self.view, "resource").detail_fields  # noqa: B009
        if not extra:
            return {200: serializer}
        # The read shows more than a list row (e.g. a playbook's write-only `json`).
        readable = self.resolve_serializer(serializer(), "response")
        schema = copy.deepcopy(readable.schema)
        schema["properties"] = {**schema.get("properties", {}), **extra}
        schema["required"] = sorted({*schema.get("required", []), *extra})
        return {200: self._component(f"{readable.name}Detail", schema)}

    def _error_answers(self) -> dict[int, str]:
        answers: dict[int, str] = dict(AUTH_ERRORS)
        has_input = (self.method in BODY_METHODS or "{" in self.path
                     or bool(self._get_parameters()))
        if has_input:
            answers[400] = "bad input: the message names the field or parameter"
        if "{" in self.path:
            answers[404] = "no such object (or not visible to this user)"
        if self.method in BODY_METHODS:
            answers[413] = "the request body is too large"
        if self.method == "DELETE":
            # soar.rest.errors: a row that other rows protect is refused, naming them.
            answers[409] = "other records depend on this one (the message names them)"
        declared: dict[str, dict[int, str]] = {}
        resource = getattr(self.view, "resource", None)
        for source in (resource, self.view):
            declared.update(getattr(source, "error_answers", {}) or {})
        model = getattr(resource, "model", None)
        if self._operation_name() == "delete" and model is not None and deleting_may_conflict(model):
            answers[409] = "other rows use this one (the message names them); nothing was deleted"
        answers.update(declared.get(self._operation_name(), {}))
        return answers

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        error = {"schema": self._component("SoarError", _ERROR_SCHEMA)}
        # Errors come in whatever the view renders (JSON here; the schema view's YAML too).
        media_types = self.map_renderers("media_type") or ["application/json"]
        for code, description in sorted(self._error_answers().items()):
            responses.setdefault(str(code), {
                "description": description,
                "content": {media_type: error for media_type in media_types},
            })
        return responses


# For the /api/ views' extend_schema: they answer plain dicts and lists, not serializers.
# (A bare dict given to extend_schema would be read as {status: ...} or {media type: ...}.)
def answer(schema: dict[str, Any], description: str = "") -> OpenApiResponse:
    return OpenApiResponse(response=schema, description=description)


JSON_OBJECT = answer({"type": "object"})
JSON_BODY = {"application/json": {"type": "object"}}  # a request body: some JSON object


def json_list(items: dict[str, Any] | None = None) -> OpenApiResponse:
    """A JSON array (of objects unless told), for views that answer a bare list."""
    return answer({"type": "array", "items": items or {"type": "object"}})


INT: dict[str, Any] = {"type": "integer"}
STR: dict[str, Any] = {"type": "string"}
BOOL: dict[str, Any] = {"type": "boolean"}
ARRAY: dict[str, Any] = {"type": "array", "items": {}}
ANY: dict[str, Any] = {"description": "any JSON value"}  # (an empty {} reads as "nothing" to some tools)


def shape(doc: str = "", /, **properties: dict[str, Any]) -> dict[str, Any]:
    """A JSON object with these keys, each always present (`doc` is positional: a key may
    be called description)."""
    return {"type": "object", "description": doc, "properties": properties, "required": list(properties)}


def query_param(name: str, description: str, kind: Any = OpenApiTypes.STR, **extra: Any) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, **extra)


def envelope(items: dict[str, Any] | None = None) -> OpenApiResponse:
    """SOAR's list envelope, for list views outside the toolkit."""
    return answer({"type": "object", "required": ["count", "num_pages", "data"], "properties": {
        "count": {"type": "integer"}, "num_pages": {"type": "integer"},
        "data": {"type": "array", "items": items or {"type": "object"}}}})


DELETED = answer(_DELETED_SCHEMA)
SAVED = answer(_SAVED_SCHEMA)


class PhAuthTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "soar.rest.auth.PhAuthTokenAuthentication"
    name = "phAuthToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "ph-auth-token"}
