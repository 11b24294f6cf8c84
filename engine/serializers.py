"""SOAR-shaped serializers for the engine's REST types."""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from engine.models import (
    ActionRun,
    App,
    AppAction,
    AppRun,
    Artifact,
    Asset,
    Container,
    CustomList,
    Note,
    PlaybookRun,
    Tag,
)
from engine.models.casework import container_severity, container_status
from soar.rest.resource import StrictModelSerializer

User = get_user_model()


def _string_list(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise serializers.ValidationError(f"{field} must be a list of strings")
    if len(value) > 200 or any(len(v) > 128 for v in value):
        raise serializers.ValidationError(f"{field}: at most 200 tags of at most 128 characters")
    return value


def _json_object(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise serializers.ValidationError(f"{field} must be a JSON object")
    return value


@extend_schema_field({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": True,
                      "description": "a user id or username; read back as the username"})
class UserRefField(serializers.Field):  # type: ignore[type-arg]
    """A user written as an id or a username, read back as the username (SOAR's `owner`)."""

    def to_representation(self, value: Any) -> Any:
        return value.get_username() if value else None

    def to_internal_value(self, data: Any) -> Any:
        if data in (None, ""):
            return None
        lookup = {"pk": data} if isinstance(data, int) and not isinstance(data, bool) else {"username": str(data)}
        user = User.objects.filter(**lookup).first()
        if user is None:
            raise serializers.ValidationError(f"no such user {data!r}")
        return user


def _configured(choose: Any, value: Any) -> str:
    """A status or severity as configured (/rest/container_status, /rest/severity): the
    configured spelling, or a 400 naming the allowed ones."""
    try:
        return str(choose(value))
    except ValueError as exc:
        raise serializers.ValidationError(str(exc)) from None


class ContainerSerializer(StrictModelSerializer):
    owner = UserRefField(required=False, allow_null=True)
    # SOAR's way to assign a container: the user's id (null: nobody owns it).
    owner_id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)
    owner_name = serializers.CharField(read_only=True)
    name = serializers.CharField(max_length=1024)
    parent_container = serializers.PrimaryKeyRelatedField(
        queryset=Container.objects.all(), required=False, allow_null=True,
        help_text="the id of the container this one is a child of (GET /rest/container/<id>/children)",
    )

    class Meta:
        model = Container
        fields = "__all__"
        read_only_fields = [
            "id", "hash", "version", "artifact_count", "create_time", "artifact_update_time",
            "container_update_time", "close_time", "current_rule_run_id",
        ]
        # Accepted on create (see engine.rest.containers.ContainerResource), not stored as fields.
        accepted_extra = ("artifacts", "run_automation")

    def validate_owner_id(self, value: int | None) -> int | None:
        if value is not None and not User.objects.filter(pk=value).exists():
            raise serializers.ValidationError(f"no user with id {value}")
        return value

    def validate_parent_container(self, value: Any) -> Any:
        if value is not None and self.instance is not None:
            # Walk up from the new parent: reaching this container would make a cycle.
            seen, current = {self.instance.pk}, value
            while current is not None:
                if current.pk in seen:
                    raise serializers.ValidationError("a container cannot be its own parent or ancestor")
                seen.add(current.pk)
                current = current.parent_container
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "owner_id" in attrs:
            owner_id = attrs.pop("owner_id")
            if "owner" in attrs and getattr(attrs["owner"], "pk", None) != owner_id:
                raise serializers.ValidationError({"owner_id": ["names another user than owner"]})
            attrs["owner"] = User.objects.get(pk=owner_id) if owner_id is not None else None
        return attrs

    def validate_tags(self, value: Any) -> list[str]:
        return _string_list(value, "tags")

    def validate_data(self, value: Any) -> dict[str, Any]:
        return _json_object(value, "data")

    def validate_custom_fields(self, value: Any) -> dict[str, Any]:
        return _json_object(value, "custom_fields")

    def validate_status(self, value: Any) -> str:
        return _configured(container_status, value)

    def validate_severity(self, value: Any) -> str:
        return _configured(container_severity, value)

    def save(self, **kwargs: Any) -> Any:
        obj = super().save(**kwargs)
        if obj.tags:
            Tag.register(list(obj.tags))
        return obj


class ArtifactSerializer(StrictModelSerializer):
    container_id = serializers.IntegerField(required=False, write_only=True)
    container = serializers.PrimaryKeyRelatedField(queryset=Container.objects.all(), required=False)
    owner_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Artifact
        exclude = ["owner", "parent_container", "parent_artifact"]
        read_only_fields = ["id", "hash", "version", "create_time", "update_time", "has_note"]
        accepted_extra = ("run_automation", "parent_container", "parent_artifact")

    def validate_tags(self, value: Any) -> list[str]:
        return _string_list(value, "tags")

    def validate_cef(self, value: Any) -> dict[str, Any]:
        return _json_object(value, "cef")

    def validate_cef_types(self, value: Any) -> dict[str, Any]:
        return _json_object(value, "cef_types")

    def validate_data(self, value: Any) -> dict[str, Any]:
        return _json_object(value, "data")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # context["container"]: the artifacts of a container's own POST, which name none.
        in_container = self.context.get("container") is not None
        if self.instance is None and not in_container and "container" not in attrs and "container_id" not in attrs:
            raise serializers.ValidationError({"container_id": ["required: the container the artifact belongs to"]})
        if self.instance is not None and ("container" in attrs or "container_id" in attrs):
            raise serializers.ValidationError({"container_id": ["an artifact cannot move to another container"]})
        return attrs

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["parent_container"] = instance.parent_container_id
        data["parent_artifact"] = instance.parent_artifact_id
        return data

    @classmethod
    def plainly_valid(cls, body: dict[str, Any]) -> bool:
        """True when this serializer certainly accepts `body` as an artifact of a known
        container; False means "ask the serializer" (which names the error, if any).

        Ingestion posts artifacts by the thousand, nearly all made of plain strings and JSON
        objects: a table derived once from the serializer's own fields decides those without
        running DRF's per-field machinery; any value it is not sure of (a date, non-ASCII
        text, an unknown key) goes through the serializer as usual.
        """
        checks = _plain_checks(cls)
        for key, value in body.items():
            check = checks.get(key)
            if check is None or not check(value):
                return False
        return True


_PLAIN_CHECKS: dict[type[Any], dict[str, Any]] = {}
_PLAIN_VALIDATORS = {"MaxLengthValidator", "ProhibitNullCharactersValidator", "ProhibitSurrogateCharactersValidator"}


def _plain_checks(cls: type[Any]) -> dict[str, Any]:
    """Field name -> a predicate that only says True for a value the field accepts as is."""
    known = _PLAIN_CHECKS.get(cls)
    if known is not None:
        return known
    probe = cls(context={"container": True})
    checks: dict[str, Any] = {name: (lambda v: True) for name in cls.Meta.accepted_extra}  # ignored here
    for name, field in probe.fields.items():
        if field.read_only:
            checks[name] = lambda v: True  # ignored on input
        elif type(field) is serializers.CharField and {type(v).__name__ for v in field.validators} <= _PLAIN_VALIDATORS:
            checks[name] = _plain_text(field.max_length, field.allow_blank, field.allow_null)
        elif type(field) is serializers.JSONField and not field.allow_null:
            method = getattr(probe, f"validate_{name}", None)
            checks[name] = _plain_json(method)
    _PLAIN_CHECKS[cls] = checks
    return checks


def _plain_text(max_length: int | None, allow_blank: bool, allow_null: bool) -> Any:
    def check(value: Any) -> bool:
        if value is None:
            return allow_null
        # ASCII only: DRF refuses NUL and surrogates, which ASCII text (bar NUL) cannot hold.
        return (type(value) is str and value.isascii() and "\x00" not in value
                and (max_length is None or len(value) <= max_length) and (allow_blank or bool(value.strip())))
    return check


def _plain_json(validate: Any) -> Any:
    def check(value: Any) -> bool:
        if value is None:
            return False
        if validate is None:
            return True
        try:
            validate(value)
        except serializers.ValidationError:
            return False
        return True
    return check


class NoteSerializer(StrictModelSerializer):
    """SOAR's note: `container_id` (or `container`), `note_type` general / artifact (with
    `artifact_id`) / task (with `task_id`), `note_format` markdown or html."""

    container = serializers.PrimaryKeyRelatedField(queryset=Container.objects.all(), required=False)
    container_id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    artifact_id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)
    task_id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)
    author = UserRefField(read_only=True)

    class Meta:
        model = Note
        fields = "__all__"
        read_only_fields = ["id", "create_time", "modified_time", "author"]
        # SOAR's task notes may name the phase too (the task says which it is); clients
        # (soarsdk) send an empty `attachments` list with every note.
        accepted_extra = ("phase_id", "attachments")

    def validate_note_type(self, value: str) -> str:
        if value not in ("general", "artifact", "task", "container"):
            raise serializers.ValidationError("must be one of general, artifact, task, container")
        return value

    def validate_note_format(self, value: str) -> str:
        if value not in ("markdown", "html", "text"):
            raise serializers.ValidationError("must be one of markdown, html, text")
        return value

    def _related(self, attrs: dict[str, Any], key: str, field: str, model: Any) -> Any:
        pk = attrs.pop(key, None)
        if pk is None:
            return attrs.get(field)
        obj = model.objects.filter(pk=pk).first()
        if obj is None:
            raise serializers.ValidationError({key: [f"no {field} with id {pk}"]})
        attrs[field] = obj
        return obj

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from engine.models import ContainerTask

        if getattr(self, "initial_data", {}).get("attachments") not in (None, []):
            raise serializers.ValidationError({"attachments": ["attach files with POST /rest/container_attachment"]})
        container = self._related(attrs, "container_id", "container", Container) \
            or getattr(self.instance, "container", None)
        if container is None:
            raise serializers.ValidationError({"container_id": ["this field is required"]})
        artifact = self._related(attrs, "artifact_id", "artifact", Artifact)
        task_pk = attrs.pop("task_id", None)
        note_type = attrs.get("note_type", getattr(self.instance, "note_type", "general"))
        if artifact is not None and artifact.container_id != container.pk:
            raise serializers.ValidationError({"artifact_id": ["the artifact is not in this container"]})
        if note_type == "artifact" and artifact is None and self.instance is None:
            raise serializers.ValidationError({"artifact_id": ["an artifact note needs the artifact's id"]})
        if task_pk is not None:
            task = ContainerTask.objects.filter(pk=task_pk).first()
            if task is None or task.container_id != container.pk:
                raise serializers.ValidationError({"task_id": [f"no task {task_pk} in container {container.pk}"]})
            attrs["_task"] = task
        elif note_type == "task" and self.instance is None:
            raise serializers.ValidationError({"task_id": ["a task note needs the task's id"]})
        return attrs

    def create(self, validated: dict[str, Any]) -> Note:
        task = validated.pop("_task", None)
        note = super().create(validated)
        if task is not None:
            task.notes.add(note)
        return note

    def update(self, instance: Note, validated: dict[str, Any]) -> Note:
        from django.utils import timezone

        task = validated.pop("_task", None)
        validated["modified_time"] = timezone.now()
        note = super().update(instance, validated)
        if task is not None:
            task.notes.add(note)
        return note

    def to_representation(self, instance: Note) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["container_id"] = instance.container_id
        data["artifact_id"] = instance.artifact_id
        tasks = [t.pk for t in instance.tasks.all()] if instance.pk else []
        data["task_id"] = tasks[0] if tasks else None
        return data


class CustomListSerializer(StrictModelSerializer):
    """SOAR's decided_list: `content` is a list of rows, each a list of cells."""

    owner = UserRefField(read_only=True)

    class Meta:
        model = CustomList
        fields = "__all__"
        read_only_fields = ["id", "create_time", "update_time", "owner"]

    def validate_content(self, value: Any) -> list[list[Any]]:
        # SOAR's reference says a flat list is wrapped as one row; this API has refused it
        # with a 400 since before (tests/api/test_rest_other_resources.py), and still does.
        if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
            raise serializers.ValidationError("content must be a list of rows, each a list of cells")
        return value


class AppActionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """SOAR's app_action: `action` is the action's name, `app` its app's id."""

    action = serializers.CharField(source="name", read_only=True)
    app = serializers.IntegerField(source="app_id", read_only=True)

    class Meta:
        model = AppAction
        fields = ["id", "app", "action", "name", "identifier", "description", "type", "read_only", "parameters",
                  "output", "versions"]


def _definition_text(app: App, key: str) -> str:
    value = (app.definition or {}).get(key) if isinstance(app.definition, dict) else None
    return value if isinstance(value, str) else ("" if value is None or isinstance(value, (dict, list)) else str(value))


class AppSerializer(StrictModelSerializer):
    """SOAR's app record. The fields SOAR reads from the app's JSON (publisher, python
    version, main module...) come from the stored definition; `disabled` is the only field
    an update changes. An app is installed by posting its bundle: `app` (base64 of the
    .tgz, or of the app JSON), see engine.rest.actions.AppResource."""

    actions = AppActionSerializer(many=True, read_only=True)
    app = serializers.CharField(write_only=True, required=False,
                                help_text="base64 of the app's .tgz bundle (or of its JSON): installs or updates it")
    app_version = serializers.CharField(source="version", read_only=True)
    publisher = serializers.SerializerMethodField()
    python_version = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    main_module = serializers.SerializerMethodField()
    min_phantom_version = serializers.SerializerMethodField()
    product_version_regex = serializers.SerializerMethodField()
    logo = serializers.SerializerMethodField()
    license = serializers.SerializerMethodField()
    package_name = serializers.SerializerMethodField()

    class Meta:
        model = App
        fields = [
            "id", "appid", "name", "version", "app_version", "publisher", "python_version", "type", "main_module",
            "min_phantom_version", "product_version_regex", "logo", "license", "package_name", "product_vendor",
            "product_name", "description", "configuration", "builtin", "disabled", "actions", "app",
            "create_time", "update_time",
        ]
        read_only_fields = ["id", "appid", "name", "version", "product_vendor", "product_name", "description",
                            "configuration", "builtin", "actions", "create_time", "update_time"]

    def get_publisher(self, app: App) -> str:
        return _definition_text(app, "publisher")

    def get_python_version(self, app: App) -> str:
        return _definition_text(app, "python_version") or "3"

    def get_type(self, app: App) -> str:
        return _definition_text(app, "type")

    def get_main_module(self, app: App) -> str:
        return _definition_text(app, "main_module")

    def get_min_phantom_version(self, app: App) -> str:
        return _definition_text(app, "min_phantom_version")

    def get_product_version_regex(self, app: App) -> str:
        return _definition_text(app, "product_version_regex") or ".*"

    def get_logo(self, app: App) -> str:
        return _definition_text(app, "logo")

    def get_license(self, app: App) -> str:
        return _definition_text(app, "license")

    def get_package_name(self, app: App) -> str:
        return _definition_text(app, "package_name")

    def validate_disabled(self, value: Any) -> bool:
        if not isinstance(self.initial_data.get("disabled"), bool):
            raise serializers.ValidationError("must be true or false")
        return bool(value)


class AssetSerializer(StrictModelSerializer):
    """SOAR's asset. Its app is named by `app` or `app_id` (id or appid), `app_guid`
    (appid), or found by `product_vendor` and `product_name` as SOAR does. Secret
    configuration values are write-only (engine.assets)."""

    app = serializers.PrimaryKeyRelatedField(queryset=App.objects.all(), required=False)
    app_id = serializers.JSONField(write_only=True, required=False,
                                   help_text="the app's id or appid (GUID), instead of `app`")
    app_guid = serializers.CharField(write_only=True, required=False, help_text="the app's appid (GUID)")
    type = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    primary_voting = serializers.SerializerMethodField()
    secondary_voting = serializers.SerializerMethodField()
    tenants = serializers.SerializerMethodField()
    automation_broker = serializers.SerializerMethodField()
    effective_user = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = [
            "id", "name", "app", "app_id", "app_guid", "type", "version", "description", "configuration", "tags",
            "product_vendor", "product_name", "product_version", "disabled", "primary_voting", "secondary_voting",
            "tenants", "automation_broker", "effective_user", "create_time", "update_time",
        ]
        read_only_fields = ["id", "create_time", "update_time"]
        # SOAR's asset fields this product does not model (polling, approvals, brokers):
        # accepted so a SOAR client's body is not refused, and not stored.
        accepted_extra = ("primary_voting", "secondary_voting", "tenants", "automation_broker_id",
                          "action_whitelist", "ingest", "validation", "token", "effective_user")

    def get_type(self, asset: Asset) -> str:
        return _definition_text(asset.app, "type") if asset.app_id else ""

    def get_version(self, asset: Asset) -> int:
        return 1

    def get_primary_voting(self, asset: Asset) -> int:
        return 0

    def get_secondary_voting(self, asset: Asset) -> int:
        return 0

    def get_tenants(self, asset: Asset) -> list[int]:
        return []

    def get_automation_broker(self, asset: Asset) -> int | None:
        return None

    def get_effective_user(self, asset: Asset) -> int | None:
        return None

    def validate_tags(self, value: Any) -> list[str]:
        return _string_list(value, "tags")

    def validate_configuration(self, value: Any) -> dict[str, Any]:
        return _json_object(value, "configuration")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from engine.rest.actions_run import find_app

        app_id, app_guid = attrs.pop("app_id", None), attrs.pop("app_guid", None)
        if app_id is not None:
            attrs["app"] = find_app(app_id, "app_id")
        elif app_guid is not None:
            attrs["app"] = find_app(app_guid, "app_guid")
        if self.instance is None and attrs.get("app") is None:
            vendor, product = attrs.get("product_vendor", ""), attrs.get("product_name", "")
            if not (vendor and product):
                raise serializers.ValidationError({"app": [
                    "required: app (or app_id, app_guid), or product_vendor and product_name of an installed app"]})
            app = (App.objects.filter(product_vendor__iexact=vendor, product_name__iexact=product)
                   .order_by("-id").first())
            if app is None:
                raise serializers.ValidationError({"product_name": [
                    f"no installed app for product_vendor {vendor!r} and product_name {product!r}"]})
            attrs["app"] = app
        app = attrs.get("app")
        if self.instance is None and app is not None:
            attrs.setdefault("product_vendor", app.product_vendor)
            attrs.setdefault("product_name", app.product_name)
        return attrs

    def to_representation(self, instance: Any) -> dict[str, Any]:
        from engine.assets import public_configuration

        data = super().to_representation(instance)
        data["configuration"] = public_configuration(instance)
        return data

    def create(self, validated: dict[str, Any]) -> Any:
        from engine.assets import store_configuration

        config = validated.pop("configuration", {})
        asset = Asset(**validated)
        store_configuration(asset, config)
        asset.save()
        return asset

    def update(self, instance: Any, validated: dict[str, Any]) -> Any:
        from engine.assets import store_configuration

        config = validated.pop("configuration", None)
        for key, value in validated.items():
            setattr(instance, key, value)
        if config is not None:
            store_configuration(instance, config)
        instance.save()
        return instance


class PlaybookRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """SOAR's playbook_run: `playbook_name` beside the playbook's id; `owner` and
    `effective_user` are the id of the user who started it (null: a trigger did)."""

    playbook_name = serializers.CharField(source="playbook.name", read_only=True)
    owner = serializers.IntegerField(source="owner_id", read_only=True, allow_null=True)
    effective_user = serializers.IntegerField(source="owner_id", read_only=True, allow_null=True)
    version = serializers.IntegerField(source="playbook_version.number", read_only=True, allow_null=True)

    class Meta:
        model = PlaybookRun
        fields = [
            "id", "playbook", "playbook_name", "version", "container", "status", "scope", "inputs", "outputs",
            "message", "failed_block", "test_mode", "cancelled", "log_level", "owner", "effective_user",
            "start_time", "update_time", "end_time", "parent_run",
        ]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if self.context.get("detail"):
            from engine.runs_api import run_log

            data.update(run_log(instance))
        return data


class AppRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """SOAR's app_run: one asset's run of an action, with its results (`result_data`)."""

    action = serializers.CharField(source="action_run.action", read_only=True)
    action_run = serializers.IntegerField(source="action_run_id", read_only=True)
    container = serializers.IntegerField(source="action_run.container_id", read_only=True)
    playbook_run = serializers.IntegerField(source="action_run.playbook_run_id", read_only=True, allow_null=True)
    app_name = serializers.CharField(source="app.name", read_only=True, allow_null=True)
    app_version = serializers.CharField(source="app.version", read_only=True, allow_null=True)
    asset_name = serializers.CharField(source="asset.name", read_only=True, allow_null=True)

    class Meta:
        model = AppRun
        fields = [
            "id", "action", "action_run", "container", "playbook_run", "app", "app_name", "app_version", "asset",
            "asset_name", "status", "message", "result_data", "result_summary", "exception_occured", "simulated",
            "start_time", "end_time",
        ]


class ActionRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """SOAR's action_run: an action on a container, from a playbook run or from
    `POST /rest/action_run` (then `playbook_run` is null); `app_runs` holds its results."""

    app_runs = AppRunSerializer(many=True, read_only=True)
    owner = serializers.IntegerField(source="owner_id", read_only=True, allow_null=True)
    playbook = serializers.IntegerField(source="playbook_run.playbook_id", read_only=True, allow_null=True)
    cancelled = serializers.SerializerMethodField()

    class Meta:
        model = ActionRun
        fields = [
            "id", "playbook_run", "playbook", "container", "owner", "action", "name", "type", "status", "cancelled",
            "targets", "message", "node_guid", "exec_order", "create_time", "update_time", "close_time", "app_runs",
        ]

    def get_cancelled(self, action_run: ActionRun) -> bool:
        return action_run.status == "cancelled"
