from __future__ import annotations

import json
from typing import Any

from rest_framework import serializers

from editor.activation import set_active
from editor.models import CustomFunction, Playbook
from soar.rest.resource import StrictModelSerializer

MAX_NAME = 256


class PlaybookSerializer(StrictModelSerializer):
    """Playbook metadata as SOAR's playbook records carry it (`scm` the repository's id,
    `version`, `python` the compiled module, `python_version`, `message` and
    `latest_editor` of the current version, `coa_data` with its notes) plus, on create and
    detail, the SOAR JSON document (`json`). The current version's fields come annotated by
    the resource's queryset (editor.rest.PlaybookResource), else from one query per playbook."""

    json = serializers.JSONField(required=False, write_only=True)
    owner: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="username", read_only=True)
    owner_id = serializers.IntegerField(read_only=True, allow_null=True)
    scm = serializers.SerializerMethodField()
    scm_id = serializers.SerializerMethodField()
    scm_name = serializers.CharField(source="repo", read_only=True)
    version = serializers.IntegerField(source="latest_version", read_only=True)
    python = serializers.SerializerMethodField()
    python_version = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()
    latest_editor = serializers.SerializerMethodField()
    coa_data = serializers.SerializerMethodField()

    class Meta:
        model = Playbook
        fields = [
            "id", "name", "repo", "scm", "scm_id", "scm_name", "category", "labels", "tags", "description", "notes",
            "playbook_type", "input_spec", "output_spec", "active", "draft_mode", "disabled",
            "latest_version", "version", "message", "latest_editor", "owner", "owner_id", "python", "python_version",
            "coa_data", "create_time", "update_time", "json",
        ]
        read_only_fields = [
            "id", "category", "labels", "tags", "description", "notes", "playbook_type",
            "input_spec", "output_spec", "draft_mode", "latest_version", "owner", "create_time", "update_time",
        ]

    def validate_name(self, value: str) -> str:
        if not value.strip() or len(value) > MAX_NAME or any(c in value for c in "/\\\x00\n\r"):
            raise serializers.ValidationError("must be 1-256 characters without slashes, NUL or newlines")
        return value

    def validate_json(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict) or not isinstance(value.get("coa"), dict):
            raise serializers.ValidationError("must be a SOAR playbook document (an object with a 'coa' object)")
        return value

    def create(self, validated: dict[str, Any]) -> Playbook:
        doc = validated.pop("json", None)
        if doc is None:
            raise serializers.ValidationError({"json": ["required: the SOAR playbook document"]})
        # Activation goes through its check (editor.activation) once the version is stored;
        # a refusal rolls the create back (the REST toolkit writes in one transaction).
        active = validated.pop("active", False)
        playbook = Playbook(owner=self.context["request"].user, **validated)
        playbook.save_version(json.dumps(doc, indent=4, sort_keys=True), author=playbook.owner, message="created")
        if active:
            set_active(playbook, True)
        return playbook

    def update(self, instance: Playbook, validated: dict[str, Any]) -> Playbook:
        doc = validated.pop("json", None)
        active = validated.pop("active", None)
        for key, value in validated.items():
            setattr(instance, key, value)
        instance.save()
        if doc is not None:
            instance.save_version(json.dumps(doc, indent=4, sort_keys=True), author=self.context["request"].user)
        if active is not None:
            # After the new version (if any): it is the one that gets activated.
            set_active(instance, active)
        return instance

    def to_representation(self, instance: Playbook) -> dict[str, Any]:
        data = super().to_representation(instance)
        if self.context.get("detail"):
            data["json"] = instance.document()
        return data

    def _current(self, instance: Playbook, field: str) -> Any:
        annotated = f"current_{field}"
        if hasattr(instance, annotated):
            return getattr(instance, annotated)
        version = instance.current()
        return getattr(version, field) if version is not None else None

    def _scm_ids(self) -> dict[str, int]:
        """Repository name -> id, as /rest/scm numbers them; once per response."""
        context: dict[str, Any] = self.context  # type: ignore[assignment] # DRF's context is a dict
        ids: dict[str, int] | None = context.get("_scm_ids")
        if ids is None:
            from engine.rest.system import repositories

            ids = {repo["name"]: repo["id"] for repo in repositories()}
            context["_scm_ids"] = ids
        return ids

    def get_scm(self, instance: Playbook) -> int | None:
        return self._scm_ids().get(instance.repo)

    def get_scm_id(self, instance: Playbook) -> int | None:
        return self._scm_ids().get(instance.repo)

    def get_python(self, instance: Playbook) -> str:
        """The module the current version runs (compiled when it was saved; "" when it does not compile)."""
        return str(self._current(instance, "compiled") or "")

    def get_python_version(self, instance: Playbook) -> str:
        return "3"

    def get_message(self, instance: Playbook) -> str:
        return str(self._current(instance, "message") or "")

    def get_coa_data(self, instance: Playbook) -> dict[str, str]:
        """The editor's texts of the playbook (SOAR clients read `coa_data.notes`)."""
        return {"description": instance.description, "notes": instance.notes}

    def get_latest_editor(self, instance: Playbook) -> int | None:
        editor: int | None = self._current(instance, "author_id")
        return editor


class CustomFunctionSerializer(StrictModelSerializer):
    class Meta:
        model = CustomFunction
        fields = [
            "id", "name", "repo", "description", "inputs", "outputs", "outputs_type", "python",
            "draft_mode", "builtin", "create_time", "update_time",
        ]
        read_only_fields = ["id", "builtin", "create_time", "update_time"]

    def validate_name(self, value: str) -> str:
        if not value.isidentifier():
            raise serializers.ValidationError("must be a Python identifier")
        return value
