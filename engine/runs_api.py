"""Starting runs, reading their log, and answering prompts over the SOAR REST API."""
from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import Group
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.models import ActionRun, Container, PlaybookRun, RunEvent, RunStep
from soar.rest.query import QuerySpec, SoarQuery, paginate
from soar.rest.schema import INT, LIST_PARAMETERS, SAVED, STR, envelope, shape
from soar.roles import has_role


def start_from_request(request: Request, data: Any) -> tuple[dict[str, Any], int]:
    """POST /rest/playbook_run: {container_id, playbook_id ("repo/name" or id), scope, run, inputs}."""
    from engine.execution.runs import RunError, find_playbook, start_run

    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["expected a JSON object"]})
    unknown = sorted(set(data) - {"container_id", "playbook_id", "scope", "run", "inputs", "simulate_writes"})
    if unknown:
        raise ValidationError({k: ["unknown field"] for k in unknown})
    if data.get("run", True) is not True:
        raise ValidationError({"run": ["must be true (a run is started when it is posted)"]})
    cid = data.get("container_id")
    if not isinstance(cid, int) or isinstance(cid, bool):
        raise ValidationError({"container_id": ["required: the id of the container to run on"]})
    container = Container.objects.filter(pk=cid).first()
    if container is None:
        raise ValidationError({"container_id": [f"no container with id {cid}"]})
    inputs = data.get("inputs") or {}
    if isinstance(inputs, str):
        try:
            inputs = json.loads(inputs)
        except ValueError:
            raise ValidationError({"inputs": ["must be an object or a JSON string of one"]}) from None
    if not isinstance(inputs, dict):
        raise ValidationError({"inputs": ["must be an object of input name -> value(s)"]})
    simulate = data.get("simulate_writes", True)
    if not isinstance(simulate, bool):
        raise ValidationError({"simulate_writes": ["must be true or false"]})
    try:
        playbook = find_playbook(data.get("playbook_id"), user=request.user)  # team visibility
    except RunError as exc:
        raise ValidationError({"playbook_id": [str(exc)]}) from None
    if inputs and playbook.playbook_type != "data":
        raise ValidationError({"inputs": [f"{playbook.name} is not an input playbook and takes no inputs"]})
    try:
        run = start_run(playbook, container, scope=data.get("scope", "new"), owner=request.user, inputs=inputs,
                        simulate_writes=simulate)
    except RunError as exc:
        raise ValidationError({"playbook_id": [str(exc)]}) from None
    return {"received": True, "success": True, "playbook_run_id": run.pk, "id": run.pk}, 200


def run_log(run: PlaybookRun) -> dict[str, Any]:
    """Status, blocks executed in order, action runs and debug lines of a run."""
    events = list(RunEvent.objects.filter(run=run).order_by("seq").values("seq", "kind", "payload", "created"))
    return {
        "blocks": [e["payload"].get("block") for e in events if e["kind"] == "block.started"],
        "log": [{"seq": e["seq"], "level": e["payload"].get("level", "debug"), "block": e["payload"].get("block"),
                 "message": e["payload"].get("message"), "time": e["created"]} for e in events if e["kind"] == "debug"],
        "action_runs": [{"id": a.pk, "name": a.name, "action": a.action, "type": a.type, "status": a.status,
                         "message": a.message} for a in ActionRun.objects.filter(playbook_run=run).order_by("id")],
        "event_count": len(events),
    }


def may_answer(user: Any, step: RunStep) -> bool:
    if not has_role(user, "analyst"):
        return False
    if has_role(user, "admin"):
        return True
    to_user, to_role = step.payload.get("user"), step.payload.get("role")
    names = {to_user} if isinstance(to_user, str) else set(to_user or [])
    roles = {to_role} if isinstance(to_role, str) else set(to_role or [])
    if user.get_username() in names:
        return True
    groups = set(Group.objects.filter(user=user).values_list("name", flat=True))
    # SOAR addresses prompts to users or roles by name; a user name may also be a role's.
    return bool(groups & (roles | names))


class PromptListView(APIView):
    """GET /rest/prompt: prompts still waiting for an answer that this user may give."""

    read_role = "analyst"

    @extend_schema(responses=envelope())
    def get(self, request: Request) -> Response:
        waiting = (RunStep.objects.visible_to(request.user).filter(kind="prompt", status="waiting")
                   .select_related("action_run", "run"))
        data = [{"id": s.action_run_id, "name": s.name, "playbook_run": s.run_id, "container": s.run.container_id,
                 "message": s.payload.get("parameter", {}).get("message"), "to": s.payload.get("user"),
                 "to_role": s.payload.get("role"), "response_types": s.payload.get("parameter", {}).get("response_types"),
                 "respond_in_mins": s.payload.get("respond_in_mins"), "create_time": s.create_time}
                for s in waiting if may_answer(request.user, s)]
        return Response({"count": len(data), "num_pages": 1, "data": data})


class PromptRespondView(APIView):
    """POST /rest/prompt/<action_run_id>/respond {"responses": [...]}: answer a prompt."""

    method_roles = {"POST": "analyst"}
    error_answers = {"POST": {409: "the prompt was already answered or timed out"}}

    @extend_schema(request={"application/json": {"type": "object", "required": ["responses"], "properties": {
        "responses": {"type": "array", "items": {}}}}}, responses=SAVED)
    def post(self, request: Request, pk: int) -> Response:
        from engine.execution.prompts import PromptError, answer_prompt

        action_run = get_object_or_404(ActionRun.objects.visible_to(request.user), pk=pk, type="prompt")
        step = RunStep.objects.filter(action_run=action_run, kind="prompt").first()
        if step is None or not may_answer(request.user, step):
            raise PermissionDenied("this prompt is addressed to somebody else")
        responses = request.data.get("responses") if isinstance(request.data, dict) else None
        if not isinstance(responses, list):
            raise ValidationError({"responses": ["required: a list with one answer per question"]})
        questions = step.payload.get("parameter", {}).get("response_types") or []
        for index, (answer, question) in enumerate(zip(responses, questions, strict=False)):
            choices = ((question or {}).get("options") or {}).get("choices")
            if choices and answer not in choices:
                raise ValidationError({f"responses[{index}]": [f"must be one of {choices}"]})
        try:
            answer_prompt(action_run, request.user, responses)
        except PromptError as exc:
            return Response({"failed": True, "message": str(exc)}, status=409)
        return Response({"success": True, "id": action_run.pk})


LOG_ROW = shape(
    "one entry of a run's log: a debug line, a block that started, an action that ran, ...",
    id=INT, seq=INT, playbook_run=INT, playbook=INT, container=INT, message_type=STR, level=STR,
    block={"type": ["string", "null"]}, message=STR, time=STR,
)
LOG_SPEC = QuerySpec(fields={"id": "id", "seq": "seq", "message_type": "kind", "time": "created"},
                     sortable=frozenset({"seq", "time"}), default_sort="seq", default_order="asc")


def _log_message(kind: str, payload: dict[str, Any]) -> str:
    """What a log entry says: a debug line's text, else the event's own message, else its kind."""
    message = payload.get("message")
    if isinstance(message, str) and message:
        return message
    if message is not None and not isinstance(message, str):
        return json.dumps(message, default=str)
    block = payload.get("block")
    return f"{kind}: {block}" if block else kind


class PlaybookRunLogView(APIView):
    """GET /rest/playbook_run/<id>/log: the run's log in SOAR's list envelope
    `{count, num_pages, data}`, oldest first, paged (`page`, `page_size`) and filterable
    (`_filter_message_type="debug"`) like every list."""

    @extend_schema(parameters=LIST_PARAMETERS, responses=envelope(LOG_ROW))
    def get(self, request: Request, pk: int) -> Response:
        run = get_object_or_404(PlaybookRun.objects.visible_to(request.user).only("id", "playbook_id", "container_id"),
                                pk=pk)
        query = SoarQuery(request.query_params, LOG_SPEC, RunEvent)
        page, page_size = query.page()
        events = query.apply(RunEvent.objects.filter(run_id=run.pk))
        count, num_pages, rows = paginate(events, page, page_size)
        data = [{"id": e.pk, "seq": e.seq, "playbook_run": run.pk, "playbook": run.playbook_id,
                 "container": run.container_id, "message_type": e.kind, "level": str(e.payload.get("level", "info")),
                 "block": e.payload.get("block"), "message": _log_message(e.kind, e.payload), "time": e.created}
                for e in rows]
        return Response({"count": count, "num_pages": num_pages, "data": data})


urlpatterns = [
    path("prompt", PromptListView.as_view(), name="rest-prompt"),
    path("prompt/<id:pk>/respond", PromptRespondView.as_view(), name="rest-prompt-respond"),
    path("playbook_run/<id:pk>/log", PlaybookRunLogView.as_view(), name="rest-playbook-run-log"),
]
