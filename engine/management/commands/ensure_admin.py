"""Create the `admin` user with a generated password, printed once."""
from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Create the admin user (generated password printed once); --reset makes a new password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--reset", action="store_true", help="generate and print a new password")

    def handle(self, *args: Any, **opts: Any) -> None:
        User = get_user_model()
        user = User.objects.filter(username=opts["username"]).first()
        if user is not None and not opts["reset"]:
            self.stdout.write(f"User '{user.username}' exists (use `manage.py ensure_admin --reset` for a new password).")
            return
        password = secrets.token_urlsafe(12)
        if user is None:
            user = User.objects.create_superuser(opts["username"], email="", password=password)
        else:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get_or_create(name="admin")[0])
        banner = "=" * 60
        self.stdout.write(f"{banner}\n  Log in as: {user.username}\n  Password:  {password}\n  (shown once; `manage.py ensure_admin --reset` makes a new one)\n{banner}")
