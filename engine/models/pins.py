"""HUD pins: short facts a playbook or an analyst pins to the top of a container."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

PIN_TYPES = ("card", "card_small", "card_medium", "card_large", "data")
PIN_STYLES = ("", "white", "red", "purple", "grey", "blue")


class Pin(models.Model):
    """SOAR's `container_pin` (REST `/rest/container_pin`, `phantom.pin`)."""

    container = models.ForeignKey("engine.Container", on_delete=models.CASCADE, related_name="pins")
    message = models.CharField(max_length=1024, blank=True, default="")
    data = models.TextField(blank=True, default="")
    pin_type = models.CharField(max_length=32, default="card")
    pin_style = models.CharField(max_length=32, blank=True, default="")
    name = models.CharField(max_length=256, blank=True, default="")
    playbook_run = models.ForeignKey("engine.PlaybookRun", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    create_time = models.DateTimeField(default=timezone.now)
    modified_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.message or f"pin #{self.pk}"


class StoredValue(models.Model):
    """Values playbooks keep beyond one run: `save_data`/`get_data` (by key),
    `save_object`/`get_object` (by key, container and playbook) and the classic
    `datastore_*` lists."""

    namespace = models.CharField(max_length=16)  # data | object | datastore
    key = models.CharField(max_length=512)
    container = models.ForeignKey("engine.Container", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    playbook_name = models.CharField(max_length=256, blank=True, default="")
    value = models.JSONField(null=True, blank=True)
    auto_delete = models.BooleanField(default=False)
    create_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["namespace", "key"], name="stored_value_lookup")]

    def __str__(self) -> str:
        return f"{self.namespace}:{self.key}"
