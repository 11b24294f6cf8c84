"""The platform itself: `/rest/version`, `/rest/system_info`."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from soar.rest.schema import STR, answer, shape

# The Splunk SOAR release whose file formats and REST shapes Playbook Studio follows.
SOAR_COMPAT_VERSION = "6.2.0"


class VersionView(APIView):
    """`GET /rest/version`: the SOAR version whose playbook format this server speaks."""

    @extend_schema(responses=answer(shape(version=STR)))
    def get(self, request: Request) -> Response:
        return Response({"version": SOAR_COMPAT_VERSION})


class SystemInfoView(APIView):
    """`GET /rest/system_info`: base URL and time zone, as playbooks read them."""

    @extend_schema(responses=answer(shape(base_url=STR, time_zone=STR)))
    def get(self, request: Request) -> Response:
        from django.conf import settings

        from engine.runtime.phantom._misc import get_base_url

        return Response({"base_url": get_base_url(), "time_zone": settings.TIME_ZONE})


urlpatterns = [
    path("version", VersionView.as_view(), name="rest-version"),
    path("system_info", SystemInfoView.as_view(), name="rest-system-info"),
]
