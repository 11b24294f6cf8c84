"""Who may see a playbook's runs: role first (soar.roles), then teams."""
from __future__ import annotations

from typing import Any

from django.db.models import Q

from soar.roles import ROLES, rank


def visible_runs(user: Any) -> Q:
    """A filter on PlaybookRun: runs of team-less playbooks plus those of the user's
    teams; admins see all, users without a role none."""
    if rank(user) >= ROLES["admin"]:
        return Q()
    if rank(user) == 0:
        return Q(pk__in=[])
    return Q(playbook__teams__isnull=True) | Q(playbook__teams__members=user)
