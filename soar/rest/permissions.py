from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from soar.roles import has_role


class RolePermission(permissions.BasePermission):
    """Reading needs any role; writing needs the view's `write_role` (default admin).

    A view may also set `read_role` (e.g. tokens) or per-method overrides in `method_roles`.
    """

    message = "your role does not allow this"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        method_roles: dict[str, str] = getattr(view, "method_roles", {})
        if request.method in method_roles:
            return has_role(user, method_roles[request.method])
        if request.method in permissions.SAFE_METHODS:
            return has_role(user, getattr(view, "read_role", "viewer"))
        return has_role(user, getattr(view, "write_role", "admin"))
