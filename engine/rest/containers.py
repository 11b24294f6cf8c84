"""SOAR's containers and artifacts: `/rest/container`, `/rest/artifact` and a container's
sub-resources (`/rest/container/<id>/actions`, `artifacts`, `audit`, `children`,
`playbook_runs`, `recommended_actions`; the case-work ones live in engine.rest.casework)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine import serializers as s
from engine.artifacts import BulkOutcome, contains_types, create_artifact, create_artifacts
from engine.models import ActionRun, App, Artifact, AuditEntry, Container, PlaybookRun
from engine.rest._common import TIMES, boolean, fields
from soar.rest.errors import _flatten
from soar.rest.query import QuerySpec, SoarQuery, paginate
from soar.rest.resource import SoarResource, resource_urls
from soar.rest.schema import ARRAY, BOOL, INT, LIST_PARAMETERS, STR, envelope, json_list, query_param, shape

# The most artifacts one POST may carry (a container's, or a list to /rest/artifact): SOAR
# documents no limit; this one keeps a request's memory and time bounded.
MAX_ARTIFACTS_PER_POST = 10_000


def _outcome_json(outcome: BulkOutcome) -> dict[str, Any]:
    if outcome.id is not None:
        return {"success": True, "id": outcome.id}
    return {"failed": True, "existing_artifact_id": outcome.existing_id, "message": "artifact already exists"}


def _container_ref(data: Any) -> Any:
    """The container an artifact body names: `container`, else SOAR's `container_id`."""
    if not isinstance(data, dict):
        return None
    return data.get("container") if data.get("container") is not None else data.get("container_id")


def _artifact_body(data: dict[str, Any]) -> dict[str, Any]:
    """The posted artifact as the hash sees it: without addressing and directives."""
    return {k: v for k, v in data.items() if k not in ("container", "container_id", "run_automation")}


def _audit_artifacts(user: Any, ids: list[int], container_id: int) -> None:
    """The trail's entries for artifacts created together, written in one statement."""
    real = user if getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    who = {"time": now, "user_id": getattr(real, "pk", None), "username": getattr(real, "username", "") or "",
           "action": "create", "object_type": "artifact", "container_id": container_id}
    AuditEntry.objects.bulk_create([AuditEntry(**who, object_id=pk) for pk in ids], batch_size=500)


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
            owner_id="owner_id", parent_container="parent_container_id",
        ),
        json_objects=frozenset({"data", "custom_fields"}),
        json_lists=frozenset({"tags"}),
        sortable=frozenset({"name", "label", "status", "severity", "create_time", "due_time", "start_time"}),
    )

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        """A container, with its `artifacts` when given (SOAR: one POST). Active playbooks start
        once, after the last artifact, unless the container's `run_automation` is false (an
        artifact's own run_automation is SOAR's to set in this POST, and ignored)."""
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["expected a JSON object"]})
        artifacts = data.get("artifacts", [])
        if not isinstance(artifacts, list) or not all(isinstance(a, dict) for a in artifacts):
            raise ValidationError({"artifacts": ["must be a list of artifact objects"]})
        if len(artifacts) > MAX_ARTIFACTS_PER_POST:
            raise ValidationError({"artifacts": [f"at most {MAX_ARTIFACTS_PER_POST} artifacts in one POST"]})
        run_automation = boolean(data, "run_automation", True)
        body = {k: v for k, v in data.items() if k not in ("artifacts", "run_automation")}
        sdi = body.get("source_data_identifier")
        if sdi and isinstance(sdi, str):
            existing = Container.objects.filter(source_data_identifier=sdi).values_list("pk", flat=True).first()
            if existing is not None:
                return {"failed": True, "message": "container already exists", "existing_container_id": existing}, 409
        ser = self.serializer(data=body, context=self.context(request))
        ser.is_valid(raise_exception=True)
        bodies = [_artifact_body(a) for a in artifacts]
        if bodies:
            _validate_artifacts(bodies)
        container = ser.save()
        if not bodies:
            return {"success": True, "id": container.pk}, 200
        outcomes = create_artifacts(container, bodies, creator=request.user, run_automation=run_automation,
                                    fresh_container=True)
        _audit_artifacts(request.user, [o.id for o in outcomes if o.id is not None], container.pk)
        return {"success": True, "id": container.pk, "artifacts": [_outcome_json(o) for o in outcomes]}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        if isinstance(data, dict) and "artifacts" in data:
            raise ValidationError({"artifacts": ["add artifacts to an existing container with POST /rest/artifact"]})
        return super().update(request, obj, data)


def _validate_artifacts(bodies: list[dict[str, Any]]) -> None:
    """Validate a container's artifacts, naming the first bad one as `artifacts[<index>]`: the
    plain ones by the serializer's table (ArtifactSerializer.plainly_valid), the others with
    one serializer for all (DRF binds its fields once, not per artifact)."""
    unsure = [i for i, body in enumerate(bodies) if not s.ArtifactSerializer.plainly_valid(body)]
    if not unsure:
        return
    errors = _item_errors([bodies[i] for i in unsure], {"container": True})
    if errors:
        n = min(errors)
        raise ValidationError({f"artifacts[{unsure[n]}]": errors[n]})


def _item_errors(items: list[Any], context: dict[str, Any]) -> dict[int, Any]:
    """Validate items with one serializer for all; the errors of the bad ones by position."""
    ser = s.ArtifactSerializer(data=items, many=True, context=context)
    if ser.is_valid():
        return {}
    errors: Any = ser.errors
    pairs = errors.items() if isinstance(errors, dict) else enumerate(errors)
    return {int(n): e for n, e in pairs if e}


class ArtifactResource(SoarResource):
    model = Artifact
    serializer = s.ArtifactSerializer
    write_role = "analyst"
    error_answers = {"create": {409: "the container already has this artifact (existing_artifact_id)"}}
    spec = QuerySpec(
        fields=fields(
            "id", "name", "label", "severity", "type", "kill_chain", "source_data_identifier",
            "hash", "description", "cef", "data", "tags", "update_time", "ingest_app_id", *TIMES,
            container="container_id", owner_id="owner_id",
        ),
        json_objects=frozenset({"cef", "data"}),
        json_lists=frozenset({"tags"}),
        sortable=frozenset({"name", "label", "severity", "create_time", "container"}),
    )

    def create(self, request: Request, data: Any) -> tuple[Any, int]:
        if isinstance(data, list):
            return self.create_many(request, data), 200
        ref = _container_ref(data)
        if type(ref) is int and 0 < ref < 2**63 and s.ArtifactSerializer.plainly_valid(_artifact_body(data)):
            # The common body (plain text and JSON, a container id): no serializer to build,
            # and the container is only checked to exist.
            if not Container.objects.filter(pk=ref).exists():
                raise ValidationError({"container_id": [f"no container with id {ref}"]})
            container = Container(pk=ref)
        else:
            ser = self.serializer(data=data, context=self.context(request))
            ser.is_valid(raise_exception=True)
            found: Container | None = ser.validated_data.get("container")
            if found is None:
                found = Container.objects.filter(pk=ser.validated_data["container_id"]).first()
                if found is None:
                    raise ValidationError({"container_id": [f"no container with id {ser.validated_data['container_id']}"]})
            container = found
        outcome = create_artifact(
            container, _artifact_body(data), creator=request.user,
            run_automation=boolean(data, "run_automation", False),
        )
        if outcome.artifact is None:
            return {"failed": True, "message": "artifact already exists", "existing_artifact_id": outcome.existing_id}, 409
        return {"success": True, "id": outcome.artifact.pk}, 200

    def create_many(self, request: Request, items: list[Any]) -> list[dict[str, Any]]:
        """SOAR's list POST: one result per item, in order; a bad item fails alone. The items
        of one container are created together and start its active playbooks once, after
        the last, when any of them asked (run_automation) and was new."""
        if len(items) > MAX_ARTIFACTS_PER_POST:
            raise ValidationError({"non_field_errors": [f"at most {MAX_ARTIFACTS_PER_POST} artifacts in one POST"]})
        results: list[dict[str, Any]] = [{"failed": True, "message": "expected an artifact object"}] * len(items)
        groups: dict[int, list[int]] = {}
        unsure: list[int] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            ref = _container_ref(item)
            if not isinstance(item.get("run_automation", False), bool):
                results[index] = {"failed": True, "message": "field 'run_automation': must be true or false"}
            elif type(ref) is int and 0 < ref < 2**63 and s.ArtifactSerializer.plainly_valid(_artifact_body(item)):
                groups.setdefault(ref, []).append(index)
            else:
                unsure.append(index)
        errors = _item_errors([items[i] for i in unsure], self.context(request)) if unsure else {}
        for n, index in enumerate(unsure):
            item = items[index]
            if n in errors:
                results[index] = {"failed": True, "message": "; ".join(_flatten(errors[n]))}
            else:
                groups.setdefault(int(_container_ref(item)), []).append(index)
        for indexes in groups.values():
            indexes.sort()
        containers = Container.objects.in_bulk([cid for cid in groups if 0 < cid < 2**63])
        for cid, indexes in groups.items():
            container = containers.get(cid)
            if container is None:
                for index in indexes:
                    results[index] = {"failed": True, "message": f"field 'container_id': no container with id {cid}"}
                continue
            outcomes = create_artifacts(
                container, [_artifact_body(items[i]) for i in indexes], creator=request.user,
                run_automation=any(items[i].get("run_automation", False) for i in indexes),
            )
            for index, outcome in zip(indexes, outcomes, strict=True):
                results[index] = _outcome_json(outcome)
            _audit_artifacts(request.user, [o.id for o in outcomes if o.id is not None], cid)
        return results

    def delete(self, request: Request, obj: Any) -> None:
        Container.objects.filter(pk=obj.container_id).update(artifact_count=F("artifact_count") - 1)
        obj.delete()


# --- a container's sub-resources ---------------------------------------------------------

class ContainerSubresource(APIView):
    """GET /rest/container/<id>/<what>: rows of one container, SOAR's list envelope with
    paging (`page`, `page_size`, `sort`, `order`, `_filter_*` where the rows have a spec).
    A container the user cannot see answers 404, like its own URL."""

    read_role = "viewer"

    def container(self, request: Request, pk: int) -> Container:
        return get_object_or_404(ContainerResource().visible(request), pk=pk)  # type: ignore[no-any-return]

    def page(self, request: Request, rows: Any, spec: QuerySpec, serialize: Any) -> Response:
        query = SoarQuery(request.query_params, spec, rows.model)
        page, page_size = query.page()
        count, num_pages, chosen = paginate(query.apply(rows), page, page_size)
        return Response({"count": count, "num_pages": num_pages, "data": serialize(chosen)})


ACTION_RUN_SPEC = QuerySpec(
    fields=fields("id", "action", "name", "status", "type", "create_time", "update_time", "close_time",
                  playbook_run="playbook_run_id"),
    sortable=frozenset({"create_time", "status", "name"}),
)
PLAYBOOK_RUN_SPEC = QuerySpec(
    fields=fields("id", "status", "start_time", "end_time", "update_time", playbook="playbook_id"),
    sortable=frozenset({"start_time", "status"}),
)


class ContainerActionsView(ContainerSubresource):
    """The container's action runs (those of runs the user may not see are left out)."""

    @extend_schema(responses=envelope(), parameters=LIST_PARAMETERS)
    def get(self, request: Request, pk: int) -> Response:
        container = self.container(request, pk)
        rows = ActionRun.objects.visible_to(request.user).filter(container=container).prefetch_related("app_runs")
        return self.page(request, rows, ACTION_RUN_SPEC, lambda r: s.ActionRunSerializer(r, many=True).data)


class ContainerArtifactsView(ContainerSubresource):
    @extend_schema(responses=envelope(), parameters=LIST_PARAMETERS)
    def get(self, request: Request, pk: int) -> Response:
        container = self.container(request, pk)
        return self.page(request, Artifact.objects.filter(container=container), ArtifactResource.spec,
                         lambda r: s.ArtifactSerializer(r, many=True).data)


class ContainerAuditView(ContainerSubresource):
    """SOAR's `/rest/container/<id>/audit`: the same answer as `/rest/audit?container=<id>`
    (engine.rest.audit: a bare array, newest first, `start`/`end`/`sort`/`format`/paging),
    entries of playbooks outside the reader's teams left out."""

    @extend_schema(responses={200: json_list()}, parameters=[
        query_param("start", "earliest time (ISO date or date-time; default 30 days ago)"),
        query_param("end", "latest time (ISO date or date-time; default now)"),
        query_param("sort", "asc (oldest first) or desc (default)", enum=["asc", "desc"]),
        query_param("format", "json (default) or csv", enum=["json", "csv"]),
        *LIST_PARAMETERS[:2],
    ])
    def get(self, request: Request, pk: int) -> Any:
        from engine.rest.audit import answer_trail  # the family that answers /rest/audit

        container = self.container(request, pk)
        return answer_trail(request, Q(container_id=container.pk) | Q(object_type="container", object_id=container.pk))


class ContainerChildrenView(ContainerSubresource):
    """The containers whose `parent_container` is this one."""

    @extend_schema(responses=envelope(), parameters=LIST_PARAMETERS)
    def get(self, request: Request, pk: int) -> Response:
        container = self.container(request, pk)
        rows = ContainerResource().visible(request).filter(parent_container=container).select_related("owner")
        return self.page(request, rows, ContainerResource.spec,
                         lambda r: s.ContainerSerializer(r, many=True, context={"request": request}).data)


class ContainerPlaybookRunsView(ContainerSubresource):
    """The container's playbook runs the user may see (team visibility)."""

    @extend_schema(responses=envelope(), parameters=LIST_PARAMETERS)
    def get(self, request: Request, pk: int) -> Response:
        container = self.container(request, pk)
        rows = PlaybookRun.objects.visible_to(request.user).filter(container=container)
        return self.page(request, rows, PLAYBOOK_RUN_SPEC, lambda r: s.PlaybookRunSerializer(r, many=True).data)


RECOMMENDED_ROW = shape(
    "an action of an installed app that takes a value of the container's artifacts",
    app_id=INT, app=STR, app_version=STR, action=STR, type=STR, description=STR, read_only=BOOL,
    parameters=ARRAY, contains=ARRAY, assets=ARRAY,
)


class ContainerRecommendedActionsView(ContainerSubresource):
    """SOAR's recommended actions: the actions of installed apps with a parameter whose
    `contains` types match a CEF type of the container's artifacts (their cef_types, else
    SOAR's default types of CEF fields), with the parameters that take them."""

    @extend_schema(responses=envelope(RECOMMENDED_ROW), parameters=LIST_PARAMETERS[:2])
    def get(self, request: Request, pk: int) -> Response:
        container = self.container(request, pk)
        query = SoarQuery(request.query_params, QuerySpec(fields={}, sortable=frozenset()), App)
        page, page_size = query.page()
        rows = recommended_actions(container)
        count = len(rows)
        if page_size:
            start = min(page * page_size, count)
            chosen, num_pages = rows[start:start + page_size], -(-count // page_size)
        else:
            chosen, num_pages = rows, 1 if count else 0
        return Response({"count": count, "num_pages": num_pages, "data": chosen})


def recommended_actions(container: Container) -> list[dict[str, Any]]:
    types = contains_types(Artifact.objects.filter(container=container).only("cef", "cef_types"))
    if not types:
        return []
    out = []
    # A disabled app runs no action, so it recommends none.
    for app in App.objects.filter(disabled=False).prefetch_related("actions", "assets").order_by("name", "id"):
        assets = sorted(a.name for a in app.assets.all() if not a.disabled)
        for action in sorted(app.actions.all(), key=lambda a: a.name):
            params = action.parameters if isinstance(action.parameters, dict) else {}
            taking = [
                {"name": name, "contains": sorted(set(spec.get("contains") or []) & types)}
                for name, spec in sorted(params.items())
                if isinstance(spec, dict) and isinstance(spec.get("contains"), list) and set(spec["contains"]) & types
            ]
            if taking:
                out.append({
                    "app_id": app.pk, "app": app.name, "app_version": app.version, "action": action.name,
                    "type": action.type, "description": action.description, "read_only": action.read_only,
                    "parameters": taking, "contains": sorted({c for p in taking for c in p["contains"]}),
                    "assets": assets,
                })
    return out


SUBRESOURCE_URLS = [
    path("container/<id:pk>/actions", ContainerActionsView.as_view(), name="rest-container-actions"),
    path("container/<id:pk>/artifacts", ContainerArtifactsView.as_view(), name="rest-container-artifacts"),
    path("container/<id:pk>/audit", ContainerAuditView.as_view(), name="rest-container-audit"),
    path("container/<id:pk>/children", ContainerChildrenView.as_view(), name="rest-container-children"),
    path("container/<id:pk>/playbook_runs", ContainerPlaybookRunsView.as_view(), name="rest-container-playbook-runs"),
    path("container/<id:pk>/recommended_actions", ContainerRecommendedActionsView.as_view(),
         name="rest-container-recommended-actions"),
]

ARTIFACT_RESULT = {
    "type": "object", "description": "one item's outcome: {success, id} or {failed, message[, existing_artifact_id]}",
    "properties": {"success": BOOL, "failed": BOOL, "id": INT, "existing_artifact_id": INT, "message": STR},
}


def _artifact_urls() -> list[Any]:
    """The toolkit's artifact routes, whose list POST also documents SOAR's list form."""
    urls = resource_urls("artifact", ArtifactResource())
    generated = urls[0].callback.view_class

    class ArtifactList(generated):  # type: ignore[valid-type,misc]
        @extend_schema(responses={200: OpenApiResponse(
            response={"oneOf": [shape("one artifact created", success=BOOL, id=INT),
                                {"type": "array", "items": ARTIFACT_RESULT}]},
            description="{success, id} for one artifact; for a list body, one result per item, in order",
        )})
        def post(self, request: Request) -> Response:
            return super().post(request)  # type: ignore[no-any-return]

    return [path("artifact", ArtifactList.as_view(), name="rest-artifact"), *urls[1:]]


urlpatterns = [
    *resource_urls("container", ContainerResource()),
    *SUBRESOURCE_URLS,
    *_artifact_urls(),
]
