"""Pages of the engine: the live/replay view of one run, for analysts outside the editor."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from engine.models import PlaybookRun
from soar.roles import has_role


def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    """`/runs/<id>`: the run painted on its playbook's blocks, read-only (prompts may still be
    answered by whoever they are addressed to: answering is not editing)."""
    if not has_role(request.user, "viewer"):
        raise PermissionDenied("a role is needed to see runs")
    runs = PlaybookRun.objects.visible_to(request.user)
    run = get_object_or_404(runs.select_related("playbook", "container"), pk=pk)
    return render(request, "runs/run.html", {"run": run})
