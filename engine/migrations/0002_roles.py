"""The four roles exist from the start: admin, editor, analyst, viewer (see soar.roles)."""
from __future__ import annotations

from typing import Any

from django.db import migrations

ROLES = ("admin", "editor", "analyst", "viewer")


def create_roles(apps: Any, schema_editor: Any) -> None:
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("engine", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
