"""The editor's JSON API (`/api/…`): playbooks with versions, compile/validate, import and
export, activation, and the pickers' data (custom functions, containers, CEF fields)."""
from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from editor import files
from editor.activation import ActivationRefused, check, set_active
from editor.compiler import CompileError
from editor.graph.errors import SoarFormatError
from editor.models import CustomFunction, Playbook, PlaybookVersion
from editor.models.playbooks import StaleVersion, check_lengths
from engine import installation
from soar.rest.parsers import StrictJSONParser
from soar.rest.schema import (
    ANY,
    ARRAY,
    BOOL,
    DELETED,
    INT,
    JSON_BODY,
    STR,
    answer,
    json_list,
    query_param,
    shape,
)

NULLABLE_STR = {"type": "string", "nullable": True}
DETAIL = answer(shape("a playbook with its current SOAR document", id=INT, name=STR, repo=STR, version=INT,
                      active=BOOL, draft=BOOL, playbook_type=STR, json=ANY))
BRIEF = shape(id=INT, name=STR, repo=STR, category=STR, labels=ARRAY, tags=ARRAY, playbook_type=STR, active=BOOL,
              version=INT, description=STR, input_spec=ANY, output_spec=ANY, update_time=STR)
CHECKED = answer(shape("the compiled source and the located problems", source=STR, errors=ARRAY))


def _doc(request: Request) -> dict[str, Any]:
    body = request.data if isinstance(request.data, dict) else {}
    doc = body.get("json")
    if not isinstance(doc, dict):
        raise ValidationError({"json": ["required: the SOAR playbook document"]})
    return doc


def _imported_id(outcome: files.ImportOutcome) -> int:
    if outcome.playbook_id is None:  # only a failed import has none, and that raised
        raise ValidationError({"json": [outcome.line()]})
    return outcome.playbook_id


def detail(playbook: Playbook) -> dict[str, Any]:
    return {"id": playbook.pk, "name": playbook.name, "repo": playbook.repo, "version": playbook.latest_version,
            "active": playbook.active, "draft": playbook.draft_mode, "playbook_type": playbook.playbook_type,
            "json": playbook.document()}


def brief(playbook: Playbook) -> dict[str, Any]:
    return {"id": playbook.pk, "name": playbook.name, "repo": playbook.repo, "category": playbook.category,
            "labels": playbook.labels, "tags": playbook.tags, "playbook_type": playbook.playbook_type,
            "active": playbook.active, "version": playbook.latest_version, "description": playbook.description,
            "input_spec": playbook.input_spec, "output_spec": playbook.output_spec,
            "update_time": playbook.update_time}


class PlaybookList(APIView):
    write_role = "editor"

    @extend_schema(responses=json_list(BRIEF), parameters=[
        query_param("search", "in the name, description or category"), query_param("category", "exact category"),
        query_param("playbook_type", "automation or data"), query_param("active", "true or false", enum=["true", "false"]),
        query_param("label", "playbooks that run on this container label")])
    def get(self, request: Request) -> Response:
        qs = Playbook.objects.all()
        q = request.query_params.get("search", "").strip()
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q) | Q(category__icontains=q))
        for field in ("category", "playbook_type"):
            if request.query_params.get(field):
                qs = qs.filter(**{field: request.query_params[field]})
        if request.query_params.get("active") in ("true", "false"):
            qs = qs.filter(active=request.query_params["active"] == "true")
        label = request.query_params.get("label")
        rows = [brief(p) for p in qs.order_by("name")[:2000]]
        if label:
            rows = [r for r in rows if label in (r["labels"] or []) or "*" in (r["labels"] or [])]
        return Response(rows)

    @extend_schema(request=JSON_BODY, responses={201: DETAIL})
    def post(self, request: Request) -> Response:
        """Create a playbook: {"name", "json"?}; without json, an empty start → end graph."""
        body = request.data if isinstance(request.data, dict) else {}
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValidationError({"name": ["required"]})
        check_lengths(Playbook(name=name.strip()))  # a 400 naming the field, before the file checks
        doc = body.get("json") or empty_playbook(body.get("playbook_type", "automation"))
        if Playbook.objects.filter(repo="local", name=name.strip()).exists():
            raise ValidationError({"name": [f"a playbook named {name.strip()!r} already exists"]})
        try:
            outcome = files.import_playbook_text(name.strip(), json.dumps(doc, indent=4, sort_keys=True), author=request.user)
        except SoarFormatError as exc:
            raise ValidationError({"json": [str(exc)]}) from None
        return Response(detail(Playbook.objects.get(pk=_imported_id(outcome))), status=201)


def empty_playbook(playbook_type: str = "automation") -> dict[str, Any]:
    node: dict[str, Any] = {"errors": {}, "warnings": {}}
    return {
        "blockly": False, "blockly_xml": "<xml></xml>", "category": "Uncategorized", "draft_mode": False,
        "labels": ["*"], "tags": [],
        "coa": {"data": {"description": "", "notes": "", "edges": [{"id": "port_0_to_port_1", "sourceNode": "0",
                                                                  "sourcePort": "0_out", "targetNode": "1",
                                                                  "targetPort": "1_in"}],
                         "nodes": {"0": {**node, "id": "0", "type": "start", "x": 400, "y": 0,
                                         "data": {"advanced": {"join": []}, "functionName": "on_start", "id": "0",
                                                  "type": "start"}},
                                   "1": {**node, "id": "1", "type": "end", "x": 400, "y": 400,
                                         "data": {"advanced": {"join": []}, "functionName": "on_finish", "id": "1",
                                                  "type": "end"}}},
                         "hash": "", "globalCustomCode": None},
                "input_spec": [] if playbook_type == "data" else None, "output_spec": None,
                "playbook_type": "data" if playbook_type in ("data", "input") else "automation",
                "python_version": "3", "schema": "5.0.11", "version": "6.2.0.355"},
        "create_time": "", "playbook_type": None,
    }


class PlaybookDetail(APIView):
    write_role = "editor"
    error_answers = {"PUT": {409: "base_version is not the latest version (current_version)"},
                     "DELETE": {409: "the playbook has runs in progress"}}

    @extend_schema(responses=DETAIL)
    def get(self, request: Request, pk: int) -> Response:
        return Response(detail(get_object_or_404(Playbook, pk=pk)))

    @extend_schema(request=JSON_BODY, responses=answer(shape("the saved version and its problems",
                                                             version=INT, errors=ARRAY)))
    def put(self, request: Request, pk: int) -> Response:
        """Save a new version; a stale base_version gets 409 with the current version."""
        playbook = get_object_or_404(Playbook, pk=pk)
        doc = _doc(request)
        body = request.data if isinstance(request.data, dict) else {}
        base = body.get("base_version")
        if not isinstance(base, int) or isinstance(base, bool):
            raise ValidationError({"base_version": ["required: the version this edit started from"]})
        _, problems = check(doc)
        try:
            version = playbook.save_version(json.dumps(doc, indent=4, sort_keys=True), author=request.user,
                                            base_version=base, message=str(body.get("message", ""))[:500])
        except StaleVersion as exc:
            return Response({"failed": True, "current_version": exc.current, "message": str(exc)}, status=409)
        return Response({"version": version.number, "errors": problems})

    @extend_schema(responses={200: DELETED})
    def delete(self, request: Request, pk: int) -> Response:
        playbook = get_object_or_404(Playbook, pk=pk)
        if playbook.runs.filter(status__in=("pending", "running", "waiting")).exists():
            return Response({"failed": True, "message": "the playbook has runs in progress"}, status=409)
        playbook.runs.all().delete()
        playbook.delete()
        return Response({"success": True})


class PlaybookCompile(APIView):
    method_roles = {"POST": "viewer"}

    @extend_schema(request=JSON_BODY, responses=CHECKED)
    def post(self, request: Request, pk: int) -> Response:
        get_object_or_404(Playbook, pk=pk)
        source, problems = check(_doc(request))
        return Response({"source": source, "errors": problems})


class PlaybookActivation(APIView):
    write_role = "editor"
    activate = True

    @extend_schema(request=None, responses=answer(shape(active=BOOL)))
    def post(self, request: Request, pk: int) -> Response:
        playbook = get_object_or_404(Playbook, pk=pk)
        try:
            set_active(playbook, self.activate)
        except ActivationRefused as exc:  # the envelope plus the located problems, for the canvas
            return Response({"failed": True, "message": exc.message, "errors": exc.errors}, status=400)
        return Response({"active": self.activate})


class PlaybookVersions(APIView):
    @extend_schema(responses=json_list(shape(version=INT, created=STR, author=NULLABLE_STR, message=STR)))
    def get(self, request: Request, pk: int) -> Response:
        playbook = get_object_or_404(Playbook, pk=pk)
        return Response([{"version": v.number, "created": v.created, "author": v.author.username if v.author else None,
                          "message": v.message} for v in playbook.versions.select_related("author").order_by("-number")])


class PlaybookVersionDetail(APIView):
    @extend_schema(responses=answer(shape(version=INT, json=ANY)))
    def get(self, request: Request, pk: int, number: int) -> Response:
        version = get_object_or_404(PlaybookVersion, playbook_id=pk, number=number)
        return Response({"version": version.number, "json": json.loads(version.json_text)})


class PlaybookVersionRestore(APIView):
    write_role = "editor"

    @extend_schema(request=None, responses=answer(shape(version=INT)))
    def post(self, request: Request, pk: int, number: int) -> Response:
        playbook = get_object_or_404(Playbook, pk=pk)
        old = get_object_or_404(PlaybookVersion, playbook=playbook, number=number)
        version = playbook.save_version(old.json_text, python=old.python, author=request.user,
                                        message=f"restored version {number}")
        return Response({"version": version.number})


class PlaybookExport(APIView):
    @extend_schema(parameters=[query_param("format", "json (default), py or tgz", enum=["json", "py", "tgz"])],
                   responses={(200, "application/json"): answer({"type": "object"}), (200, "text/x-python"): answer({"type": "string"}),
                              (200, "application/gzip"): answer({"type": "string", "format": "binary"})})
    def get(self, request: Request, pk: int) -> HttpResponse:
        playbook = get_object_or_404(Playbook, pk=pk)
        kind = request.query_params.get("format", "json")
        if kind == "json":
            return _download(files.export_json(playbook).encode(), f"{playbook.name}.json", "application/json")
        version = playbook.current()
        if kind == "py" and version is not None:
            try:
                source = files.python_for(version)
            except CompileError as exc:
                return Response({"failed": True, "message": str(exc)}, status=400)  # type: ignore[return-value]
            return _download(source.encode(), f"{playbook.name}.py", "text/x-python")
        if kind == "tgz":
            return _download(files.export_tgz([playbook]), f"{playbook.name}.tgz", "application/gzip")
        raise ValidationError({"format": ["json, py or tgz"]})


def _download(payload: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(payload, content_type=content_type)
    safe = filename.replace('"', "").replace("\n", "")
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


class PlaybookDuplicate(APIView):
    write_role = "editor"

    @extend_schema(request=None, responses={201: DETAIL})
    def post(self, request: Request, pk: int) -> Response:
        playbook = get_object_or_404(Playbook, pk=pk)
        # The copy's name fits the column however long the original's is.
        limit = Playbook._meta.get_field("name").max_length or 256
        name, n = f"{playbook.name[:limit - 5]}_copy", 1
        while Playbook.objects.filter(repo=playbook.repo, name=name).exists():
            n += 1
            suffix = f"_copy_{n}"
            name = f"{playbook.name[:limit - len(suffix)]}{suffix}"
        outcome = files.import_playbook_text(name, files.export_json(playbook), author=request.user)
        return Response(detail(Playbook.objects.get(pk=_imported_id(outcome))), status=201)


class PlaybookImport(APIView):
    """POST multipart `file` (.json, .tgz, custom function .json; optional `python`).
    A classic playbook is converted on import: its result then carries the conversion
    `report` (per block: converted, converted-with-changes or needs-review); `report` is
    null for everything else."""

    write_role = "editor"
    parser_classes = [MultiPartParser, StrictJSONParser]
    # A multipart body whose framing the parser cannot read comes back from DRF as 415 with
    # the media type it could not place (found by the schema fuzz test).
    error_answers = {"POST": {415: "the body is neither a readable multipart upload nor JSON"}}

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}, "python": {"type": "string", "format": "binary"}},
        "required": ["file"]}}, responses=answer(shape("what became of each file", results=ARRAY)))
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["required: the file to import"]})
        py = request.FILES.get("python")
        outcomes = files.import_bytes(upload.name or "upload.json", upload.read(),
                                      python=py.read().decode("utf-8", "replace") if py else None, author=request.user)
        results = [o.__dict__ for o in outcomes]
        failed = [o for o in outcomes if o.status == "failed"]
        if failed:
            # The API's error envelope, with every file's outcome as on success.
            return Response({"failed": True, "message": "; ".join(o.message or o.line() for o in failed), "results": results},
                            status=400)
        return Response({"results": results})


class CustomFunctionList(APIView):
    @extend_schema(responses=json_list())
    def get(self, request: Request) -> Response:
        return Response([{"id": cf.pk, "name": cf.name, "repo": cf.repo, "description": cf.description,
                          "inputs": cf.inputs, "outputs": cf.outputs, "outputs_type": cf.outputs_type,
                          "builtin": cf.builtin} for cf in CustomFunction.objects.order_by("name", "repo")])


class ContainerSearch(APIView):
    @extend_schema(responses=json_list(shape(id=INT, name=STR, label=STR, severity=STR, artifact_count=INT)),
                   parameters=[query_param("search", "in the name or label, or an id")])
    def get(self, request: Request) -> Response:
        found = installation.search_containers(request.query_params.get("search", ""))
        return Response([dataclasses.asdict(c) for c in found])


class ContainerCefFields(APIView):
    @extend_schema(responses=json_list({"type": "string"}))
    def get(self, request: Request, pk: int) -> Response:
        fields = installation.container_cef_fields(pk)
        if fields is None:  # no container: 404, not an empty list
            raise Http404(f"no container {pk}")
        return Response(fields)


urlpatterns = [
    path("playbooks", PlaybookList.as_view(), name="api-playbooks"),
    path("playbooks/import", PlaybookImport.as_view(), name="api-playbook-import"),
    path("playbooks/<id:pk>", PlaybookDetail.as_view(), name="api-playbook"),
    path("playbooks/<id:pk>/compile", PlaybookCompile.as_view(), name="api-playbook-compile"),
    path("playbooks/<id:pk>/activate", PlaybookActivation.as_view(activate=True), name="api-playbook-activate"),
    path("playbooks/<id:pk>/deactivate", PlaybookActivation.as_view(activate=False), name="api-playbook-deactivate"),
    path("playbooks/<id:pk>/versions", PlaybookVersions.as_view(), name="api-playbook-versions"),
    path("playbooks/<id:pk>/versions/<id:number>", PlaybookVersionDetail.as_view(), name="api-playbook-version"),
    path("playbooks/<id:pk>/versions/<id:number>/restore", PlaybookVersionRestore.as_view(),
         name="api-playbook-version-restore"),
    path("playbooks/<id:pk>/export", PlaybookExport.as_view(), name="api-playbook-export"),
    path("playbooks/<id:pk>/duplicate", PlaybookDuplicate.as_view(), name="api-playbook-duplicate"),
    path("custom_functions", CustomFunctionList.as_view(), name="api-custom-functions"),
    path("containers", ContainerSearch.as_view(), name="api-containers"),
    path("containers/<id:pk>/cef_fields", ContainerCefFields.as_view(), name="api-container-cef-fields"),
]
