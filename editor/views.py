"""Editor pages: the playbook list and the visual editor."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from editor.models import Playbook
from soar.roles import has_role, may_edit_code


def playbook_list(request: HttpRequest) -> HttpResponse:
    return render(request, "editor/list.html", {"can_edit": has_role(request.user, "editor")})


def playbook_edit(request: HttpRequest, pk: int) -> HttpResponse:
    playbook = get_object_or_404(Playbook, pk=pk)
    readonly = not has_role(request.user, "editor") or request.GET.get("readonly") == "1"
    # Saves that add or change code are refused without "edit code"; the editor shows it read-only.
    code_readonly = readonly or not may_edit_code(request.user)
    return render(request, "editor/edit.html", {"playbook": playbook, "readonly": readonly,
                                                "code_readonly": code_readonly})
