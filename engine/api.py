"""Editor-facing JSON API for the app catalogue and assets (mounted at ``/api/``).

Not SOAR's REST shape (that is ``/rest/app`` and ``/rest/asset``): these are the lists
the playbook editor's action picker and asset chooser read in one request each.

* ``GET  /api/apps``                           every app with its actions (any role)
* ``GET  /api/apps/<id>``                      one app, plus description and asset schema
* ``POST /api/apps/upload``                    multipart ``file``: app JSON or ``.tgz`` (admin)
* ``GET  /api/assets``                         every asset with its app and action names
* ``POST /api/assets/<id>/test_connectivity``  run the connector's check (admin)
"""
from __future__ import annotations

import gzip
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import path
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.apps import ActionDef, AppDefinitionError, connector_class, load_app_bytes
from engine.apps.dispatch import run_action
from engine.catalogue import appdef_for, handler_for_asset, sync_app
from engine.models import App, AppAction, Asset
from soar.rest.schema import JSON_OBJECT, answer, json_list

log = logging.getLogger(__name__)

# App tarballs bundle their Python wheels, so they are far bigger than a JSON body.
MAX_UPLOAD_BYTES: int = getattr(settings, "SOAR_MAX_APP_UPLOAD_BYTES", 100 * 1024 * 1024)

_ACTION_COLUMNS = ("id", "app", "name", "identifier", "description", "type", "read_only",
                   "parameters", "output")
_TEST_CONNECTIVITY = ActionDef(name="test connectivity", identifier="test_connectivity",
                               description="Validate the asset configuration for connectivity",
                               type="test", read_only=True, parameters=(), outputs=())


# -- shaping rows ---------------------------------------------------------------------


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _parameters(raw: Any) -> list[dict[str, Any]]:
    """Declared parameters in the order SOAR shows them (``order``, then as written).

    Rows were validated by ``parse_app`` when stored, so this only fills in defaults.
    """
    if not isinstance(raw, Mapping):
        return []
    params = []
    for position, (name, spec) in enumerate(raw.items()):
        spec = spec if isinstance(spec, Mapping) else {}
        order = spec.get("order")
        params.append((order if isinstance(order, int) else position, position, {
            "name": name,
            "data_type": spec.get("data_type") or "string",
            "required": bool(spec.get("required", False)),
            "contains": _list(spec.get("contains")),
            "default": spec.get("default"),
            "value_list": _list(spec.get("value_list")),
            "primary": bool(spec.get("primary", False)),
            "order": order if isinstance(order, int) else position,
            "description": spec.get("description") or "",
        }))
    params.sort(key=lambda p: (p[0], p[1]))
    return [p[2] for p in params]


def _outputs(raw: Any) -> list[dict[str, Any]]:
    return [{
        "data_path": out.get("data_path", ""),
        "data_type": out.get("data_type") or "string",
        "contains": _list(out.get("contains")),
        "example_values": _list(out.get("example_values")),
    } for out in _list(raw) if isinstance(out, Mapping)]


def _action(action: AppAction) -> dict[str, Any]:
    return {
        "name": action.name,
        "identifier": action.identifier,
        "description": action.description,
        "type": action.type,
        "read_only": action.read_only,
        "parameters": _parameters(action.parameters),
        "outputs": _outputs(action.output),
    }


def _app(app: App) -> dict[str, Any]:
    return {
        "id": app.pk,
        "appid": app.appid,
        "name": app.name,
        "version": app.version,
        "product_vendor": app.product_vendor,
        "product_name": app.product_name,
        "builtin": app.builtin,
        # Sorted here, not by the prefetch: AppAction's Meta ordering joins App again.
        "actions": [_action(a) for a in sorted(app.actions.all(), key=lambda a: a.name)],
    }


def _apps() -> Any:
    # The verbatim definition is most of a row's bytes and the list never shows it.
    actions = AppAction.objects.only(*_ACTION_COLUMNS).order_by()
    return (App.objects.defer("definition", "configuration", "description")
            .prefetch_related(Prefetch("actions", queryset=actions)))


class _ListCache:
    """The app list as JSON, one fragment per ``(app pk, update_time)``.

    With 207 apps the list is ~9 MB of JSON, mostly declared outputs: decoding the action
    rows and shaping them takes ~0.6 s, so each app is shaped once per version and a warm
    request costs one query over ``(id, update_time)``. ``sync_app`` moves update_time on
    every change; an edit that bypasses it (Django admin on AppAction) shows after the
    next sync or restart. The gzipped body of the latest list is kept too.
    """

    max_fragments = 4096

    def __init__(self) -> None:
        self._fragments: OrderedDict[tuple[int, datetime], bytes] = OrderedDict()
        self._gzipped: tuple[tuple[tuple[int, datetime], ...], bytes] | None = None
        self._lock = threading.Lock()

    def body(self) -> tuple[tuple[tuple[int, datetime], ...], bytes]:
        """``(key of this version of the list, JSON body)``."""
        rows = tuple(App.objects.values_list("pk", "update_time"))  # ordered by name
        fragments: dict[int, bytes] = {}
        with self._lock:
            for key in rows:
                if (cached := self._fragments.get(key)) is not None:
                    fragments[key[0]] = cached
        missing = [pk for pk, _ in rows if pk not in fragments]
        if missing:
            for app in _apps().filter(pk__in=missing):
                fragment = json.dumps(_app(app), separators=(",", ":")).encode()
                fragments[app.pk] = fragment
                with self._lock:
                    self._fragments[(app.pk, app.update_time)] = fragment
                    while len(self._fragments) > self.max_fragments:
                        self._fragments.popitem(last=False)
        # An app deleted between the two queries is simply left out.
        return rows, b"[" + b",".join(fragments[pk] for pk, _ in rows if pk in fragments) + b"]"

    def gzipped(self, key: tuple[tuple[int, datetime], ...], body: bytes) -> bytes:
        with self._lock:
            if self._gzipped is not None and self._gzipped[0] == key:
                return self._gzipped[1]
        packed = gzip.compress(body, compresslevel=5)
        with self._lock:
            self._gzipped = (key, packed)
        return packed


_list_cache = _ListCache()


def _failed(message: str, status: int, **extra: Any) -> Response:
    return Response({"failed": True, "message": message, **extra}, status=status)


# -- views ----------------------------------------------------------------------------


class AppListView(APIView):
    """``GET /api/apps``: the whole catalogue for the editor's action picker."""

    read_role = "viewer"

    @extend_schema(responses=json_list())
    def get(self, request: Request) -> HttpResponse:
        key, body = _list_cache.body()
        response = HttpResponse(content_type="application/json")
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response.content = _list_cache.gzipped(key, body)
            response["Content-Encoding"] = "gzip"
        else:
            response.content = body
        patch_vary_headers(response, ("Accept-Encoding",))
        return response


class AppDetailView(APIView):
    """``GET /api/apps/<id>``: one app as in the list, plus description and asset schema."""

    read_role = "viewer"

    @extend_schema(responses=JSON_OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        app = App.objects.prefetch_related(
            Prefetch("actions", queryset=AppAction.objects.order_by())).filter(pk=pk).first()
        if app is None:
            return _failed(f"no app with id {pk}", 404)
        return Response({**_app(app), "description": app.description,
                         "configuration": app.configuration})


class AppUploadView(APIView):
    """``POST /api/apps/upload``: install or update an app from its JSON or ``.tgz``.

    Multipart with a ``file`` field. Answers the sync outcome, or a 400 that names the
    file and the key path of the first problem.
    """

    write_role = "admin"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}, "required": ["file"]}}, responses=JSON_OBJECT)
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            return _failed("send the app as a multipart field named 'file'", 400)
        filename = upload.name or "upload"
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            return _failed(f"{filename}: larger than the limit of {MAX_UPLOAD_BYTES} bytes", 413)
        try:
            appdef = load_app_bytes(upload.read(), filename)
            app, outcome = sync_app(appdef)
        except AppDefinitionError as exc:
            return _failed(str(exc), 400, file=exc.source, key_path=exc.key_path,
                           problem=exc.problem)
        return Response({"success": True, "outcome": outcome, "id": app.pk, "appid": app.appid,
                         "name": app.name, "version": app.version,
                         "actions": len(appdef.actions)})


class AssetListView(APIView):
    """``GET /api/assets``: every asset with its app and the names of its actions."""

    read_role = "viewer"

    @extend_schema(responses=json_list())
    def get(self, request: Request) -> Response:
        assets = list(Asset.objects.select_related("app").only(
            "id", "name", "tags", "disabled", "app__id", "app__appid", "app__name"))
        names: dict[int, list[str]] = {}
        rows = (AppAction.objects.filter(app_id__in={a.app_id for a in assets})
                .order_by("app_id", "name").values_list("app_id", "name"))
        for app_id, name in rows:
            names.setdefault(app_id, []).append(name)
        return Response([{
            "id": asset.pk,
            "name": asset.name,
            "app_id": asset.app_id,
            "app_appid": asset.app.appid,
            "app_name": asset.app.name,
            "actions": names.get(asset.app_id, []),
            "tags": asset.tags,
            "disabled": asset.disabled,
        } for asset in assets])


class AssetTestConnectivityView(APIView):
    """``POST /api/assets/<id>/test_connectivity``: ``{success, message}``, never a 500.

    Runs the built-in connector's ``test connectivity`` with a deadline; a crash, a hang,
    a bad configuration or an app without a connector all answer ``success: false``.
    """

    write_role = "admin"
    timeout_s: float = 30.0

    @extend_schema(request=None, responses=answer({"type": "object", "required": ["success", "message"], "properties": {
        "success": {"type": "boolean"}, "message": {"type": "string"}}}))
    def post(self, request: Request, pk: int) -> Response:
        asset = Asset.objects.select_related("app").filter(pk=pk).first()
        if asset is None:
            return _failed(f"no asset with id {pk}", 404)
        success, message = self.check(asset)
        return Response({"success": success, "message": message})

    def check(self, asset: Asset) -> tuple[bool, str]:
        try:
            appdef = appdef_for(asset.app)
            if connector_class(appdef.appid) is None:
                # The simulator would "pass" with made-up data; say what really happens.
                return False, (f"app {asset.app.name!r} has no connector in Playbook Studio; "
                               "its actions run in the simulator, so there is nothing to connect to")
            action = next(filter(None, map(appdef.action, (
                "test connectivity", "test_connectivity", "test_asset_connectivity"))), None)
            handler = handler_for_asset(asset, simulate=False)
            result = run_action(handler, action or _TEST_CONNECTIVITY, {}, self.timeout_s)
        except Exception as exc:  # noqa: BLE001 - the answer must be a reason, not a 500
            log.exception("test connectivity of asset %s", asset.name)
            return False, f"{type(exc).__name__}: {exc}"
        return result.is_success(), result.get_message()


urlpatterns = [
    path("apps", AppListView.as_view(), name="api-apps"),
    path("apps/upload", AppUploadView.as_view(), name="api-apps-upload"),
    path("apps/<id:pk>", AppDetailView.as_view(), name="api-app"),
    path("assets", AssetListView.as_view(), name="api-assets"),
    path("assets/<id:pk>/test_connectivity", AssetTestConnectivityView.as_view(),
         name="api-asset-test-connectivity"),
]
