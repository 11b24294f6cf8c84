"""Roles are Django groups with a rank: each role may do what the roles below it may."""
from __future__ import annotations

from typing import Any

ROLES: dict[str, int] = {"viewer": 1, "analyst": 2, "editor": 3, "admin": 4}


def rank(user: Any) -> int:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return 0
    if user.is_superuser:
        return ROLES["admin"]
    cached = getattr(user, "_soar_rank", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)
        cached = max((ROLES.get(n, 0) for n in names), default=0)
        user._soar_rank = cached
    return int(cached)


def has_role(user: Any, role: str) -> bool:
    return rank(user) >= ROLES[role]


# SOAR's "edit code": writing code that runs as written (Code blocks, custom code, custom
# functions) is a permission of its own, which admins have and editors only when given
# (the permission itself, or a group holding it, in the admin site).
EDIT_CODE = "editor.edit_code"


def may_edit_code(user: Any) -> bool:
    if rank(user) >= ROLES["admin"]:
        return True
    return rank(user) >= ROLES["editor"] and bool(user.has_perm(EDIT_CODE))
