"""Journeys: the ordered, dated Success Milestones toward a required outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from membersuccess.members.models import Member, RequiredOutcome, Segment


class Journey(models.Model):
    """One path per required outcome and segment (segment empty: the path for everyone else)."""

    name = models.CharField(max_length=160)
    required_outcome = models.ForeignKey(RequiredOutcome, on_delete=models.PROTECT, related_name="journeys")
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, null=True, blank=True, related_name="journeys")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["required_outcome", "segment"], name="one_journey_per_outcome_and_segment"),
            models.UniqueConstraint(
                fields=["required_outcome"], condition=Q(segment__isnull=True), name="one_default_journey_per_outcome"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SuccessMilestone(models.Model):
    class DueFrom(models.TextChoices):
        JOIN = "join", "Joining date"
        TERM_START = "term_start", "Start of the current term"

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    due_offset_days = models.PositiveIntegerField(help_text="Days after the anchor date by which it is due")
    due_from = models.CharField(max_length=20, choices=DueFrom.choices, default=DueFrom.JOIN)
    grace_days = models.PositiveIntegerField(default=30)
    # The achievement rule, e.g. {"kinds": ["course_completed"], "aggregation": "count",
    # "threshold": 2, "window": "join"}; empty when staff confirm the milestone by hand.
    rule = models.JSONField(default=dict, blank=True)
    manual = models.BooleanField(default=False)

    class Meta:
        ordering = ["journey", "order"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "order"], name="milestone_order_unique_in_journey"),
            models.CheckConstraint(
                condition=Q(manual=True) | ~Q(rule={}), name="milestone_has_rule_or_is_manual"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class MilestoneAchievement(models.Model):
    class Source(models.TextChoices):
        RULE = "rule", "Achievement rule"
        MANUAL = "manual", "Confirmed by staff"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="achievements")
    milestone = models.ForeignKey(SuccessMilestone, on_delete=models.CASCADE, related_name="achievements")
    achieved_on = models.DateField()
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.RULE)
    evidence = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["member", "milestone__order"]
        constraints = [
            models.UniqueConstraint(fields=["member", "milestone"], name="milestone_achieved_once"),
            models.CheckConstraint(
                condition=Q(source="rule") | ~Q(evidence=""), name="manual_achievement_has_evidence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.milestone} on {self.achieved_on}"
