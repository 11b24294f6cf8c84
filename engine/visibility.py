"""Who may see what a playbook run produced: one rule for every route and socket.

A run belongs to its playbook's teams: a playbook without teams is everyone's (every
role sees its runs); one with teams is seen by their members and by admins only. Users
without a role see no run. Everything a run produced (its steps, run data, action runs
and their app runs, events) is seen by exactly those who see the run; the models that
hold such rows answer ``Model.objects.visible_to(user)`` (engine.models.runs), and the
REST toolkit narrows every resource through it (soar.rest.resource).

Containers, artifacts and notes are not run-bearing: they belong to the case, which every
role sees, as in SOAR.
"""
from __future__ import annotations

from typing import Any

from django.db.models import Model, Q

from soar.roles import ROLES, rank

# The path from each run-bearing model to its PlaybookRun, and whether that path may be
# empty (an action run started outside any playbook belongs to the case alone).
RUN_PATHS: dict[str, tuple[str, bool]] = {
    "PlaybookRun": ("", False),
    "RunStep": ("run__", False),
    "RunData": ("run__", False),
    "RunEvent": ("run__", False),
    "ActionRun": ("playbook_run__", True),
    "AppRun": ("action_run__playbook_run__", True),
}


def _visible_playbooks(user: Any) -> Any:
    """None for everything (admins), else the ids of the playbooks whose runs ``user`` sees
    (none without a role)."""
    level = rank(user)
    if level >= ROLES["admin"]:
        return None
    from editor.models import Playbook

    if level == 0:
        return Playbook.objects.none().values("pk")
    # A subquery rather than joins through the teams: a playbook in two of the user's
    # teams must not list its runs twice (and paged counts stay right without DISTINCT).
    return Playbook.objects.filter(Q(teams__isnull=True) | Q(teams__members=user)).values("pk")


def playbook_filter(user: Any) -> Q:
    """A filter on Playbook keeping those whose runs ``user`` may see. It is also who may
    start a run of one (POST /rest/playbook_run): a playbook outside it is answered as one
    that does not exist, as its runs are (404 on their URLs), so a refusal does not tell an
    outsider that a team's playbook is there."""
    playbooks = _visible_playbooks(user)
    return Q() if playbooks is None else Q(pk__in=playbooks)


def run_filter(user: Any, model: type[Model]) -> Q:
    """A filter on ``model`` keeping the rows of runs ``user`` may see."""
    path, optional = RUN_PATHS[model.__name__]
    if rank(user) == 0:
        return Q(pk__in=[])  # not even the case's own action runs
    playbooks = _visible_playbooks(user)
    if playbooks is None:
        return Q()
    allowed = Q(**{f"{path}playbook__in": playbooks})
    if optional:
        allowed |= Q(**{f"{path}isnull": True})
    return allowed


def may_see_run(user: Any, run_id: int) -> bool:
    from engine.models import PlaybookRun

    return bool(PlaybookRun.objects.visible_to(user).filter(pk=run_id).exists())
