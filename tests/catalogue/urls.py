"""The project's URLs plus the editor API at /api/ (until soar/urls.py includes it)."""
from __future__ import annotations

from django.urls import include, path

from soar.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("api/", include("engine.api"))]
