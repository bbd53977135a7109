"""Every touch between member and organization: append-only facts the scores are computed from."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from membersuccess.members.models import Member


class Interaction(models.Model):
    """One fact from one source system; (source, external_id) makes re-imports idempotent."""

    source = models.CharField(max_length=40)
    external_id = models.CharField(max_length=64)
    # No index of its own: the (member, occurred_at) index below serves every lookup by member,
    # and a second one would be one more B-tree written for each imported row.
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="interactions", db_index=False)
    kind = models.CharField(max_length=60)
    occurred_at = models.DateTimeField()
    value = models.FloatField(null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        # Every index is paid for on each imported row; the member timeline needs this one, and
        # scoring reads whole columns through the engine rather than through indexes.
        indexes = [models.Index(fields=["member", "occurred_at"])]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="interaction_unique_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.source}) {self.occurred_at:%Y-%m-%d}"


class SupportTicket(models.Model):
    class Severity(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"
        URGENT = "urgent", "Urgent"

    external_id = models.CharField(max_length=64, unique=True)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="tickets")
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    category = models.CharField(max_length=60, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.NORMAL)
    subject = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["member", "opened_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("opened_at")),
                name="ticket_resolved_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or f"Ticket {self.external_id}"

    @property
    def resolution_hours(self) -> float | None:
        if self.resolved_at is None:
            return None
        return (self.resolved_at - self.opened_at).total_seconds() / 3600


class SurveyResponse(models.Model):
    """NPS or CSAT: recorded and shown, but not an input to the Success Vector by default."""

    class Kind(models.TextChoices):
        NPS = "nps", "NPS (0–10)"
        CSAT = "csat", "CSAT (1–5)"

    external_id = models.CharField(max_length=64, unique=True)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="survey_responses")
    responded_at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NPS)
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-responded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="nps") & Q(score__lte=10)) | (Q(kind="csat") & Q(score__gte=1) & Q(score__lte=5)),
                name="survey_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score}"
