"""Issue a `ph-auth-token` for a user; the token is printed once and stored as a digest."""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from engine.models import ApiToken


class Command(BaseCommand):
    help = "Create a REST API token (ph-auth-token header) for USER and print it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="default")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = get_user_model().objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"no user named {opts['username']!r}")
        _, key = ApiToken.issue(user, opts["name"])
        self.stdout.write(key)
