"""What scoring writes: the signal configuration in force, each scoring run, and one vector per member per run.

A run's snapshots become visible only when the run is marked completed, so a crash mid-run never
shows half-written results; older runs stay as history (sparklines, "what changed since last week")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from membersuccess.members.models import Member


class SignalSet(models.Model):
    """One version of the signals, weights and scoring parameters; exactly one is active at a time."""

    version = models.PositiveIntegerField(unique=True)
    # The whole configuration as exported/imported by admins: {"version": 1, "signals": [...], "params": {...}}
    definition = models.JSONField()
    is_active = models.BooleanField(default=False)
    note = models.TextField(blank=True, help_text="Why this version exists, e.g. 'weights learned on 2023-2024'")
    # Evidence kept beside learned weights (AUC, calibration, the periods they were fitted on).
    evidence = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_signal_set")
        ]

    def __str__(self) -> str:
        return f"Signals v{self.version}" + (" (active)" if self.is_active else "")


class ScoreRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    as_of = models.DateField(db_index=True)
    engine = models.CharField(max_length=20, default="duckdb")
    signal_set = models.ForeignKey(SignalSet, on_delete=models.PROTECT, null=True, blank=True, related_name="runs")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING, db_index=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    members_scored = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-as_of", "-started_at"]

    def __str__(self) -> str:
        return f"Scoring as of {self.as_of} ({self.get_status_display()})"


class VectorSnapshot(models.Model):
    """A member's Success Vector as of a date (DESIGN §6), with what it is made of and why."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        DRIFTING = "drifting", "Drifting"
        OFF_TRACK = "off_track", "Off track"
        TOO_EARLY = "too_early", "Too early"

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="snapshots")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="vectors")
    as_of = models.DateField()
    score = models.FloatField()  # 0-100
    velocity = models.FloatField(null=True, blank=True)  # S(t) - S(t - 30 days)
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    confidence = models.FloatField()  # 0-1
    milestone_position = models.FloatField()  # 0-1
    # [{"input": "events_attended", "label": "...", "value": 3, "normalized": 0.75, "weight": 2.0, "points": 12.5}]
    contributions = models.JSONField(default=list)
    reasons = models.JSONField(default=list)  # plain-word sentences, most important first
    flags = models.JSONField(default=list)  # e.g. ["quiet", "renewal_at_risk"]
    next_milestone = models.ForeignKey(
        "journeys.SuccessMilestone", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    next_milestone_due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["member", "-as_of"]
        constraints = [models.UniqueConstraint(fields=["run", "member"], name="one_vector_per_member_per_run")]
        indexes = [models.Index(fields=["member", "as_of"])]

    def __str__(self) -> str:
        return f"{self.member} {self.as_of}: {self.score:.0f} ({self.status})"


class DailyScoring(models.Model):
    """The scheduled scoring of one day: enqueued once, whichever worker gets there first, and what became of it."""

    class Status(models.TextChoices):
        ENQUEUED = "enqueued", "Enqueued"
        RUNNING = "running", "Running"
        SCORED = "scored", "Scored"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"
        # The worker running it died (killed, crashed, machine lost); the day is enqueued again.
        INTERRUPTED = "interrupted", "Interrupted"

    as_of = models.DateField(unique=True)  # the unique date is what stops a second worker enqueuing the day again
    task_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ENQUEUED)
    run = models.ForeignKey(ScoreRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True, help_text="Why it was skipped, failed or interrupted")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Which process runs it ("host pid N"): what staff need to find the worker that stopped.
    worker = models.CharField(max_length=200, blank=True)
    # Times the job started scoring the day; more than one means earlier attempts were interrupted.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-as_of"]

    def __str__(self) -> str:
        return f"Daily scoring of {self.as_of} ({self.get_status_display()})"
