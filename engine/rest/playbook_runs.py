"""Playbook runs: `/rest/playbook_run` (starting one is SOAR's way to run a playbook)."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from engine import serializers as s
from engine.models import PlaybookRun
from engine.rest._common import fields
from soar.rest.query import QuerySpec
from soar.rest.resource import SoarResource, resource_urls


class PlaybookRunResource(SoarResource):
    model = PlaybookRun
    serializer = s.PlaybookRunSerializer
    write_role = "analyst"
    spec = QuerySpec(
        fields=fields("id", "status", "start_time", "end_time", "update_time", "cancelled", "test_mode",
                      playbook="playbook_id", container="container_id", playbook_name="playbook__name"),
        sortable=frozenset({"start_time", "status"}),
    )

    def queryset(self, request: Request) -> Any:
        # The records name their playbook and its version: one join, not a query per row
        # (without the version's texts: a document and its module per row would be heavy).
        return PlaybookRun.objects.select_related("playbook", "playbook_version").defer(
            "playbook_version__json_text", "playbook_version__python", "playbook_version__compiled")

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        from engine.runs_api import start_from_request

        return start_from_request(request, data)


urlpatterns = [
    *resource_urls("playbook_run", PlaybookRunResource()),
]
