"""JSON for the browser's run views (mounted at ``/api/``): run history, one run with its
stored events, what a block produced, and the prompts a user may answer.

Starting a run and answering a prompt stay on the SOAR REST API (``POST /rest/playbook_run``
with ``simulate_writes``, ``POST /rest/prompt/<id>/respond``); these endpoints only read.

* ``GET /api/runs?playbook=<id>&container=<id>&limit=<n>``  newest first
* ``GET /api/runs/<id>?after=<seq>&limit=<n>``               the run, the playbook version it
  ran (its SOAR JSON, for the canvas), waiting prompts, and stored events after ``after``
* ``GET /api/runs/<id>/blocks/<name>``                       action runs (with app runs and
  result data), outputs and format/filter output of one block
* ``GET /api/runs/<id>/prompts``                             prompts of the run, ``may_answer``
  for the requesting user
"""
from __future__ import annotations

import json
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine import redaction
from engine.events import as_message
from engine.models import ActionRun, AppRun, PlaybookRun, RunData, RunEvent, RunStep
from soar.ids import int_param

MAX_LIST = 200
DEFAULT_LIST = 50
MAX_EVENTS = 10_000
DEFAULT_EVENTS = 5_000
TERMINAL = ("success", "failed", "cancelled")
# Keys the runtime stores run data under for format and filter blocks (engine.runtime.datasource).
FORMAT_KEY = "__format__:"
FILTER_KEY = "__filter__:"


def _int_param(request: Request, name: str, default: int | None = None, *, minimum: int = 0,
               maximum: int | None = None) -> int | None:
    return int_param(request.query_params, name, default, minimum=minimum, maximum=maximum)


def run_summary(run: PlaybookRun) -> dict[str, Any]:
    """One row of the run history; the detail view adds to it."""
    version = run.playbook_version
    return {
        "id": run.pk,
        "playbook": run.playbook_id,
        "playbook_name": run.playbook.name,
        "version": version.number if version else None,
        "container": run.container_id,
        "container_name": run.container.name,
        "status": run.status,
        "message": run.message,
        "failed_block": run.failed_block,
        "scope": run.scope,
        "simulate_writes": run.simulate_writes,
        "owner": run.owner.get_username() if run.owner else None,
        "parent_run": run.parent_run_id,
        "start_time": run.start_time,
        "end_time": run.end_time,
        "event_count": run.event_seq,
        "url": f"/runs/{run.pk}",
    }


def _runs(user: Any = None) -> QuerySet[PlaybookRun]:
    """Runs the user may see (teams: engine.visibility), with what run_summary reads."""
    return (PlaybookRun.objects.visible_to(user)
            .select_related("playbook", "container", "owner", "playbook_version"))


def _prompt_rows(run: PlaybookRun, user: Any) -> list[dict[str, Any]]:
    # may_answer is the REST API's own rule, so the dialog never offers what the POST refuses.
    from engine.runs_api import may_answer

    steps = RunStep.objects.filter(run=run, kind="prompt").select_related("action_run").order_by("id")
    rows = []
    for step in steps:
        action_run = step.action_run
        parameter = step.payload.get("parameter", {})
        waiting = step.status == "waiting"
        rows.append({
            "id": step.action_run_id, "name": step.name,
            "status": "waiting" if waiting else (action_run.status if action_run else step.status),
            "message": parameter.get("message", ""), "response_types": parameter.get("response_types") or [],
            "to": step.payload.get("user"), "to_role": step.payload.get("role"),
            "respond_in_mins": step.payload.get("respond_in_mins"), "create_time": step.create_time,
            "may_answer": waiting and may_answer(user, step),
        })
    return rows


def _playbook_json(run: PlaybookRun) -> Any:
    version = run.playbook_version
    if version is None:
        return None
    try:
        return json.loads(version.json_text or "null")
    except ValueError:  # a broken stored file still lets the log and results show
        return None


def _query(name: str, description: str, kind: Any = OpenApiTypes.INT) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description)


class RunList(APIView):
    """``GET /api/runs``: run history of a playbook and/or a container, newest first."""

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[
        _query("playbook", "playbook id"), _query("container", "container id"),
        _query("status", "run status", OpenApiTypes.STR), _query("limit", f"at most this many (default {DEFAULT_LIST})")])
    def get(self, request: Request) -> Response:
        playbook = _int_param(request, "playbook", minimum=1)
        container = _int_param(request, "container", minimum=1)
        limit = _int_param(request, "limit", DEFAULT_LIST, minimum=1, maximum=MAX_LIST)
        runs = _runs(request.user).order_by("-id")
        if playbook is not None:
            runs = runs.filter(playbook_id=playbook)
        if container is not None:
            runs = runs.filter(container_id=container)
        status = request.query_params.get("status")
        if status:
            runs = runs.filter(status=status)
        total = runs.count()
        return Response({"count": total, "data": [run_summary(r) for r in runs[:limit]]})


class RunDetail(APIView):
    """``GET /api/runs/<id>``: everything a run view needs to paint a run from scratch."""

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[
        _query("after", "only events with a higher seq"), _query("limit", f"at most this many events (default {DEFAULT_EVENTS})")])
    def get(self, request: Request, pk: int) -> Response:
        run = get_object_or_404(_runs(request.user), pk=pk)
        after = _int_param(request, "after", 0) or 0
        limit = _int_param(request, "limit", DEFAULT_EVENTS, minimum=0, maximum=MAX_EVENTS) or 0
        rows = list(RunEvent.objects.filter(run=run, seq__gt=after).order_by("seq")[:limit])
        events = [as_message(e) for e in rows]
        last = events[-1]["seq"] if events else after
        children = [run_summary(c) for c in _runs(request.user).filter(parent_run=run).order_by("id")]
        return Response({
            **run_summary(run),
            "playbook_json": _playbook_json(run),
            "prompts": _prompt_rows(run, request.user),
            "children": children,
            "events": events,
            "last_seq": last,
            "more_events": last < run.event_seq,
            "finished": run.status in TERMINAL,
        })


def _app_run(app_run: AppRun) -> dict[str, Any]:
    return {"id": app_run.pk, "app": app_run.app.name if app_run.app else None,
            "asset": app_run.asset.name if app_run.asset else None, "status": app_run.status,
            "message": app_run.message, "simulated": app_run.simulated,
            "result_data": app_run.result_data, "result_summary": app_run.result_summary,
            "start_time": app_run.start_time, "end_time": app_run.end_time}


def _stored(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


class RunBlock(APIView):
    """``GET /api/runs/<id>/blocks/<name>``: what one block of the run produced.

    Action, custom function and prompt blocks answer their action runs with every app run's
    result data (what ``<name>:action_result.…`` datapaths read); code blocks their saved
    outputs (``<name>:<output>`` run data); format blocks their text; filters their sets.
    """

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int, name: str) -> Response:
        run = get_object_or_404(_runs(request.user), pk=pk)
        action_runs = (ActionRun.objects.filter(playbook_run=run).filter(Q(name=name) | Q(name__startswith=f"{name}_"))
                       .prefetch_related("app_runs__app", "app_runs__asset").order_by("id"))
        # "<name>_<n>" also matches unnamed phantom.act() calls of other blocks; keep only
        # exact names unless the block had none (hand-written playbooks number their calls).
        exact = [a for a in action_runs if a.name == name]
        chosen = exact or [a for a in action_runs if a.name[len(name) + 1:].isdigit()]
        child_ids = RunStep.objects.filter(run=run, kind="playbook", name=name).values_list("child_run_id", flat=True)
        children = [run_summary(c) for c in _runs(request.user).filter(pk__in=list(child_ids)).order_by("id")]
        data = RunData.objects.filter(run=run).filter(
            Q(key__startswith=f"{name}:") | Q(key=FORMAT_KEY + name) | Q(key__startswith=f"{FILTER_KEY}{name}:"))
        outputs: dict[str, Any] = {}
        formatted: Any = None
        filtered: dict[str, Any] = {}
        for row in data:
            if row.key == FORMAT_KEY + name:
                formatted = _stored(row.value)
            elif row.key.startswith(FILTER_KEY):
                filtered[row.key[len(FILTER_KEY):]] = _stored(row.value)
            else:
                outputs[row.key[len(name) + 1:]] = _stored(row.value)
        return Response({
            "run": run.pk, "block": name,
            "action_runs": [{"id": a.pk, "name": a.name, "action": a.action, "type": a.type, "status": a.status,
                             "message": a.message, "targets": a.targets,
                             "app_runs": [_app_run(r) for r in a.app_runs.all()]} for a in chosen],
            # Run data is the playbook's own state (it reads it back as written), so it is
            # stored as is and masked here, on its way to a browser.
            **redaction.scrub({"outputs": outputs, "formatted": formatted, "filtered": filtered}),
            "child_runs": children,
        })


class RunPrompts(APIView):
    """``GET /api/runs/<id>/prompts``: the run's prompts and whether this user may answer."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        run = get_object_or_404(_runs(request.user), pk=pk)
        return Response({"data": _prompt_rows(run, request.user)})


urlpatterns = [
    path("runs", RunList.as_view(), name="api-runs"),
    path("runs/<id:pk>", RunDetail.as_view(), name="api-run"),
    path("runs/<id:pk>/blocks/<str:name>", RunBlock.as_view(), name="api-run-block"),
    path("runs/<id:pk>/prompts", RunPrompts.as_view(), name="api-run-prompts"),
]
