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


class ContainerSerializer(StrictModelSerializer):
    owner = UserRefField(required=False, allow_null=True)
    owner_id = serializers.IntegerField(read_only=True, allow_null=True)  # null: nobody owns it
    owner_name = serializers.CharField(read_only=True)
    name = serializers.CharField(max_length=1024)

    class Meta:
        model = Container
        exclude = ["parent_container"]
        read_only_fields = [
            "id", "hash", "version", "artifact_count", "create_time", "artifact_update_time",
            "container_update_time", "close_time", "current_rule_run_id",
        ]
        # Accepted on create (see engine.rest.containers.ContainerResource), not stored as fields.
        accepted_extra = ("artifacts", "run_automation", "parent_container")

    def validate_tags(self, value: Any) -> list[str]:
        return _string_list(value, "tags")

    def validate_data(self, value: Any) -> dict[str, Any]:
        return _json_object(value, "data")

    def validate_custom_fields(self, value: Any) -> dict[str, Any]:
        return _json_object(value, "custom_fields")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["parent_container"] = instance.parent_container_id
        return data

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
        if self.instance is None and "container" not in attrs and "container_id" not in attrs:
            raise serializers.ValidationError({"container_id": ["required: the container the artifact belongs to"]})
        if self.instance is not None and ("container" in attrs or "container_id" in attrs):
            raise serializers.ValidationError({"container_id": ["an artifact cannot move to another container"]})
        return attrs

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["parent_container"] = instance.parent_container_id
        data["parent_artifact"] = instance.parent_artifact_id
        return data


class NoteSerializer(StrictModelSerializer):
    container = serializers.PrimaryKeyRelatedField(queryset=Container.objects.all())
    container_id = serializers.IntegerField(read_only=True)
    author = UserRefField(read_only=True)

    class Meta:
        model = Note
        fields = "__all__"
        read_only_fields = ["id", "create_time", "modified_time", "author"]

    def validate_note_type(self, value: str) -> str:
        if value not in ("general", "artifact", "task", "container"):
            raise serializers.ValidationError("must be one of general, artifact, task, container")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        artifact = attrs.get("artifact")
        container = attrs.get("container") or getattr(self.instance, "container", None)
        if artifact is not None and container is not None and artifact.container_id != container.pk:
            raise serializers.ValidationError({"artifact": ["the artifact is not in this container"]})
        return attrs


class CustomListSerializer(StrictModelSerializer):
    owner = UserRefField(read_only=True)

    class Meta:
        model = CustomList
        fields = "__all__"
        read_only_fields = ["id", "create_time", "update_time", "owner"]

    def validate_content(self, value: Any) -> list[list[Any]]:
        if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
            raise serializers.ValidationError("content must be a list of rows, each a list of cells")
        return value


class AppActionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AppAction
        fields = ["id", "name", "identifier", "description", "type", "read_only", "parameters", "output", "versions"]


class AppSerializer(StrictModelSerializer):
    actions = AppActionSerializer(many=True, read_only=True)

    class Meta:
        model = App
        fields = [
            "id", "appid", "name", "version", "product_vendor", "product_name", "description",
            "configuration", "builtin", "actions", "create_time", "update_time",
        ]
        read_only_fields = ["id", "builtin", "actions", "create_time", "update_time"]


class AssetSerializer(StrictModelSerializer):
    app = serializers.PrimaryKeyRelatedField(queryset=App.objects.all())

    class Meta:
        model = Asset
        fields = [
            "id", "name", "app", "description", "configuration", "tags", "product_vendor",
            "product_name", "product_version", "disabled", "create_time", "update_time",
        ]
        read_only_fields = ["id", "create_time", "update_time"]

    def validate_tags(self, value: Any) -> list[str]:
        return _string_list(value, "tags")

    def validate_configuration(self, value: Any) -> dict[str, Any]:
        return _json_object(value, "configuration")

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
    class Meta:
        model = PlaybookRun
        fields = [
            "id", "playbook", "container", "status", "scope", "inputs", "outputs", "message",
            "failed_block", "test_mode", "cancelled", "log_level", "start_time", "update_time", "end_time",
            "parent_run",
        ]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if self.context.get("detail"):
            from engine.runs_api import run_log

            data.update(run_log(instance))
        return data


class AppRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AppRun
        fields = [
            "id", "app", "asset", "status", "message", "result_data", "result_summary",
            "exception_occured", "simulated", "start_time", "end_time",
        ]


class ActionRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    app_runs = AppRunSerializer(many=True, read_only=True)

    class Meta:
        model = ActionRun
        fields = [
            "id", "playbook_run", "container", "action", "name", "type", "status", "targets",
            "message", "node_guid", "exec_order", "create_time", "update_time", "close_time", "app_runs",
        ]
