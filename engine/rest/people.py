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
from engine.models.platform import USER_TYPES
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
    """The roles a user holds: their role groups (an admin by superuser flag holds admin)."""
    names = {n for n in user.groups.values_list("name", flat=True) if n in ROLES}
    if user.is_superuser:
        names.add("admin")
    return sorted(names, key=lambda n: ROLES[n])


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
        return sorted(g.pk for g in user.groups.all() if g.name in ROLES)


# Fields of SOAR's ph_user body kept in the user's profile settings.
PROFILE_FIELDS = ("allowed_ips", "default_label", "time_zone", "title", "location")
USER_FIELDS = ("username", "email", "password", "first_name", "last_name", "roles", "type", "is_active",
               *PROFILE_FIELDS)


def _role_groups(value: Any) -> list[Group]:
    """SOAR's `roles`: names or role ids, one or a list."""
    items = value if isinstance(value, list) else [value]
    groups = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise ValidationError({"roles": ["must be a list of role names or ids"]})
        if isinstance(item, int):
            group = Group.objects.filter(pk=item, name__in=ROLES).first() if in_db_range(item) else None
        else:
            group = ensure_role(item) if item in ROLES else None
        if group is None:
            raise ValidationError({"roles": [f"no role {str(item)[:64]!r}; roles: {', '.join(ROLES)}"]})
        groups.append(group)
    return groups


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
    if groups is not None and user.pk == request.user.pk and not any(g.name == "admin" for g in groups) \
            and not user.is_superuser:
        raise ValidationError({"roles": ["you cannot take the admin role from yourself"]})
    user.save()
    if groups is not None:
        user.groups.remove(*Group.objects.filter(name__in=ROLES))
        user.groups.add(*groups)
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


def permissions_of(role: str) -> list[dict[str, str]]:
    level = ROLES[role]
    return [{"name": area, **{verb: "allow" if need is not None and level >= ROLES[need] else "deny"
                              for verb, need in verbs.items()}}
            for area, verbs in AREAS.items()]


def ensure_role(name: str) -> Group:
    return Group.objects.get_or_create(name=name)[0]


class RoleSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    type = serializers.SerializerMethodField()
    immutable = serializers.SerializerMethodField()
    disabled = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    level = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()
    users = serializers.SerializerMethodField()

    class Meta:
        model = Group
        fields = ["id", "name", "type", "immutable", "disabled", "description", "level", "permissions", "users"]
        read_only_fields = fields

    def get_type(self, group: Group) -> str:
        return "system"

    def get_immutable(self, group: Group) -> bool:
        return True

    def get_disabled(self, group: Group) -> bool:
        return False

    def get_description(self, group: Group) -> str:
        return DESCRIPTIONS.get(group.name, "")

    def get_level(self, group: Group) -> int:
        return ROLES.get(group.name, 0)

    def get_permissions(self, group: Group) -> list[dict[str, str]]:
        return permissions_of(group.name)

    def get_users(self, group: Group) -> list[int]:
        return sorted(u.pk for u in group.user_set.all())


class RoleResource(SoarResource):
    """The built-in roles. An update assigns users (`users`: the role's members, ids);
    the roles themselves cannot be created, renamed or removed."""

    model = Group
    serializer = RoleSerializer
    read_role = "viewer"
    write_role = "admin"
    spec = QuerySpec(fields={"id": "id", "name": "name"}, sortable=frozenset({"name"}), default_sort="name",
                     default_order="asc")
    error_answers = {"create": {405: "roles are built in (viewer, analyst, editor, admin)"},
                     "delete": {405: "built-in roles cannot be removed"}}

    def queryset(self, request: Request) -> Any:
        for name in ROLES:
            ensure_role(name)
        return Group.objects.filter(name__in=ROLES).prefetch_related("user_set")

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        return {"failed": True, "message": "roles are built in (viewer, analyst, editor, admin): assign users "
                                           "to them with POST /rest/role/<id> {\"users\": [...]}"}, 405

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["expected a JSON object"]})
        changed = sorted(k for k in data if k not in ("users", "id") and data[k] != RoleSerializer(obj).data.get(k))
        if changed:
            raise ValidationError({k: ["built-in roles cannot be changed; only their users"] for k in changed[:20]})
        if "users" in data:
            ids = data["users"]
            if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) and in_db_range(i)
                                                    for i in ids):
                raise ValidationError({"users": ["must be a list of user ids"]})
            users = list(User.objects.filter(pk__in=ids))
            missing = sorted(set(ids) - {u.pk for u in users})
            if missing:
                raise ValidationError({"users": [f"no user with id {missing[0]}"]})
            me = request.user
            if obj.name == "admin" and me.pk not in ids and not me.is_superuser:
                raise ValidationError({"users": ["you cannot take the admin role from yourself"]})
            obj.user_set.set(users)
        return {"success": True, "id": obj.pk}

    def delete(self, request: Request, obj: Any) -> None:
        raise MethodNotAllowed("DELETE", "built-in roles cannot be removed")


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
