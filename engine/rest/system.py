"""The platform itself, answered truthfully for this single deployment: `/rest/version`,
`/rest/system_info`, `/rest/system_settings`, `/rest/health`, `/rest/license`, `/rest/scm`,
`/rest/cluster_node`, `/rest/feature_flag`, `/rest/ingestion_status`.

Settings come from the environment (.env), so `system_settings` reads them and does not
write them; it shows no secret (no key, password or connection string).
"""
from __future__ import annotations

import math
import os
import shutil
import socket
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Min
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine import audit
from soar.ids import as_id, int_param
from soar.rest.schema import BOOL, INT, JSON_BODY, JSON_OBJECT, STR, answer, envelope, query_param, shape

# The Splunk SOAR release whose file formats and REST shapes Playbook Studio follows.
SOAR_COMPAT_VERSION = "6.2.0"
PRODUCT = "Playbook Studio"


def _iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def served_base_url(request: Request) -> str:
    """The configured base URL (SOAR_BASE_URL), else the one this request reached."""
    configured = str(getattr(settings, "SOAR_BASE_URL", "") or "").rstrip("/")
    return configured or request.build_absolute_uri("/").rstrip("/")


def _list(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"count": len(rows), "num_pages": 1 if rows else 0, "data": rows}


class VersionView(APIView):
    """`GET /rest/version`: the SOAR version whose playbook format this server speaks."""

    @extend_schema(responses=answer(shape(version=STR)))
    def get(self, request: Request) -> Response:
        return Response({"version": SOAR_COMPAT_VERSION})


SYSTEM_INFO = shape(base_url=STR, time_zone=STR, version=STR, product=STR, hostname=STR)


class SystemInfoView(APIView):
    """`GET /rest/system_info`: base URL (the one served when none is configured), time zone."""

    @extend_schema(responses=answer(SYSTEM_INFO))
    def get(self, request: Request) -> Response:
        return Response({"base_url": served_base_url(request), "time_zone": settings.TIME_ZONE,
                         "version": SOAR_COMPAT_VERSION, "product": PRODUCT, "hostname": socket.gethostname()})


def settings_sections(request: Request) -> dict[str, dict[str, Any]]:
    from engine.execution.brokers import using_rq

    return {
        "system_info": {"base_url": served_base_url(request), "time_zone": settings.TIME_ZONE,
                        "base_url_configured": bool(getattr(settings, "SOAR_BASE_URL", ""))},
        "decided_runner_settings": {
            "task_backend": "rq" if using_rq() else "db", "embedded_worker": settings.SOAR_EMBEDDED_WORKER,
            "worker_threads": settings.SOAR_WORKER_THREADS, "runners": settings.SOAR_RUNNERS,
            "runner_memory_mb": settings.SOAR_RUNNER_MEMORY_MB, "block_timeout_s": settings.SOAR_BLOCK_TIMEOUT_S,
            "lease_s": settings.SOAR_LEASE_S},
        "auth_settings": {"methods": ["ph-auth-token", "basic (password, or a token as the password)", "session"]},
        "audit_trail_settings": {"enabled": True, "categories": ["every REST write"]},
        "request_settings": {"max_body_bytes": settings.SOAR_MAX_BODY_BYTES,
                             "max_app_upload_bytes": settings.SOAR_MAX_APP_UPLOAD_BYTES},
        "clustering": {"enabled": False},
        "multi_tenant": {"enabled": False},
        "features": {name: value for name, value, _ in _flags()},
    }


SETTINGS_ANSWER = answer({"type": "object", "description": "section name -> its settings",
                          "additionalProperties": {"type": "object"}})


class SystemSettingsView(APIView):
    """`GET /rest/system_settings[?sections=["a","b"]]`. Settings are the environment's
    (.env); a POST is refused, saying so."""

    error_answers = {"POST": {405: "settings come from the environment (.env), not the API"}}

    @extend_schema(parameters=[query_param("sections", 'a JSON list of section names, e.g. ["clustering"]')],
                   responses={200: SETTINGS_ANSWER})
    def get(self, request: Request) -> Response:
        import json

        sections = settings_sections(request)
        raw = request.query_params.get("sections")
        if raw:
            try:
                wanted = json.loads(raw)
            except ValueError:
                wanted = [s.strip() for s in raw.split(",")]
            if not isinstance(wanted, list) or not all(isinstance(s, str) for s in wanted):
                raise ValidationError({"sections": ["must be a JSON list of section names"]})
            unknown = [s for s in wanted if s not in sections]
            if unknown:
                raise ValidationError({"sections": [f"unknown {', '.join(unknown)[:200]}; known: {', '.join(sections)}"]})
            sections = {s: sections[s] for s in wanted}
        return Response(sections)

    @extend_schema(request=JSON_BODY, responses={405: JSON_OBJECT})
    def post(self, request: Request) -> Response:
        return Response({"failed": True, "message": "settings come from the environment (.env) of this deployment; "
                                                    "change them there and restart"}, status=405)


HEALTH = shape(
    "SOAR's health shape: each service's state, and its latest check",
    status={"type": "object", "description": "service -> running | down", "additionalProperties": STR},
    all_running=BOOL,
    services={"type": "object", "description": "service -> its checks, latest last",
              "additionalProperties": {"type": "array", "items": {"type": "object"}}},
    load_data={"type": "object"}, db_data={"type": "object"}, vault_data={"type": "object"},
    last_snapshot_time=STR)


def _services() -> list[dict[str, Any]]:
    from engine.execution.brokers import connection as redis
    from engine.execution.brokers import using_rq

    services: list[dict[str, Any]] = [{"name": "web", "status": "running"}]
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        services.append({"name": "database", "status": "running", "vendor": connection.vendor})
    except Exception as exc:  # noqa: BLE001 - a health check reports what failed
        services.append({"name": "database", "status": "down", "message": type(exc).__name__})
    if using_rq():
        try:
            redis().ping()
            services.append({"name": "broker", "status": "running", "vendor": "redis"})
        except Exception as exc:  # noqa: BLE001
            services.append({"name": "broker", "status": "down", "message": type(exc).__name__})
    else:
        services.append({"name": "broker", "status": "running", "vendor": "database"})
    return services


class HealthView(APIView):
    """`GET /rest/health`: the services this deployment depends on, load and vault disk."""

    @extend_schema(responses=answer(HEALTH))
    def get(self, request: Request) -> Response:
        checked = _services()
        running = all(s["status"] == "running" for s in checked)
        now = _iso(timezone.now())
        services = {s["name"]: [{"time": now, "state": s["status"], "pid": os.getpid() if s["name"] == "web" else None,
                                 **{k: v for k, v in s.items() if k not in ("name", "status")}}] for s in checked}
        try:
            load = dict(zip(("1m", "5m", "15m"), os.getloadavg(), strict=True))
        except OSError:
            load = {}
        vault_dir = settings.SOAR_VAULT_DIR
        vault_dir.mkdir(parents=True, exist_ok=True)
        disk = shutil.disk_usage(vault_dir)
        return Response({
            "status": {s["name"]: s["status"] for s in checked}, "all_running": running, "services": services,
            "load_data": {**load, "cpus": os.cpu_count() or 1},
            "db_data": {"vendor": connection.vendor},
            "vault_data": {"total_bytes": disk.total, "used_bytes": disk.used, "free_bytes": disk.free},
            "last_snapshot_time": now,
        })


LICENSE = shape(product=STR, license_type=STR, expires=STR, limits={"type": "object"}, usage={"type": "object"})


class LicenseView(APIView):
    """`GET /rest/license`: Playbook Studio needs no licence key: no expiry and no limits."""

    @extend_schema(responses=answer(LICENSE))
    def get(self, request: Request) -> Response:
        from engine.models import ActionRun, Container

        today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        return Response({
            "product": PRODUCT, "license_type": "unlimited (no licence key)", "expires": "never",
            "limits": {"actions_per_day": None, "containers_per_day": None, "users": None},
            "usage": {"actions_today": ActionRun.objects.filter(create_time__gte=today).count(),
                      "containers_today": Container.objects.filter(create_time__gte=today).count()},
        })


# --- source control: the playbook repositories ------------------------------------------------


def repositories() -> list[dict[str, Any]]:
    """Playbook repositories are the `repo` names playbooks and custom functions carry
    ("local" first); ids follow that order."""
    from editor.models import CustomFunction, Playbook

    playbooks = dict(Playbook.objects.values_list("repo").annotate(n=Count("id")))
    functions = dict(CustomFunction.objects.values_list("repo").annotate(n=Count("id")))
    names = sorted(set(playbooks) | set(functions) | {"local"}, key=lambda n: (n != "local", n))
    return [{"id": i, "name": name, "type": "local", "uri": f"local://{name}", "branch": "", "disabled": False,
             "read_only": False, "playbooks": playbooks.get(name, 0), "custom_functions": functions.get(name, 0)}
            for i, name in enumerate(names, start=1)]


SCM = {"type": "object", "properties": {"id": INT, "name": STR, "type": STR, "uri": STR, "branch": STR,
                                         "disabled": BOOL, "read_only": BOOL, "playbooks": INT,
                                         "custom_functions": INT}}


class ScmListView(APIView):
    """`GET /rest/scm`: the playbook repositories (folders of this server, no git remote)."""

    error_answers = {"POST": {405: "repositories are named by the playbooks in them; there is no git sync"}}

    @extend_schema(responses={200: envelope(SCM)})
    def get(self, request: Request) -> Response:
        return Response(_list(repositories()))

    @extend_schema(request=JSON_BODY, responses={405: JSON_OBJECT})
    def post(self, request: Request) -> Response:
        return Response({"failed": True, "message": "repositories are named by the playbooks in them (their `repo`); "
                                                    "this deployment has no git remotes to add or sync"}, status=405)


class ScmDetailView(APIView):
    @extend_schema(responses={200: answer(SCM)})
    def get(self, request: Request, pk: int) -> Response:
        found = next((r for r in repositories() if r["id"] == pk), None)
        if found is None:
            raise Http404(f"no repository {pk}")
        return Response(found)


# --- cluster ------------------------------------------------------------------------------------

NODE = {"type": "object", "properties": {"id": INT, "name": STR, "status": STR, "ip_address": STR,
                                          "is_primary": BOOL, "version": STR, "last_seen": STR}}


def _node() -> dict[str, Any]:
    name = socket.gethostname()
    try:
        address = socket.gethostbyname(name)
    except OSError:
        address = "127.0.0.1"
    return {"id": 1, "name": name, "status": "running", "ip_address": address, "is_primary": True,
            "version": SOAR_COMPAT_VERSION, "last_seen": _iso(timezone.now())}


class ClusterNodeListView(APIView):
    """`GET /rest/cluster_node`: not clustered; the one node is this server."""

    @extend_schema(responses={200: envelope(NODE)})
    def get(self, request: Request) -> Response:
        return Response(_list([_node()]))


class ClusterNodeDetailView(APIView):
    @extend_schema(responses={200: answer(NODE)})
    def get(self, request: Request, pk: int) -> Response:
        if pk != 1:
            raise Http404(f"no cluster node {pk}: this deployment has one node (id 1)")
        return Response(_node())


class WarmStandbyView(APIView):
    """`GET /rest/warm_standby`: this deployment has no warm standby."""

    @extend_schema(responses=answer(shape(status=STR, warm_standby=BOOL, role=STR)))
    def get(self, request: Request) -> Response:
        return Response({"status": "off", "warm_standby": False, "role": "primary"})


# --- feature flags ------------------------------------------------------------------------------

# name -> (default, description, whether an admin may switch it). The fixed ones state what
# this deployment is; the switchable ones change what it does.
FLAGS: dict[str, tuple[bool, str, bool]] = {
    "restrict_global_search": (False, "global search answers non-admins containers, artifacts and notes only", True),
    "use_indicators": (True, "indicators are extracted from artifacts' CEF fields", False),
    "workbooks": (True, "containers follow workbooks (phases and tasks)", False),
    "clustering": (False, "several nodes share the work (this deployment has one)", False),
    "multi_tenant": (False, "tenants separate containers (this deployment has none)", False),
    "telemetry": (False, "usage data sent to a vendor (never)", False),
    "fips": (False, "FIPS mode", False),
}


def _flags() -> list[tuple[str, bool, dict[str, Any]]]:
    from engine.models import FeatureFlag

    stored = dict(FeatureFlag.objects.values_list("name", "enabled"))
    return [(name, bool(stored.get(name, default)) if editable else default,
             {"description": text, "editable": editable, "default": default})
            for name, (default, text, editable) in FLAGS.items()]


def flag(name: str) -> bool:
    """Whether the flag is on (its default unless an admin switched it)."""
    return next(value for flag_name, value, _ in _flags() if flag_name == name)


def _flag_row(index: int, name: str, value: bool, extra: dict[str, Any]) -> dict[str, Any]:
    return {"id": index, "name": name, "value": value, **extra}


FLAG = {"type": "object", "properties": {"id": INT, "name": STR, "value": BOOL, "description": STR,
                                          "editable": BOOL, "default": BOOL}}


def _flag_name(raw: str) -> str:
    """`_filter_name`'s value: a JSON string ("x"), a quoted one ('x') or bare."""
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    return raw


class FeatureFlagListView(APIView):
    """`/rest/feature_flag`: every flag (`_filter_name` narrows to one); POST `{"name",
    "value"}` switches one, as POST /rest/feature_flag/<name> does."""

    write_role = "admin"
    error_answers = {"POST": {404: "no such flag"}}

    @extend_schema(parameters=[query_param("_filter_name", "only the flag of this name")],
                   responses={200: envelope(FLAG)})
    def get(self, request: Request) -> Response:
        rows = [_flag_row(i, *f) for i, f in enumerate(_flags(), start=1)]
        wanted = request.query_params.get("_filter_name")
        if wanted is not None:
            rows = [r for r in rows if r["name"] == _flag_name(wanted)]
        return Response(_list(rows))

    @extend_schema(request=JSON_BODY, responses={200: answer(FLAG)})
    def post(self, request: Request) -> Response:
        data = request.data
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["expected a JSON object"]})
        name = data.get("name")
        if not isinstance(name, str) or not name:
            raise ValidationError({"name": ["this field is required (the flag's name)"]})
        return switch_flag(request, name, {k: v for k, v in data.items() if k != "name"})


class FeatureFlagDetailView(APIView):
    """`/rest/feature_flag/<name>`: GET it; POST `{"value": true|false}` switches it (admins,
    switchable flags only)."""

    write_role = "admin"
    error_answers = {"POST": {404: "no such flag"}}

    @extend_schema(responses={200: answer(FLAG)})
    def get(self, request: Request, name: str) -> Response:
        return Response(find_flag(name))

    @extend_schema(request=JSON_BODY, responses={200: answer(FLAG)})
    def post(self, request: Request, name: str) -> Response:
        return switch_flag(request, name, request.data)


def find_flag(name: str) -> dict[str, Any]:
    for index, found in enumerate(_flags(), start=1):
        if found[0] == name:
            return _flag_row(index, *found)
    raise Http404(f"no feature flag {name[:64]!r}; flags: {', '.join(FLAGS)}")


def switch_flag(request: Request, name: str, data: Any) -> Response:
    """Switch a flag an admin may switch to `data["value"]`, recording it in the trail."""
    from engine.models import FeatureFlag

    row = find_flag(name)
    if not isinstance(data, dict) or "value" not in data:
        raise ValidationError({"value": ["this field is required (true or false)"]})
    value = data["value"]
    if not isinstance(value, bool):
        raise ValidationError({"value": ["must be true or false"]})
    if not row["editable"]:
        raise ValidationError({"value": [f"{name} states what this deployment is; it cannot be switched"]})
    FeatureFlag.objects.update_or_create(name=name, defaults={"enabled": value, "update_time": timezone.now()})
    audit.record(request.user, "update", "feature_flag", None, message=f"{name}={value}", detail={"fields": ["value"]})
    return Response(find_flag(name))


# --- ingestion ----------------------------------------------------------------------------------

INGESTION = {"type": "object", "properties": {
    "id": INT, "asset": {"type": ["string", "null"]}, "asset_id": {"type": ["integer", "null"]}, "app": STR,
    "container_label": STR, "status": STR, "message": STR, "containers": INT, "start_time": STR, "end_time": STR,
    "update_time": STR}}


class IngestionStatusView(APIView):
    """`GET /rest/ingestion_status`: containers come in through the REST API (there are no
    polling assets), so each row is one source (asset, app, label) and what it brought."""

    @extend_schema(parameters=[query_param("page", "0-based page"), query_param("page_size", "rows per page"),
                               query_param("_filter_asset", "only this asset's containers (its id)")],
                   responses={200: envelope(INGESTION)})
    def get(self, request: Request) -> Response:
        from engine.models import Container

        page = int_param(request.query_params, "page", 0)
        page_size = int_param(request.query_params, "page_size", 10) or 1000
        rows_of = Container.objects.all()
        asset = request.query_params.get("_filter_asset") or request.query_params.get("_filter_asset_id")
        if asset:
            number = as_id(asset.strip().strip("'\""))
            if number is None:
                raise ValidationError({"_filter_asset": ["must be an asset id"]})
            rows_of = rows_of.filter(asset_id=number)
        groups = list(rows_of.values("asset_name", "asset_id", "ingest_app_id", "label")
                      .annotate(n=Count("id"), first=Min("create_time"), last=Max("create_time"))
                      .order_by("-last", "label"))
        rows = [{"id": i, "asset": g["asset_name"] or None, "asset_id": g["asset_id"], "app": g["ingest_app_id"],
                 "container_label": g["label"], "status": "success", "message": f"{g['n']} container(s) ingested",
                 "containers": g["n"], "start_time": _iso(g["first"]), "end_time": _iso(g["last"]),
                 "update_time": _iso(g["last"])} for i, g in enumerate(groups, start=1)]
        chunk = rows[page * page_size:(page + 1) * page_size]
        return Response({"count": len(rows), "num_pages": math.ceil(len(rows) / page_size) if rows else 0,
                         "data": chunk})


urlpatterns = [
    path("version", VersionView.as_view(), name="rest-version"),
    path("system_info", SystemInfoView.as_view(), name="rest-system-info"),
    path("system_settings", SystemSettingsView.as_view(), name="rest-system-settings"),
    path("health", HealthView.as_view(), name="rest-health"),
    path("license", LicenseView.as_view(), name="rest-license"),
    path("scm", ScmListView.as_view(), name="rest-scm"),
    path("scm/<id:pk>", ScmDetailView.as_view(), name="rest-scm-detail"),
    path("cluster_node", ClusterNodeListView.as_view(), name="rest-cluster-node"),
    path("cluster_node/<id:pk>", ClusterNodeDetailView.as_view(), name="rest-cluster-node-detail"),
    path("warm_standby", WarmStandbyView.as_view(), name="rest-warm-standby"),
    path("feature_flag", FeatureFlagListView.as_view(), name="rest-feature-flag"),
    path("feature_flag/<str:name>", FeatureFlagDetailView.as_view(), name="rest-feature-flag-detail"),
    path("ingestion_status", IngestionStatusView.as_view(), name="rest-ingestion-status"),
]
