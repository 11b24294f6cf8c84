"""Playbook runs and what happens inside them: action runs, app runs, run data, events.

A run is nothing but these rows: every callback of a run may execute in a different
worker process, so all state a playbook keeps between callbacks lives here.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

RUN_STATUSES = ("pending", "running", "waiting", "success", "failed", "cancelled")


def _default_scope() -> str:
    return "new"


class RunBearingQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows a playbook run produced; `visible_to(user)` keeps those of runs the user may
    see (the one rule, engine.visibility)."""

    def visible_to(self, user: Any) -> RunBearingQuerySet:
        from engine.visibility import run_filter

        return self.filter(run_filter(user, self.model))


RunBearingManager = models.Manager.from_queryset(RunBearingQuerySet)


class PlaybookRun(models.Model):
    playbook = models.ForeignKey("editor.Playbook", on_delete=models.PROTECT, related_name="runs")
    playbook_version = models.ForeignKey(
        "editor.PlaybookVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Indexed with the playbook (Meta): the index on the container alone served neither the
    # previous run of a playbook on a container (scope "new") nor the trigger's check for a
    # run still going, so those walked every run the playbook ever had.
    container = models.ForeignKey("engine.Container", on_delete=models.CASCADE, related_name="playbook_runs",
                                  db_index=False)
    parent_run = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    status = models.CharField(max_length=16, default="pending", db_index=True)
    scope = models.JSONField(default=_default_scope)  # "new", "all" or a list of artifact ids
    inputs = models.JSONField(default=dict, blank=True)
    outputs = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True, default="")
    failed_block = models.CharField(max_length=256, blank=True, default="")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    test_mode = models.BooleanField(default=False)
    simulate_writes = models.BooleanField(default=True)
    cancelled = models.BooleanField(default=False)
    log_level = models.IntegerField(default=1)
    # Counters kept on the run row so every writer allocates them under the row lock.
    event_seq = models.IntegerField(default=0)
    action_count = models.IntegerField(default=0)
    action_limit = models.IntegerField(default=5000)  # phantom.set_action_limit
    # Scope "new": artifacts with an id above what the previous run of this playbook on this
    # container had seen (new_after), up to what existed when this run started (watermark).
    new_after = models.BigIntegerField(default=0)
    artifact_watermark = models.BigIntegerField(default=0)
    start_time = models.DateTimeField(default=timezone.now)
    update_time = models.DateTimeField(default=timezone.now)
    end_time = models.DateTimeField(null=True, blank=True)
    # The run's lease (engine.execution.lease): the one worker advancing this run and until
    # when; another worker may take it over once it has expired (the holder died). Every
    # wake-up adds one to wake_seq, so a holder releasing the lease notices work that
    # arrived while it was finishing (the release is a compare-and-set on it).
    lease_owner = models.CharField(max_length=128, blank=True, default="")
    lease_expires = models.DateTimeField(null=True, blank=True)
    wake_seq = models.IntegerField(default=0)

    objects = RunBearingManager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["container", "playbook", "id"], name="run_container_playbook")]

    def __str__(self) -> str:
        return f"run #{self.pk} of {self.playbook_id} on container {self.container_id}"


STEP_KINDS = ("start", "callback", "action", "custom_function", "playbook", "prompt", "finish")
STEP_STATUSES = ("pending", "running", "done", "failed", "cancelled")


class RunStep(models.Model):
    """One unit of durable work of a run; each is executed by exactly one task.

    `start`/`callback`/`finish` steps execute playbook code (one at a time per run, so
    joins and run data stay consistent); `action`/`custom_function`/`playbook`/`prompt`
    steps are the asynchronous operations whose completion enqueues a callback step.
    """

    # Indexes are few and mostly partial: every step of every run inserts a row and updates
    # its status, and each index is written each time (see Meta).
    run = models.ForeignKey(PlaybookRun, on_delete=models.CASCADE, related_name="steps", db_index=False)
    kind = models.CharField(max_length=16)
    status = models.CharField(max_length=16, default="pending")
    function = models.CharField(max_length=256, blank=True, default="")  # callback to call
    name = models.CharField(max_length=256, blank=True, default="")  # block name
    action_run = models.ForeignKey(
        "engine.ActionRun", null=True, blank=True, on_delete=models.CASCADE, related_name="steps", db_index=False
    )
    child_run = models.ForeignKey(
        PlaybookRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    payload = models.JSONField(default=dict, blank=True)  # kwargs the callback receives, ids only
    handle = models.TextField(blank=True, default="")
    worker = models.CharField(max_length=128, blank=True, default="")
    attempts = models.IntegerField(default=0)
    error = models.TextField(blank=True, default="")
    not_before = models.DateTimeField(null=True, blank=True)
    create_time = models.DateTimeField(default=timezone.now)
    start_time = models.DateTimeField(null=True, blank=True)
    end_time = models.DateTimeField(null=True, blank=True)
    # A connector action being executed: until when its worker holds it (renewed while the
    # connector works). Past it, the worker is presumed dead (engine.execution.recovery).
    lease_expires = models.DateTimeField(null=True, blank=True)

    objects = RunBearingManager()

    class Meta:
        ordering = ["id"]
        indexes = [
            # Also serves every lookup by run alone (a prefix), so `run` has no index of its own.
            models.Index(fields=["run", "status"], name="run_step_status"),
            # Only action and child-playbook steps carry these; the partial indexes serve the
            # same lookups (and cascades) while the other steps never touch them.
            models.Index(fields=["action_run"], name="run_step_action_run",
                         condition=models.Q(action_run__isnull=False)),
            models.Index(fields=["child_run"], name="run_step_child_run",
                         condition=models.Q(child_run__isnull=False)),
            # Prompts waiting for an answer, across runs (the prompt inbox).
            models.Index(fields=["kind"], name="run_step_waiting", condition=models.Q(status="waiting")),
        ]

    def __str__(self) -> str:
        return f"run #{self.run_id} {self.kind} {self.function or self.name} ({self.status})"


class RunData(models.Model):
    """phantom.save_run_data / get_run_data storage, one row per key."""

    # The (run, key) constraint's index serves lookups by run.
    run = models.ForeignKey(PlaybookRun, on_delete=models.CASCADE, related_name="data", db_index=False)
    key = models.CharField(max_length=512)
    value = models.TextField(blank=True, default="")

    objects = RunBearingManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "key"], name="run_data_key_unique")]

    def __str__(self) -> str:
        return f"run #{self.run_id} {self.key}"


class ActionRun(models.Model):
    playbook_run = models.ForeignKey(
        PlaybookRun, null=True, blank=True, on_delete=models.CASCADE, related_name="action_runs"
    )
    container = models.ForeignKey("engine.Container", on_delete=models.CASCADE, related_name="action_runs")
    action = models.CharField(max_length=256)
    name = models.CharField(max_length=256, blank=True, default="")
    type = models.CharField(max_length=64, blank=True, default="generic")
    status = models.CharField(max_length=16, default="pending", db_index=True)
    targets = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True, default="")
    callback = models.CharField(max_length=256, blank=True, default="")
    handle = models.TextField(blank=True, default="")
    node_guid = models.CharField(max_length=64, blank=True, default="")
    exec_order = models.IntegerField(default=0)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    create_time = models.DateTimeField(default=timezone.now)
    update_time = models.DateTimeField(default=timezone.now)
    close_time = models.DateTimeField(null=True, blank=True)

    objects = RunBearingManager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name or self.action} (#{self.pk})"


class AppRun(models.Model):
    action_run = models.ForeignKey(ActionRun, on_delete=models.CASCADE, related_name="app_runs")
    app = models.ForeignKey("engine.App", null=True, on_delete=models.SET_NULL, related_name="+")
    asset = models.ForeignKey("engine.Asset", null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, default="pending")
    message = models.TextField(blank=True, default="")
    result_data = models.JSONField(default=list, blank=True)
    result_summary = models.JSONField(default=dict, blank=True)
    exception_occured = models.BooleanField(default=False)  # SOAR's spelling
    simulated = models.BooleanField(default=False)
    start_time = models.DateTimeField(null=True, blank=True)
    end_time = models.DateTimeField(null=True, blank=True)

    objects = RunBearingManager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"app run #{self.pk} ({self.status})"


class RunEvent(models.Model):
    """One event of a run, stored with its per-run sequence number before it is published,
    so a client that reconnects replays exactly what it missed."""

    # The (run, seq) constraint's index serves lookups by run.
    run = models.ForeignKey(PlaybookRun, on_delete=models.CASCADE, related_name="events", db_index=False)
    seq = models.IntegerField()
    kind = models.CharField(max_length=32)
    payload = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now)

    objects = RunBearingManager()

    class Meta:
        ordering = ["run", "seq"]
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="run_event_seq_unique")]

    def __str__(self) -> str:
        return f"run #{self.run_id} event {self.seq} {self.kind}"
