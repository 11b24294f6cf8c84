from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework.views import APIView

from editor.models import Playbook
from engine.models import Container, PlaybookRun


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "containers": Container.objects.order_by("-id")[:20],
        "playbooks": Playbook.objects.order_by("name")[:50],
        "runs": PlaybookRun.objects.select_related("playbook", "container").order_by("-id")[:10],
    }
    return render(request, "home.html", context)


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True, "database": connection.vendor})


@csrf_exempt  # no route, nothing to protect: a POST here gets the JSON 404, not a CSRF page
@login_not_required
def api_not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """A URL under /rest/ or /api/ that no route matches (e.g. `/rest/container/abc`): the
    API's JSON error envelope, as for every other API error, instead of an HTML page."""
    if request.path.endswith("/") and len(request.path.rstrip("/")) < len(request.path):
        served = _without_trailing_slash(request)
        if served is not None:
            return served
    if settings.APPEND_SLASH and not request.path.endswith("/"):
        # This route matches everything, so CommonMiddleware no longer adds the slash itself.
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "api-not-found":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return JsonResponse({"failed": True, "message": f"no API route matches {request.path[:200]!r}"}, status=404)


def _without_trailing_slash(request: HttpRequest) -> HttpResponse | None:
    """SOAR clients often write `/rest/container/` for `/rest/container`: a REST view (one
    that authenticates and checks roles itself, a DRF view) answers it directly. Not a
    redirect: a client would lose its POST body, or its credentials across the hop."""
    try:
        match = resolve(request.path.rstrip("/"))
    except Resolver404:
        return None
    view_class = getattr(match.func, "cls", None)
    if match.url_name == "api-not-found" or not (isinstance(view_class, type) and issubclass(view_class, APIView)):
        return None
    request.resolver_match = match
    response: HttpResponse = match.func(request, *match.args, **match.kwargs)
    return response
