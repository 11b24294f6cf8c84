"""Who may see a playbook and its runs: role first (soar.roles), then teams."""
from __future__ import annotations

from typing import Any

from django.db.models import Q

from soar.roles import ROLES, rank


def visible_playbooks(user: Any) -> Q:
    """A filter on Playbook: team-less playbooks plus those of the user's teams (admins: all)."""
    if rank(user) >= ROLES["admin"]:
        return Q()
    if rank(user) == 0:
        return Q(pk__in=[])
    return Q(teams__isnull=True) | Q(teams__members=user)


def can_view_playbook(user: Any, playbook_id: int | None) -> bool:
    from editor.models import Playbook

    if playbook_id is None or rank(user) == 0:
        return False
    return Playbook.objects.filter(visible_playbooks(user), pk=playbook_id).exists()


def visible_runs(user: Any) -> Q:
    """The same rule on PlaybookRun (through its playbook)."""
    if rank(user) >= ROLES["admin"]:
        return Q()
    if rank(user) == 0:
        return Q(pk__in=[])
    return Q(playbook__teams__isnull=True) | Q(playbook__teams__members=user)
