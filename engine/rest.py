"""SOAR-compatible REST resources of the engine: containers, artifacts, notes, lists,
apps, assets, runs."""
from __future__ import annotations

from typing import Any

from django.db.models import F
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine import serializers as s
from engine.artifacts import create_artifact
from engine.models import ActionRun, App, Artifact, Asset, Container, CustomList, Note, PlaybookRun
from engine.rest_platform import urlpatterns as platform_urls
from engine.runs_api import urlpatterns as runs_urls
from soar.rest.query import QuerySpec, SoarQuery, paginate
from soar.rest.resource import SoarResource, resource_urls
from soar.rest.schema import LIST_PARAMETERS, envelope

_TIMES = ("create_time", "start_time", "end_time")


def _fields(*names: str, **paths: str) -> dict[str, str]:
    return {**{n: n for n in names}, **paths}


def _bool(data: dict[str, Any], key: str, default: bool = False) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ValidationError({key: ["must be true or false"]})
    return value


class ContainerResource(SoarResource):
    model = Container
    serializer = s.ContainerSerializer
    write_role = "analyst"
    error_answers = {"create": {409: "a container with this source_data_identifier exists (existing_container_id)"}}
    spec = QuerySpec(
        fields=_fields(
            "id", "name", "label", "status", "severity", "sensitivity", "source_data_identifier",
            "external_id", "kill_chain", "container_type", "description", "due_time", "close_time",
            "artifact_count", "in_case", "tags", "data", "custom_fields", "ingest_app_id",
            "container_update_time", "artifact_update_time", *_TIMES, owner="owner__username",
        ),
        json_objects=frozenset({"data", "custom_fields"}),
        json_lists=frozenset({"tags"}),
        sortable=frozenset({"name", "label", "status", "severity", "create_time", "due_time", "start_time"}),
    )

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["expected a JSON object"]})
        artifacts = data.get("artifacts", [])
        if not isinstance(artifacts, list) or not all(isinstance(a, dict) for a in artifacts):
            raise ValidationError({"artifacts": ["must be a list of artifact objects"]})
        run_automation = _bool(data, "run_automation", True)
        body = {k: v for k, v in data.items() if k not in ("artifacts", "run_automation")}
        sdi = body.get("source_data_identifier")
        if sdi:
            existing = Container.objects.filter(source_data_identifier=sdi).values_list("pk", flat=True).first()
            if existing is not None:
                return {"failed": True, "message": "container already exists", "existing_container_id": existing}, 409
        ser = self.serializer(data=body, context=self.context(request))
        ser.is_valid(raise_exception=True)
        container = ser.save()
        results = []
        for index, art in enumerate(artifacts):
            art_ser = s.ArtifactSerializer(data={**art, "container": container.pk})
            if not art_ser.is_valid():
                raise ValidationError({f"artifacts[{index}]": art_ser.errors})
            outcome = create_artifact(
                container, _artifact_body(art), creator=request.user,
                run_automation=run_automation and _bool(art, "run_automation", True),
            )
            results.append(
                {"success": True, "id": outcome.artifact.pk} if outcome.artifact
                else {"failed": True, "existing_artifact_id": outcome.existing_id, "message": "artifact already exists"}
            )
        body_out: dict[str, Any] = {"success": True, "id": container.pk}
        if artifacts:
            body_out["artifacts"] = results
        return body_out, 200


def _artifact_body(data: dict[str, Any]) -> dict[str, Any]:
    """The posted artifact as the hash sees it: without addressing and directives."""
    return {k: v for k, v in data.items() if k not in ("container", "container_id", "run_automation")}


class ArtifactResource(SoarResource):
    model = Artifact
    serializer = s.ArtifactSerializer
    write_role = "analyst"
    error_answers = {"create": {409: "the container already has this artifact (existing_artifact_id)"}}
    spec = QuerySpec(
        fields=_fields(
            "id", "name", "label", "severity", "type", "kill_chain", "source_data_identifier",
            "hash", "description", "cef", "data", "tags", "update_time", "ingest_app_id", *_TIMES,
            container="container_id",
        ),
        json_objects=frozenset({"cef", "data"}),
        json_lists=frozenset({"tags"}),
        sortable=frozenset({"name", "label", "severity", "create_time", "container"}),
    )

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        ser = self.serializer(data=data, context=self.context(request))
        ser.is_valid(raise_exception=True)
        container = ser.validated_data.get("container")
        if container is None:
            container = Container.objects.filter(pk=ser.validated_data["container_id"]).first()
            if container is None:
                raise ValidationError({"container_id": [f"no container with id {ser.validated_data['container_id']}"]})
        outcome = create_artifact(
            container, _artifact_body(data), creator=request.user,
            run_automation=_bool(data, "run_automation", False),
        )
        if outcome.artifact is None:
            return {"failed": True, "message": "artifact already exists", "existing_artifact_id": outcome.existing_id}, 409
        return {"success": True, "id": outcome.artifact.pk}, 200

    def delete(self, request: Request, obj: Any) -> None:
        Container.objects.filter(pk=obj.container_id).update(artifact_count=F("artifact_count") - 1)
        obj.delete()


class NoteResource(SoarResource):
    model = Note
    serializer = s.NoteSerializer
    write_role = "analyst"
    spec = QuerySpec(
        fields=_fields("id", "title", "note_type", "create_time", container="container_id", artifact="artifact_id"),
        sortable=frozenset({"create_time", "title"}),
    )

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        ser = self.serializer(data=data)
        ser.is_valid(raise_exception=True)
        from engine import redaction  # playbooks post notes here too (phantom.requests)

        text = redaction.scrub({k: ser.validated_data.get(k, "") for k in ("title", "content")})
        note = ser.save(author=request.user, **text)
        if note.artifact_id:
            Artifact.objects.filter(pk=note.artifact_id).update(has_note=True)
        return {"success": True, "id": note.pk}, 200


class CustomListResource(SoarResource):
    model = CustomList
    serializer = s.CustomListSerializer
    write_role = "analyst"
    spec = QuerySpec(fields=_fields("id", "name", "create_time", "update_time"), sortable=frozenset({"name"}))

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        ser = self.serializer(data=data)
        ser.is_valid(raise_exception=True)
        return {"success": True, "id": ser.save(owner=request.user).pk}, 200


class AppResource(SoarResource):
    model = App
    serializer = s.AppSerializer
    spec = QuerySpec(
        fields=_fields("id", "appid", "name", "version", "product_vendor", "product_name", "builtin"),
        sortable=frozenset({"name", "product_vendor"}), default_sort="name", default_order="asc",
    )

    def queryset(self, request: Request) -> Any:
        return App.objects.prefetch_related("actions")


class AssetResource(SoarResource):
    model = Asset
    serializer = s.AssetSerializer
    spec = QuerySpec(
        fields=_fields("id", "name", "product_vendor", "product_name", "disabled", app="app_id"),
        sortable=frozenset({"name"}), default_sort="name", default_order="asc",
    )

    def queryset(self, request: Request) -> Any:
        return Asset.objects.select_related("app")


class PlaybookRunResource(SoarResource):
    model = PlaybookRun
    serializer = s.PlaybookRunSerializer
    write_role = "analyst"
    spec = QuerySpec(
        fields=_fields("id", "status", "start_time", "end_time", "update_time",
                       playbook="playbook_id", container="container_id"),
        sortable=frozenset({"start_time", "status"}),
    )

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        from engine.runs_api import start_from_request

        return start_from_request(request, data)


class ActionRunResource(SoarResource):
    model = ActionRun
    serializer = s.ActionRunSerializer
    write_role = "analyst"
    spec = QuerySpec(
        fields=_fields("id", "action", "name", "status", "type", "create_time",
                       playbook_run="playbook_run_id", container="container_id"),
        sortable=frozenset({"create_time", "status", "name"}),
    )

    def queryset(self, request: Request) -> Any:
        return ActionRun.objects.prefetch_related("app_runs")

    error_answers = {"create": {405: "running actions from the REST API is not available"}}

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        # 405 like the other resources that cannot be posted to: not a server error.
        return {"failed": True, "message": "running actions from the REST API is not available yet"}, 405


class ContainerArtifactsView(APIView):
    """`GET /rest/container/<id>/artifacts`: the container's artifacts, SOAR's list envelope."""

    @extend_schema(responses=envelope(), parameters=LIST_PARAMETERS)
    def get(self, request: Request, pk: int) -> Response:
        if not Container.objects.filter(pk=pk).exists():
            return Response({"failed": True, "message": f"no container with id {pk}"}, status=404)
        res = ArtifactResource()
        query = SoarQuery(request.query_params, res.spec, Artifact)
        page, page_size = query.page()
        qs = query.apply(Artifact.objects.filter(container_id=pk))
        count, num_pages, rows = paginate(qs, page, page_size)
        return Response({"count": count, "num_pages": num_pages, "data": s.ArtifactSerializer(rows, many=True).data})


urlpatterns = [
    *runs_urls,
    *resource_urls("container", ContainerResource()),
    path("container/<id:pk>/artifacts", ContainerArtifactsView.as_view(), name="rest-container-artifacts"),
    *resource_urls("artifact", ArtifactResource()),
    *resource_urls("note", NoteResource()),
    *resource_urls("decided_list", CustomListResource()),
    *resource_urls("app", AppResource()),
    *resource_urls("asset", AssetResource()),
    *resource_urls("playbook_run", PlaybookRunResource()),
    *resource_urls("action_run", ActionRunResource()),
    *platform_urls,
]
