"""People and platform state SOAR's REST API reads and writes beyond Django's own user model:
a user's SOAR type and settings (`/rest/ph_user`, `/rest/user_settings`), and the feature
flags an admin switched (`/rest/feature_flag`)."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

USER_TYPES = ("normal", "automation")


class UserProfile(models.Model):
    """What SOAR keeps about a user that django.contrib.auth does not: its type (an
    automation user is an account for integrations, with a token instead of a login) and
    its settings (`/rest/user_settings`: time zone, default label, ...)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="soar_profile")
    type = models.CharField(max_length=16, default="normal")
    settings = models.JSONField(default=dict, blank=True)
    update_time = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} ({self.type})"

    @classmethod
    def of(cls, user: Any) -> UserProfile:
        profile, _ = cls.objects.get_or_create(user=user)
        return profile


class FeatureFlag(models.Model):
    """A feature flag an admin switched; flags nobody switched keep their default
    (engine.rest.platform_flags lists them)."""

    name = models.CharField(max_length=64, unique=True)
    enabled = models.BooleanField()
    update_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}={self.enabled}"


class CustomRole(models.Model):
    """A role an admin made (`POST /rest/role`). soar.roles knows only the built-in roles,
    so a custom role grants exactly one of them, its `base`: the highest built-in role whose
    every permission the custom role asked for ("" when none: the role grants nothing). Its
    members get the base role's group (see grant / revoke), and the role answers the
    permissions it really grants."""

    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="soar_custom_role")
    base = models.CharField(max_length=16, blank=True, default="")
    description = models.TextField(blank=True, default="")
    create_time = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.group.name} (as {self.base or 'nothing'})"


class RoleGrant(models.Model):
    """A user's membership of a custom role, and whether it was this membership that gave
    the user the base role's group (so removing it takes the group away again, and a group
    the user held anyway stays)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.ForeignKey(CustomRole, on_delete=models.CASCADE, related_name="grants")
    added_base = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.role}"


def _group_named(name: str) -> Any:
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=name)[0]


def _base_group(role: CustomRole) -> Any:
    return _group_named(role.base) if role.base else None


def grant(user: Any, role: CustomRole) -> None:
    """Make `user` a member of `role`, giving them its base role's group."""
    if RoleGrant.objects.filter(user=user, role=role).exists():
        return
    role.group.user_set.add(user)
    base = _base_group(role)
    added = base is not None and not user.groups.filter(pk=base.pk).exists()
    if added:
        user.groups.add(base)
    RoleGrant.objects.create(user=user, role=role, added_base=added)


def revoke(user: Any, role: CustomRole) -> None:
    """Take `user` out of `role`; the base role's group goes too when this membership gave
    it and no other custom role of the user grants it."""
    found = RoleGrant.objects.filter(user=user, role=role).first()
    role.group.user_set.remove(user)
    if found is None:
        return
    if found.added_base and role.base:
        heir = RoleGrant.objects.filter(user=user, role__base=role.base).exclude(pk=found.pk).first()
        if heir is not None:
            heir.added_base = True
            heir.save(update_fields=["added_base"])
        else:
            user.groups.remove(_base_group(role))
    found.delete()


def keep_granted(user: Any) -> None:
    """After a user's built-in groups were set directly: every custom role of the user still
    grants its base (given back, and taken away with the role, when it was missing)."""
    held = set(user.groups.values_list("name", flat=True))
    for base in set(RoleGrant.objects.filter(user=user).exclude(role__base="").values_list("role__base", flat=True)):
        grants = RoleGrant.objects.filter(user=user, role__base=base).order_by("id")
        if base in held and not grants.filter(added_base=True).exists():
            continue
        if base not in held:
            user.groups.add(_group_named(base))
        first = grants.first()
        grants.update(added_base=False)
        if first is not None:
            RoleGrant.objects.filter(pk=first.pk).update(added_base=True)

