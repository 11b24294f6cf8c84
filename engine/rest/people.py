"""People: `/rest/ph_user` (and a user's `token`), `/rest/role`, `/rest/user_settings`.

Roles are soar.roles' groups (viewer < analyst < editor < admin): `/rest/role` shows them
with the permission matrix the code enforces, and assigns users to them; the roles themselves
are built in and cannot be renamed, created or removed (SOAR marks its built-ins immutable).
Passwords are write-only; a token's key is shown once, when it is generated.
"""
from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import MethodNotAllowed, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine import audit
from engine.models import ApiToken, UserProfile
from engine.models.platform import USER_TYPES, CustomRole, RoleGrant, grant, keep_granted, revoke
from engine.runtime.phantom._misc import AUTOMATION_USERNAME
from soar.ids import in_db_range
from soar.rest.query import QuerySpec
from soar.rest.resource import SoarResource, resource_urls
from soar.rest.schema import ARRAY, BOOL, INT, JSON_BODY, STR, answer, shape
from soar.roles import ROLES, has_role

User = get_user_model()


# --- users ------------------------------------------------------------------------------------


def user_type(user: Any) -> str:
    profile = getattr(user, "soar_profile", None) if _has_profile(user) else None
    if profile is not None:
        return str(profile.type)
    return "automation" if user.username == AUTOMATION_USERNAME else "normal"


def _has_profile(user: Any) -> bool:
    try:
        user.soar_profile  # noqa: B018 - the reverse one-to-one raises when there is none
    except UserProfile.DoesNotExist:
        return False
    return True


def role_names(user: Any) -> list[str]:
    """The roles a user holds: their built-in role groups (an admin by superuser flag holds
    admin), then their custom roles."""
    groups = user.groups.values_list("name", "soar_custom_role")
    names = {n for n, _ in groups if n in ROLES}
    if user.is_superuser:
        names.add("admin")
    custom = sorted(n for n, custom_id in groups if custom_id is not None)
    return sorted(names, key=lambda n: ROLES[n]) + custom


class PhUserSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    type = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    role_ids = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "is_active", "date_joined", "last_login",
                  "type", "roles", "role_ids"]
        read_only_fields = fields

    def get_type(self, user: Any) -> str:
        return user_type(user)

    def get_roles(self, user: Any) -> list[str]:
        return role_names(user)

    def get_role_ids(self, user: Any) -> list[int]:
        return sorted(g.pk for g in user.groups.filter(_ROLE_GROUPS))


# Fields of SOAR's ph_user body kept in the user's profile settings.
PROFILE_FIELDS = ("allowed_ips", "default_label", "time_zone", "title", "location")
USER_FIELDS = ("username", "email", "password", "first_name", "last_name", "roles", "type", "is_active",
               *PROFILE_FIELDS)


# The groups that are roles: the built-in ones and those admins made (CustomRole).
_ROLE_GROUPS = Q(name__in=ROLES) | Q(soar_custom_role__isnull=False)


def _role_groups(value: Any) -> list[Group]:
    """SOAR's `roles`: names or role ids, one or a list."""
    items = value if isinstance(value, list) else [value]
    groups = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise ValidationError({"roles": ["must be a list of role names or ids"]})
        if isinstance(item, int):
            group = Group.objects.filter(_ROLE_GROUPS, pk=item).first() if in_db_range(item) else None
        else:
            group = ensure_role(item) if item in ROLES else Group.objects.filter(_ROLE_GROUPS, name=item).first()
        if group is None:
            raise ValidationError({"roles": [f"no role {str(item)[:64]!r}; roles: {', '.join(ROLES)}"]})
        groups.append(group)
    return groups


def _grants(group: Group) -> str:
    """The built-in role a role group grants ("" for a custom role that grants none)."""
    if group.name in ROLES:
        return group.name
    custom = CustomRole.objects.filter(group=group).first()
    return custom.base if custom is not None else ""


def set_roles(user: Any, groups: list[Group]) -> None:
    """Make `groups` (built-in and custom roles) exactly the user's roles."""
    builtin = [g for g in groups if g.name in ROLES]
    custom = {c.pk: c for c in CustomRole.objects.filter(group__in=[g for g in groups if g.name not in ROLES])}
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(*builtin)
    # A built-in role given directly stays when a custom role granting it goes.
    RoleGrant.objects.filter(user=user, role__base__in=[g.name for g in builtin]).update(added_base=False)
    for held in CustomRole.objects.filter(grants__user=user).exclude(pk__in=custom):
        revoke(user, held)
    for role in custom.values():
        grant(user, role)
    keep_granted(user)


def _string(data: dict[str, Any], name: str, limit: int = 150) -> str:
    value = data[name]
    if not isinstance(value, str):
        raise ValidationError({name: ["must be a string"]})
    if len(value) > limit:
        raise ValidationError({name: [f"must be at most {limit} characters"]})
    return value


def _guard_superuser(request: Request, user: Any) -> None:
    """A superuser account (the site's own, beyond the admin role) is changed only by a
    superuser: an admin must not take it over by setting its password."""
    if user.pk and user.is_superuser and not request.user.is_superuser:
        raise PermissionDenied("only a superuser changes a superuser's account")


def apply_user_body(request: Request, user: Any, data: Any, *, creating: bool) -> None:
    """Write SOAR's ph_user body onto `user` (saved), naming the field of any bad value."""
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["expected a JSON object"]})
    _guard_superuser(request, user)
    unknown = sorted(k for k in data if k not in USER_FIELDS and k not in PhUserSerializer.Meta.fields)
    if unknown:
        raise ValidationError({k: ["unknown field"] for k in unknown[:20]})
    kind = data.get("type", user_type(user) if not creating else "normal")
    if kind not in USER_TYPES:
        raise ValidationError({"type": [f"must be one of {', '.join(USER_TYPES)}"]})
    if creating and not data.get("username"):
        raise ValidationError({"username": ["this field is required"]})
    if "username" in data:
        username = _string(data, "username").strip()
        if not username:
            raise ValidationError({"username": ["may not be blank"]})
        if User.objects.filter(username=username).exclude(pk=user.pk).exists():
            raise ValidationError({"username": ["a user with this username exists"]})
        user.username = username
    for name in ("first_name", "last_name"):
        if name in data:
            setattr(user, name, _string(data, name))
    if "email" in data:
        email = _string(data, "email", 254).strip()
        if email and "@" not in email:
            raise ValidationError({"email": ["is not an email address"]})
        user.email = email
    if "is_active" in data:
        if not isinstance(data["is_active"], bool):
            raise ValidationError({"is_active": ["must be true or false"]})
        if not data["is_active"] and user.pk == request.user.pk:
            raise ValidationError({"is_active": ["you cannot deactivate yourself"]})
        user.is_active = data["is_active"]
    password = data.get("password")
    if kind == "automation":
        if password:
            raise ValidationError({"password": ["an automation user signs in with its token, not a password"]})
        if creating:
            user.set_unusable_password()
    elif password is not None or creating:
        if not isinstance(password, str) or not password:
            raise ValidationError({"password": ["this field is required for a normal user"]})
        try:
            password_validation.validate_password(password, user)
        except DjangoValidationError as exc:
            raise ValidationError({"password": list(exc.messages)}) from None
        user.set_password(password)
    groups = _role_groups(data["roles"]) if "roles" in data else None
    if groups is not None and user.pk == request.user.pk and not user.is_superuser \
            and not any(_grants(g) == "admin" for g in groups):
        raise ValidationError({"roles": ["you cannot take the admin role from yourself"]})
    user.save()
    if groups is not None:
        set_roles(user, groups)
    profile = UserProfile.of(user)
    profile.type = kind
    for name in PROFILE_FIELDS:
        if name in data:
            profile.settings[name] = data[name]
    profile.save()


class PhUserResource(SoarResource):
    """Users: an admin creates, changes and deactivates them; every role reads them
    (without secrets). A delete deactivates, as in SOAR, and revokes the user's tokens."""

    model = User
    serializer = PhUserSerializer
    read_role = "viewer"
    write_role = "admin"
    spec = QuerySpec(fields={n: n for n in ("id", "username", "email", "is_active", "first_name", "last_name")}
                     | {"type": "soar_profile__type"},
                     sortable=frozenset({"username"}), default_sort="username", default_order="asc")

    def queryset(self, request: Request) -> Any:
        return User.objects.prefetch_related("groups").select_related("soar_profile")

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        user = User()
        apply_user_body(request, user, data, creating=True)
        return {"success": True, "id": user.pk}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        apply_user_body(request, obj, data, creating=False)
        return {"success": True, "id": obj.pk}

    def delete(self, request: Request, obj: Any) -> None:
        if obj.pk == request.user.pk:
            raise ValidationError({"id": ["you cannot delete yourself"]})
        _guard_superuser(request, obj)
        obj.is_active = False
        obj.save(update_fields=["is_active"])
        ApiToken.objects.filter(user=obj).delete()


TOKEN = shape("A user's API token: the key itself only in the answer that generated it",
              key={"type": ["string", "null"]}, expires_on={"type": ["string", "null"]}, prefix=STR,
              create_time={"type": ["string", "null"]}, last_used={"type": ["string", "null"]})


class UserTokenView(APIView):
    """`/rest/ph_user/<id>/token`: GET describes the automation user's token (never its key:
    only a digest is stored); POST generates a new one (replacing the old) and answers its
    key, once. Admins only; a user may read their own."""

    read_role = "viewer"
    write_role = "admin"
    error_answers = {"POST": {400: "the user is not an automation user"}}  # and 403: not an admin

    def _user(self, request: Request, pk: int) -> Any:
        user = get_object_or_404(User, pk=pk)
        if user.pk != request.user.pk and not has_role(request.user, "admin"):
            raise PermissionDenied("only an admin reads another user's token")
        return user

    @staticmethod
    def _describe(token: ApiToken | None, key: str | None = None) -> dict[str, Any]:
        def when(value: Any) -> str | None:
            return value.isoformat().replace("+00:00", "Z") if value else None

        return {"key": key, "expires_on": None, "prefix": token.prefix if token else "",
                "create_time": when(token.create_time) if token else None,
                "last_used": when(token.last_used) if token else None}

    @extend_schema(responses={200: answer(TOKEN)})
    def get(self, request: Request, pk: int) -> Response:
        user = self._user(request, pk)
        token = ApiToken.objects.filter(user=user).order_by("-id").first()
        body = self._describe(token)
        body["message"] = ("the key is shown only when generated: POST to this URL generates a new one"
                           if token else "the user has no token: POST to this URL generates one")
        return Response(body)

    @extend_schema(request=None, responses={200: answer(TOKEN)})
    def post(self, request: Request, pk: int) -> Response:
        user = self._user(request, pk)
        if user_type(user) != "automation":
            raise ValidationError({"type": ["tokens are generated for automation users only"]})
        with transaction.atomic():
            ApiToken.objects.filter(user=user, name="default").delete()
            token, key = ApiToken.issue(user)
            audit.record(request.user, "generate_token", "ph_user", user.pk, detail={"prefix": token.prefix})
        return Response({**self._describe(token, key), "success": True})


# --- roles ------------------------------------------------------------------------------------

# What each role may do, by SOAR's permission areas: the least role each verb needs, as the
# REST resources enforce it (their read_role / write_role). None: nobody.
AREAS: dict[str, dict[str, str | None]] = {
    "apps": {"view": "viewer", "edit": "admin", "delete": "admin", "execute": "analyst"},
    "assets": {"view": "viewer", "edit": "admin", "delete": "admin", "execute": "analyst"},
    "containers": {"view": "viewer", "edit": "analyst", "delete": "analyst", "execute": "analyst"},
    "case_management": {"view": "viewer", "edit": "analyst", "delete": "analyst", "execute": None},
    "custom_lists": {"view": "viewer", "edit": "analyst", "delete": "analyst", "execute": None},
    "playbooks": {"view": "viewer", "edit": "editor", "delete": "editor", "execute": "analyst"},
    "workbooks": {"view": "viewer", "edit": "analyst", "delete": "analyst", "execute": None},
    "system_settings": {"view": "viewer", "edit": "admin", "delete": "admin", "execute": None},
    "users_roles": {"view": "viewer", "edit": "admin", "delete": "admin", "execute": None},
}
DESCRIPTIONS = {
    "viewer": "Reads everything its teams allow; changes nothing",
    "analyst": "Works cases: containers, artifacts, notes, lists; runs playbooks and actions; answers prompts",
    "editor": "An analyst who also draws and edits playbooks",
    "admin": "Everything, including users, roles, apps, assets and settings",
}


def permissions_of(role: str | None) -> list[dict[str, str]]:
    """The permission matrix of a built-in role (None: a role that grants nothing)."""
    level = ROLES[role] if role else 0
    return [{"name": area, **{verb: "allow" if need is not None and level >= ROLES[need] else "deny"
                              for verb, need in verbs.items()}}
            for area, verbs in AREAS.items()]


def ensure_role(name: str) -> Group:
    return Group.objects.get_or_create(name=name)[0]


def _custom(group: Group) -> CustomRole | None:
    try:
        return group.soar_custom_role  # type: ignore[attr-defined,no-any-return]
    except CustomRole.DoesNotExist:
        return None


def _granted(group: Group) -> str:
    """The built-in role whose permissions the role group grants ("" for none)."""
    custom = _custom(group)
    return custom.base if custom is not None else group.name


class RoleSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    type = serializers.SerializerMethodField()
    immutable = serializers.SerializerMethodField()
    disabled = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    level = serializers.SerializerMethodField()
    base_role = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()
    users = serializers.SerializerMethodField()

    class Meta:
        model = Group
        fields = ["id", "name", "type", "immutable", "disabled", "description", "level", "base_role", "permissions",
                  "users"]
        read_only_fields = fields

    def get_type(self, group: Group) -> str:
        return "custom" if _custom(group) is not None else "system"

    def get_immutable(self, group: Group) -> bool:
        return _custom(group) is None

    def get_disabled(self, group: Group) -> bool:
        return False

    def get_description(self, group: Group) -> str:
        custom = _custom(group)
        return custom.description if custom is not None else DESCRIPTIONS.get(group.name, "")

    def get_level(self, group: Group) -> int:
        return ROLES.get(_granted(group), 0)

    def get_base_role(self, group: Group) -> str:
        """The built-in role whose permissions this role grants (itself for a built-in one)."""
        return _granted(group)

    def get_permissions(self, group: Group) -> list[dict[str, str]]:
        base = _granted(group)
        return permissions_of(base) if base else permissions_of(None)

    def get_users(self, group: Group) -> list[int]:
        return sorted(u.pk for u in group.user_set.all())


VERBS = ("view", "edit", "delete", "execute")


def _asked(value: Any) -> set[tuple[str, str]]:
    """The (area, verb) pairs a role body allows: SOAR's list of {"name": area, "view":
    "allow", ...}, or {area: {verb: "allow"|"deny"}}."""
    entries = [{"name": k, **v} if isinstance(v, dict) else v for k, v in value.items()] \
        if isinstance(value, dict) else value
    if not isinstance(entries, list):
        raise ValidationError({"permissions": ["must be a list of {name, view, edit, delete, execute}"]})
    allowed = set()
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("name") not in AREAS:
            raise ValidationError({"permissions": [f"each entry names an area: {', '.join(AREAS)}"]})
        for verb in VERBS:
            answer_ = entry.get(verb, "deny")
            if answer_ not in ("allow", "deny", True, False):
                raise ValidationError({"permissions": [f"{entry['name']}.{verb} must be allow or deny"]})
            if answer_ in ("allow", True):
                allowed.add((entry["name"], verb))
    return allowed


def base_for(allowed: set[tuple[str, str]]) -> str:
    """The highest built-in role all of whose permissions are in `allowed` ("" if none)."""
    fitting = [name for name in ROLES
               if {(p["name"], v) for p in permissions_of(name) for v in VERBS if p[v] == "allow"} <= allowed]
    return max(fitting, key=lambda n: ROLES[n], default="")


def _user_ids(data: dict[str, Any]) -> list[Any]:
    ids = data["users"]
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) and in_db_range(i)
                                            for i in ids):
        raise ValidationError({"users": ["must be a list of user ids"]})
    users = list(User.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {u.pk for u in users})
    if missing:
        raise ValidationError({"users": [f"no user with id {missing[0]}"]})
    return users


ROLE_FIELDS = ("name", "description", "permissions", "users")


class RoleResource(SoarResource):
    """Roles: the built-in ones (their users may be assigned; nothing else changes) and
    those admins make. A made role grants the permissions of the highest built-in role it
    covers (soar.roles stays the one source of what a user may do), and answers those."""

    model = Group
    serializer = RoleSerializer
    read_role = "viewer"
    write_role = "admin"
    spec = QuerySpec(fields={"id": "id", "name": "name"}, sortable=frozenset({"name"}), default_sort="name",
                     default_order="asc")
    error_answers = {"delete": {405: "built-in roles cannot be removed"}}

    def queryset(self, request: Request) -> Any:
        for name in ROLES:
            ensure_role(name)
        return Group.objects.filter(_ROLE_GROUPS).select_related("soar_custom_role").prefetch_related("user_set")

    def _check(self, data: Any, group: Group | None) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["expected a JSON object"]})
        known = set(ROLE_FIELDS) | set(RoleSerializer.Meta.fields)
        unknown = sorted(k for k in data if k not in known)
        if unknown:
            raise ValidationError({k: ["unknown field"] for k in unknown[:20]})
        if "name" in data or group is None:
            name = data.get("name")
            if not isinstance(name, str) or not name.strip() or len(name) > 150:
                raise ValidationError({"name": ["must be a name of 1 to 150 characters"]})
            others = Group.objects.filter(name=name.strip())
            taken = (others.exclude(pk=group.pk) if group is not None else others).exists()
            if name.strip() in ROLES or taken:
                raise ValidationError({"name": [f"a role (or group) named {name.strip()[:64]!r} exists"]})
        if "description" in data and not isinstance(data["description"], str):
            raise ValidationError({"description": ["must be a string"]})
        return data

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        self._check(data, None)
        base = base_for(_asked(data.get("permissions", [])))
        users = _user_ids(data) if "users" in data else []
        group = Group.objects.create(name=data["name"].strip())
        role = CustomRole.objects.create(group=group, base=base, description=data.get("description", ""))
        for user in users:
            grant(user, role)
        return {"success": True, "id": group.pk}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        role = _custom(obj)
        if role is None:
            return self._update_builtin(request, obj, data)
        self._check(data, obj)
        if "name" in data:
            obj.name = data["name"].strip()
            obj.save(update_fields=["name"])
        if "description" in data:
            role.description = data["description"]
        if "permissions" in data:
            base = base_for(_asked(data["permissions"]))
            if base != role.base:
                members = list(obj.user_set.all())
                for user in members:
                    revoke(user, role)
                role.base = base
                role.save()
                for user in members:
                    grant(user, role)
        role.save()
        if "users" in data:
            wanted = {u.pk: u for u in _user_ids(data)}
            if request.user.pk not in wanted and role.base == "admin" and not request.user.is_superuser \
                    and not _admin_elsewhere(request.user, role):
                raise ValidationError({"users": ["you cannot take the admin role from yourself"]})
            for user in list(obj.user_set.all()):
                if user.pk not in wanted:
                    revoke(user, role)
            for user in wanted.values():
                grant(user, role)
        return {"success": True, "id": obj.pk}

    def _update_builtin(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["expected a JSON object"]})
        changed = sorted(k for k in data if k not in ("users", "id") and data[k] != RoleSerializer(obj).data.get(k))
        if changed:
            raise ValidationError({k: ["built-in roles cannot be changed; only their users"] for k in changed[:20]})
        if "users" in data:
            users = _user_ids(data)
            me = request.user
            if obj.name == "admin" and me.pk not in {u.pk for u in users} and not me.is_superuser:
                raise ValidationError({"users": ["you cannot take the admin role from yourself"]})
            before = list(obj.user_set.all())
            obj.user_set.set(users)
            # A custom role of a user taken out still grants its base: given back.
            for user in before:
                keep_granted(user)
        return {"success": True, "id": obj.pk}

    def delete(self, request: Request, obj: Any) -> None:
        role = _custom(obj)
        if role is None:
            raise MethodNotAllowed("DELETE", "built-in roles cannot be removed")
        for user in list(obj.user_set.all()):
            revoke(user, role)
        obj.delete()


def _admin_elsewhere(user: Any, role: CustomRole) -> bool:
    """Whether `user` keeps the admin role without `role`."""
    direct = user.groups.filter(name="admin").exists() and not RoleGrant.objects.filter(
        user=user, role__base="admin", added_base=True).exists()
    return direct or RoleGrant.objects.filter(user=user, role__base="admin").exclude(role=role).exists()


# --- the user's own settings --------------------------------------------------------------------

SETTING_DEFAULTS: dict[str, Any] = {"time_zone": "", "default_label": "events", "theme": "light",
                                    "language": "en", "page_size": 10, "email_notifications": True}


def _check_setting(name: str, value: Any) -> Any:
    default = SETTING_DEFAULTS[name]
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValidationError({name: ["must be true or false"]})
    elif isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
            raise ValidationError({name: ["must be an integer from 1 to 1000"]})
    elif not isinstance(value, str) or len(value) > 128:
        raise ValidationError({name: ["must be a string of at most 128 characters"]})
    if name == "time_zone" and value and value not in available_timezones():
        raise ValidationError({name: [f"unknown time zone {value[:64]!r}"]})
    if name == "theme" and value not in ("light", "dark"):
        raise ValidationError({name: ["must be light or dark"]})
    return value


SETTINGS = shape("The signed-in user's settings", username=STR, time_zone=STR, default_label=STR, theme=STR,
                 language=STR, page_size=INT, email_notifications=BOOL, roles=ARRAY)


class UserSettingsView(APIView):
    """`/rest/user_settings`: the signed-in user's own settings (GET, and POST to change)."""

    read_role = "viewer"
    method_roles = {"POST": "viewer"}

    def _answer(self, user: Any) -> dict[str, Any]:
        stored = UserProfile.of(user).settings if user.pk else {}
        values = {k: stored.get(k, v) for k, v in SETTING_DEFAULTS.items()}
        values["time_zone"] = values["time_zone"] or settings.TIME_ZONE
        return {"username": user.username, **values, "roles": role_names(user)}

    @extend_schema(responses={200: answer(SETTINGS)})
    def get(self, request: Request) -> Response:
        return Response(self._answer(request.user))

    @extend_schema(request=JSON_BODY, responses={200: answer(SETTINGS)})
    def post(self, request: Request) -> Response:
        data = request.data
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["expected a JSON object"]})
        unknown = sorted(k for k in data if k not in SETTING_DEFAULTS and k not in ("username", "roles"))
        if unknown:
            raise ValidationError({k: ["unknown setting"] for k in unknown[:20]})
        with transaction.atomic():
            profile = UserProfile.of(request.user)
            for name in SETTING_DEFAULTS:
                if name in data:
                    profile.settings[name] = _check_setting(name, data[name])
            profile.save()
            audit.record(request.user, "update", "user_settings", request.user.pk,
                         detail={"fields": sorted(k for k in data if k in SETTING_DEFAULTS)})
        return Response(self._answer(request.user))


urlpatterns = [
    path("ph_user/<id:pk>/token", UserTokenView.as_view(), name="rest-ph-user-token"),
    *resource_urls("ph_user", PhUserResource()),
    *resource_urls("role", RoleResource()),
    path("user_settings", UserSettingsView.as_view(), name="rest-user-settings"),
]
