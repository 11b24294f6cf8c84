"""People: `/rest/ph_user`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from engine.runtime.phantom._misc import AUTOMATION_USERNAME
from soar.rest.query import QuerySpec
from soar.rest.resource import SoarResource, resource_urls
from soar.roles import ROLES, rank

User = get_user_model()


class PhUserSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    type = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "is_active", "date_joined", "type", "roles"]
        read_only_fields = fields

    def get_type(self, user: Any) -> str:
        return "automation" if user.username == AUTOMATION_USERNAME else "normal"

    def get_roles(self, user: Any) -> list[str]:
        level = rank(user)
        return [name for name, r in ROLES.items() if r == level]


class PhUserResource(SoarResource):
    """Read-only: accounts are managed in the admin site."""

    model = User
    serializer = PhUserSerializer
    read_role = "viewer"
    write_role = "admin"
    spec = QuerySpec(fields={n: n for n in ("id", "username", "email", "is_active")},
                     sortable=frozenset({"username"}), default_sort="username", default_order="asc")

    error_answers = {"create": {405: "users are created in the admin site"}}

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        return {"failed": True, "message": "users are created in the admin site (/admin/)"}, 405

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        raise ValidationError({"user": ["users are changed in the admin site (/admin/)"]})

    def delete(self, request: Request, obj: Any) -> None:
        raise ValidationError({"user": ["users are removed in the admin site (/admin/)"]})


urlpatterns = [
    *resource_urls("ph_user", PhUserResource()),
]
