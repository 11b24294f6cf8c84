"""Load demo data: containers with realistic artifacts, custom lists, and (when the
editor provides them) example playbooks. Safe to run again: nothing is duplicated."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.dispatch import Signal

from engine.artifacts import create_artifact
from engine.models import Container, CustomList

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

# Other apps (editor playbooks, built-in apps) add their demo content by listening here,
# so the engine does not import them.
demo_loading = Signal()


class Command(BaseCommand):
    help = "Load demo containers, artifacts, custom lists and example playbooks (idempotent)."

    def handle(self, *args: Any, **opts: Any) -> None:
        created = 0
        with transaction.atomic():
            for spec in json.loads((DEMO_DIR / "containers.json").read_text(encoding="utf-8")):
                artifacts = spec.pop("artifacts")
                container, made = Container.objects.get_or_create(
                    source_data_identifier=spec["source_data_identifier"], defaults=spec
                )
                created += int(made)
                for art in artifacts:
                    create_artifact(container, art)
            for name, rows in json.loads((DEMO_DIR / "lists.json").read_text(encoding="utf-8")).items():
                CustomList.objects.get_or_create(name=name, defaults={"content": rows})
        self.stdout.write(f"demo: {created} new containers, {Container.objects.count()} in all")
        for _, message in demo_loading.send(sender=self.__class__, stdout=self.stdout):
            if message:
                self.stdout.write(str(message))
