"""SOAR's containers and artifacts: `/rest/container`, `/rest/artifact` and a container's
sub-resources."""

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
from engine.models import Artifact, Container
from engine.rest._common import TIMES, boolean, fields
from soar.rest.query import QuerySpec, SoarQuery, paginate
from soar.rest.resource import SoarResource, resource_urls
from soar.rest.schema import LIST_PARAMETERS, envelope


class ContainerResource(SoarResource):
    model = Container
    serializer = s.ContainerSerializer
    write_role = "analyst"
    error_answers = {"create": {409: "a container with this source_data_identifier exists (existing_container_id)"}}
    spec = QuerySpec(
        fields=fields(
            "id", "name", "label", "status", "severity", "sensitivity", "source_data_identifier",
            "external_id", "kill_chain", "container_type", "description", "due_time", "close_time",
            "artifact_count", "in_case", "tags", "data", "custom_fields", "ingest_app_id",
            "container_update_time", "artifact_update_time", *TIMES, owner="owner__username",
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
        run_automation = boolean(data, "run_automation", True)
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
                run_automation=run_automation and boolean(art, "run_automation", True),
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
        fields=fields(
            "id", "name", "label", "severity", "type", "kill_chain", "source_data_identifier",
            "hash", "description", "cef", "data", "tags", "update_time", "ingest_app_id", *TIMES,
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
            run_automation=boolean(data, "run_automation", False),
        )
        if outcome.artifact is None:
            return {"failed": True, "message": "artifact already exists", "existing_artifact_id": outcome.existing_id}, 409
        return {"success": True, "id": outcome.artifact.pk}, 200

    def delete(self, request: Request, obj: Any) -> None:
        Container.objects.filter(pk=obj.container_id).update(artifact_count=F("artifact_count") - 1)
        obj.delete()


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
    *resource_urls("container", ContainerResource()),
    path("container/<id:pk>/artifacts", ContainerArtifactsView.as_view(), name="rest-container-artifacts"),
    *resource_urls("artifact", ArtifactResource()),
]
