from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

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
