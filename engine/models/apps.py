"""Catalogued SOAR apps, their actions, and assets (configured instances of an app)."""
from __future__ import annotations

from django.db import models
from django.utils import timezone


class App(models.Model):
    appid = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=256, db_index=True)
    version = models.CharField(max_length=64, default="")
    product_vendor = models.CharField(max_length=256, blank=True, default="")
    product_name = models.CharField(max_length=256, blank=True, default="")
    description = models.TextField(blank=True, default="")
    configuration = models.JSONField(default=dict, blank=True)
    definition = models.JSONField(default=dict, blank=True)  # the app's JSON, verbatim
    builtin = models.BooleanField(default=False)
    # SOAR's app switch: a disabled app's assets run no action (REST action_run refuses them).
    disabled = models.BooleanField(default=False)
    create_time = models.DateTimeField(default=timezone.now)
    update_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class AppAction(models.Model):
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="actions")
    name = models.CharField(max_length=256, db_index=True)
    identifier = models.CharField(max_length=256, blank=True, default="")
    description = models.TextField(blank=True, default="")
    type = models.CharField(max_length=64, blank=True, default="generic")
    read_only = models.BooleanField(default=True)
    parameters = models.JSONField(default=dict, blank=True)
    output = models.JSONField(default=list, blank=True)
    versions = models.CharField(max_length=128, blank=True, default="EQ(*)")

    class Meta:
        ordering = ["app__name", "name"]
        constraints = [models.UniqueConstraint(fields=["app", "name"], name="app_action_unique")]

    def __str__(self) -> str:
        return f"{self.app.name}: {self.name}"


class Asset(models.Model):
    name = models.CharField(max_length=256, unique=True)
    app = models.ForeignKey(App, on_delete=models.PROTECT, related_name="assets")
    description = models.TextField(blank=True, default="")
    # Secret fields (per the app's configuration schema) are stored encrypted and are
    # write-only through the API.
    configuration = models.JSONField(default=dict, blank=True)
    tags = models.JSONField(default=list, blank=True)
    product_vendor = models.CharField(max_length=256, blank=True, default="")
    product_name = models.CharField(max_length=256, blank=True, default="")
    product_version = models.CharField(max_length=64, blank=True, default="")
    # Simulator pins: action name -> result (see engine.apps.simulator).
    simulator_overrides = models.JSONField(default=dict, blank=True)
    disabled = models.BooleanField(default=False)
    # The outcome of the last connectivity test (SOAR's app_status): {"status", "message",
    # "time"}; empty until one ran (POST /rest/asset/<id>/test).
    last_test = models.JSONField(default=dict, blank=True)
    create_time = models.DateTimeField(default=timezone.now)
    update_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
