"""Apps, assets and actions: `/rest/app` (and installing one), `/rest/app_action`,
`/rest/asset`, `/rest/action_run` (running one), `/rest/app_run`, `/rest/build_action`.

Action and app runs carry a playbook run's visibility (engine.visibility): the resources
read through `visible()`, the views below through `ActionRun.objects.visible_to`. An
action run posted here has no playbook run and belongs to its container alone.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import APIException, MethodNotAllowed, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine import serializers as s
from engine.models import ActionRun, App, AppAction, AppRun, Asset
from engine.rest import actions_status
from engine.rest._common import fields
from soar.rest.query import QuerySpec, SoarQuery, paginate
from soar.rest.resource import SoarResource, resource_urls
from soar.rest.schema import ARRAY, BOOL, INT, STR, answer, envelope, query_param, shape

# How a bundle says it is a tarball (gzip's magic, or tar's at offset 257); anything else
# is read as the app JSON. Its size is bounded by the request body limit (SOAR_MAX_BODY_BYTES).
_GZIP, _TAR_MAGIC = b"\x1f\x8b", b"ustar"
ENDED = ("success", "failed", "cancelled")


class Conflict(APIException):
    status_code = 409
    default_detail = "conflict"


_APP_RUNS = Prefetch("app_runs", queryset=AppRun.objects.select_related("app", "asset", "action_run"))


def decode_bundle(value: Any) -> bytes:
    """The bytes of SOAR's `app` field: base64 of a tarball or of the app JSON."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError({"app": ["required: the app bundle (.tgz or app JSON), base64-encoded"]})
    try:
        return base64.b64decode(value.strip(), validate=False)
    except (binascii.Error, ValueError):
        raise ValidationError({"app": ["App install failed: not base64: send the app's .tgz base64-encoded"]}) from None


def install_bundle(payload: bytes) -> tuple[App, str]:
    """Install (or update) the app in `payload`, parsed by the catalogue loader."""
    from engine.apps.catalogue import AppDefinitionError, load_app_bytes
    from engine.catalogue import sync_app

    tarball = payload[:2] == _GZIP or payload[257:262] == _TAR_MAGIC
    try:
        appdef = load_app_bytes(payload, "app.tgz" if tarball else "app.json")
        return sync_app(appdef)
    except AppDefinitionError as exc:
        raise ValidationError({"app": [f"App install failed: {exc.key_path}: {exc.problem}"]}) from None


class AppResource(SoarResource):
    model = App
    serializer = s.AppSerializer
    spec = QuerySpec(
        fields=fields("id", "appid", "name", "version", "product_vendor", "product_name", "builtin", "disabled",
                      app_version="version"),
        sortable=frozenset({"name", "product_vendor", "id"}), default_sort="name", default_order="asc",
    )

    def queryset(self, request: Request) -> Any:
        return App.objects.prefetch_related("actions")

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        """SOAR installs an app from its bundle: `{"app": "<base64 .tgz>"}`; posting a newer
        bundle of an installed app updates it."""
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["expected a JSON object"]})
        unknown = sorted(str(k) for k in data if k != "app")
        if unknown:
            raise ValidationError({k: ["unknown field: an app is installed from its bundle (`app`)"]
                                   for k in unknown[:20]})
        app, outcome = install_bundle(decode_bundle(data.get("app")))
        message = "App successfully imported." if outcome != "unchanged" else "App already installed (unchanged)."
        return {"success": True, "message": message, "id": app.pk}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        if isinstance(data, dict) and "app" in data:
            raise ValidationError({"app": ["post the bundle to /rest/app: it finds the app by its appid"]})
        if isinstance(data, dict):
            fixed = sorted(str(k) for k in data if k not in ("disabled", "id"))
            if fixed:
                raise ValidationError({k: ["comes from the app's bundle: install a new version to change it"]
                                       for k in fixed[:20]})
        return super().update(request, obj, data)


class AppActionResource(SoarResource):
    """`/rest/app_action`: every installed app's actions (read only: they come with the app)."""

    model = AppAction
    serializer = s.AppActionSerializer
    spec = QuerySpec(fields=fields("id", "name", "type", "identifier", action="name", app="app_id"),
                     sortable=frozenset({"name", "id"}), default_sort="id", default_order="asc")
    error_answers = {"create": {405: "actions come with their app's bundle"},
                     "update": {405: "actions come with their app's bundle"},
                     "delete": {405: "actions come with their app's bundle"}}

    def queryset(self, request: Request) -> Any:
        return AppAction.objects.all()

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        raise MethodNotAllowed("POST", "actions come with their app's bundle (POST /rest/app)")

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        raise MethodNotAllowed("POST", "actions come with their app's bundle (POST /rest/app)")

    def delete(self, request: Request, obj: Any) -> None:
        raise MethodNotAllowed("DELETE", "actions come with their app's bundle (DELETE /rest/app/<id>)")


class AssetResource(SoarResource):
    model = Asset
    serializer = s.AssetSerializer
    spec = QuerySpec(
        fields=fields("id", "name", "product_vendor", "product_name", "disabled", app="app_id", app_id="app_id"),
        sortable=frozenset({"name", "id"}), default_sort="name", default_order="asc",
    )

    def queryset(self, request: Request) -> Any:
        return Asset.objects.select_related("app")


class ActionRunResource(SoarResource):
    model = ActionRun
    serializer = s.ActionRunSerializer
    write_role = "analyst"
    spec = QuerySpec(
        fields=fields("id", "action", "name", "status", "type", "create_time",
                      playbook_run="playbook_run_id", playbook_run_id="playbook_run_id", container="container_id",
                      container_id="container_id"),
        sortable=frozenset({"id", "create_time", "status", "name"}),
    )
    error_answers = {"update": {409: "the action run has already started"},
                     "delete": {409: "the action run (or its playbook run) has not ended"}}

    def queryset(self, request: Request) -> Any:
        return ActionRun.objects.select_related("playbook_run").prefetch_related(_APP_RUNS)

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        """SOAR's run action: the action runs through the engine (engine.execution.adhoc)."""
        from engine.execution import adhoc
        from engine.rest.actions_run import parse

        asked = parse(data)
        action_run = ActionRun.objects.create(
            container=asked.container, action=asked.action, name=asked.name[:256], type=asked.type,
            targets=asked.targets, owner=request.user if request.user.is_authenticated else None)
        adhoc.start(action_run, asked.delay_s)
        return {"success": True, "action_run_id": action_run.pk, "id": action_run.pk,
                "message": f"Action '{asked.action}' started, action run id {action_run.pk}"}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        """SOAR cancels an action run with `{"cancel": true}`; nothing else is changed here.
        A playbook's action is cancelled with its run (POST /rest/playbook_run/<id>)."""
        if not isinstance(data, dict) or data.get("cancel") is not True or set(data) - {"cancel"}:
            raise ValidationError({"cancel": ["an action run is only changed by {\"cancel\": true}"]})
        if obj.playbook_run_id is not None:
            raise ValidationError({"cancel": ["this action belongs to a playbook run: cancel the run instead"]})
        if not ActionRun.objects.filter(pk=obj.pk, status="pending").update(status="cancelled"):
            raise Conflict(f"action run {obj.pk} is {obj.status}: only a pending one can be cancelled")
        return {"success": True, "id": obj.pk}

    def delete(self, request: Request, obj: Any) -> None:
        # A run's engine reads its action runs (callbacks, summaries) until it ends, and an
        # action still going has a task or step that would find nothing.
        if obj.status not in ENDED:
            raise Conflict(f"action run {obj.pk} is {obj.status}: cancel it, or let it end, first")
        if obj.playbook_run_id is not None and obj.playbook_run.status not in ENDED:
            raise Conflict(f"action run {obj.pk} belongs to playbook run {obj.playbook_run_id}, which has not ended")
        obj.delete()


class AppRunResource(SoarResource):
    """`/rest/app_run`: one asset's run of an action, with its result data (read only)."""

    model = AppRun
    serializer = s.AppRunSerializer
    spec = QuerySpec(
        fields=fields("id", "status", "start_time", "end_time", action_run="action_run_id",
                      action_run_id="action_run_id", app="app_id", asset="asset_id",
                      container="action_run__container_id", container_id="action_run__container_id",
                      playbook_run="action_run__playbook_run_id", playbook_run_id="action_run__playbook_run_id"),
        sortable=frozenset({"id", "start_time", "status"}),
    )
    error_answers = {"create": {405: "app runs are made by running an action (POST /rest/action_run)"},
                     "update": {405: "an app run's results are what its app answered"},
                     "delete": {405: "an app run goes with its action run"}}

    def queryset(self, request: Request) -> Any:
        return AppRun.objects.select_related("action_run", "app", "asset")

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        raise MethodNotAllowed("POST", "app runs are made by running an action (POST /rest/action_run)")

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        raise MethodNotAllowed("POST", "an app run's results are what its app answered")

    def delete(self, request: Request, obj: Any) -> None:
        raise MethodNotAllowed("DELETE", "an app run goes with its action run")


def _page(request: Request, resource: SoarResource, rows: Any) -> Response:
    query = SoarQuery(request.query_params, resource.spec, resource.model)
    page, page_size = query.page()
    count, num_pages, found = paginate(query.apply(rows), page, page_size)
    data = resource.serializer(found, many=True, context=resource.context(request)).data
    return Response({"count": count, "num_pages": num_pages, "data": data})


APP_ACTIONS = AppActionResource()
APP_RUNS = AppRunResource()


class AppActionsView(APIView):
    """GET /rest/app/<id>/actions: the app's actions (SOAR's list envelope)."""

    @extend_schema(parameters=[], responses=envelope())
    def get(self, request: Request, pk: int) -> Response:
        app = get_object_or_404(App, pk=pk)
        return _page(request, APP_ACTIONS, AppAction.objects.filter(app=app))


class ActionRunAppRunsView(APIView):
    """GET /rest/action_run/<id>/app_runs: the action run's app runs with their results."""

    @extend_schema(responses=envelope())
    def get(self, request: Request, pk: int) -> Response:
        action_run = get_object_or_404(ActionRun.objects.visible_to(request.user), pk=pk)
        return _page(request, APP_RUNS, AppRun.objects.visible_to(request.user).filter(action_run=action_run)
                     .select_related("action_run", "app", "asset"))


_ASSET_ROW = shape(id=INT, name=STR, apps=ARRAY, product_vendor=STR, product_name=STR, product_version=STR,
                   type=STR, description=STR, tags=ARRAY, disabled=BOOL, actions=ARRAY)
_APP_ROW = shape(id=INT, appid=STR, name=STR, app_version=STR, product_vendor=STR, product_name=STR, publisher=STR,
                 type=STR, python_version=STR, disabled=BOOL, actions=ARRAY)


class BuildActionView(APIView):
    """GET /rest/build_action: what SOAR's "run action" dialog reads: the enabled apps, their
    actions and the assets that can run them (`apps` of an asset: its app's id). `action`
    narrows to what can run that action, `app_id` to one app. Asset configurations are
    left out: they are not needed to pick an asset, and hold secrets."""

    @extend_schema(parameters=[query_param("action", "only what can run this action"),
                               query_param("app_id", "only this app (id or appid) and its assets")],
                   responses=answer({"type": "object", "required": ["apps", "actions", "assets"], "properties": {
                       "apps": {"type": "array", "items": _APP_ROW},
                       "actions": {"type": "array", "items": {"type": "object"}},
                       "assets": {"type": "array", "items": _ASSET_ROW}}}))
    def get(self, request: Request) -> Response:
        from engine.rest.actions_run import find_app

        action = request.query_params.get("action") or ""
        app_ref = request.query_params.get("app_id") or ""
        apps = App.objects.filter(disabled=False).order_by("id")
        if app_ref:
            apps = apps.filter(pk=find_app(app_ref, "app_id").pk)
        actions = AppAction.objects.filter(app__in=apps).order_by("app_id", "name")
        if action:
            actions = actions.filter(name=action)
        actions_of: dict[int, list[str]] = {}
        for app_id, name in actions.values_list("app_id", "name"):
            actions_of.setdefault(app_id, []).append(name)
        assets = Asset.objects.filter(disabled=False, app_id__in=list(actions_of)).select_related("app").order_by("name")
        app_rows = s.AppSerializer(apps.filter(pk__in=list(actions_of)), many=True).data
        return Response({
            "apps": [{key: row[key] for key in _APP_ROW["properties"] if key != "actions"}
                     | {"actions": actions_of[row["id"]]} for row in app_rows],
            "actions": s.AppActionSerializer(actions, many=True).data,
            "assets": [{"id": a.pk, "name": a.name, "apps": [a.app_id], "product_vendor": a.product_vendor,
                        "product_name": a.product_name, "product_version": a.product_version,
                        "type": s.AssetSerializer().get_type(a), "description": a.description, "tags": a.tags,
                        "disabled": a.disabled, "actions": actions_of[a.app_id]} for a in assets],
        })


urlpatterns = [
    *actions_status.urlpatterns,
    path("app/<id:pk>/actions", AppActionsView.as_view(), name="rest-app-actions"),
    path("action_run/<id:pk>/app_runs", ActionRunAppRunsView.as_view(), name="rest-action-run-app-runs"),
    path("build_action", BuildActionView.as_view(), name="rest-build-action"),
    *resource_urls("app", AppResource()),
    *resource_urls("app_action", APP_ACTIONS),
    *resource_urls("asset", AssetResource()),
    *resource_urls("action_run", ActionRunResource()),
    *resource_urls("app_run", APP_RUNS),
]
