"""Splunk SOAR's REST API (`/rest/...`), one module per endpoint family.

Each module exports `urlpatterns`; they are joined here in order. A family's specific routes
(`container/<id>/artifacts`) come before generic ones that would otherwise match them.
"""
from __future__ import annotations

from engine.rest import actions, casework, containers, people, playbook_runs, search, system, vault, workbooks
from engine.rest import audit as audit_routes
from engine.runs_api import urlpatterns as runs_urls

urlpatterns = [
    *runs_urls,
    *containers.urlpatterns,
    *casework.urlpatterns,
    *workbooks.urlpatterns,
    *actions.urlpatterns,
    *playbook_runs.urlpatterns,
    *people.urlpatterns,
    *system.urlpatterns,
    *vault.urlpatterns,
    *search.urlpatterns,
    *audit_routes.urlpatterns,
]
