"""Plays (what to do when a member needs it), resources, tasks for any team, saves and outreach sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from membersuccess.accounts.models import Team
from membersuccess.members.models import Member, RequiredOutcome


class Resource(models.Model):
    """Something a member can use to reach a milestone, tagged with the appropriate experience it fits."""

    class Kind(models.TextChoices):
        COURSE = "course", "Course"
        EVENT = "event", "Event"
        GUIDE = "guide", "Guide"
        MENTOR = "mentor", "Mentor"
        COMMUNITY_GROUP = "community_group", "Community group"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField(blank=True)
    description = models.TextField(blank=True)
    # The appropriate-experience vocabulary of members.DesiredOutcome: channels (online, in_person)
    # and formats (events, courses, community, mentoring, self_serve).
    channels = models.JSONField(default=list, blank=True)
    formats = models.JSONField(default=list, blank=True)
    serves = models.ManyToManyField(RequiredOutcome, blank=True, related_name="resources")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Play(models.Model):
    """When a trigger fires for a member, these steps move them toward a milestone, with these resources."""

    class Trigger(models.TextChoices):
        STATUS = "status", "Success Vector status"
        FLAG = "flag", "Flag"
        OVERDUE_MILESTONE = "overdue_milestone", "Next milestone overdue"
        RENEWAL_WINDOW = "renewal_window", "Renewal within N days"
        NEW_MEMBER = "new_member", "Joined within N days"
        SAVED_MEMBER = "saved_member", "Saved member"
        OUTCOME_UNKNOWN = "outcome_unknown", "Desired outcome unknown"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True, help_text="Why this play helps, in words staff understand")
    trigger = models.CharField(max_length=30, choices=Trigger.choices)
    # The status, the flag or the number of days the trigger needs; empty for the others.
    trigger_value = models.CharField(max_length=40, blank=True)
    # Empty: the member's own next milestone, whatever it is.
    toward = models.ForeignKey(
        "journeys.SuccessMilestone", on_delete=models.SET_NULL, null=True, blank=True, related_name="plays"
    )
    resources = models.ManyToManyField(Resource, blank=True, related_name="plays")
    message_template = models.TextField(
        blank=True,
        help_text="Outreach for this play; {{ next_milestone }}, {{ resource_url }} or {{ plan }} carry value",
    )
    is_active = models.BooleanField(default=True)
    ships_with_product = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlayStep(models.Model):
    """One step of a play; it becomes a task for its team, due some days after the play starts."""

    play = models.ForeignKey(Play, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="play_steps")
    due_in_days = models.PositiveSmallIntegerField(default=7)

    class Meta:
        ordering = ["play", "order"]
        constraints = [models.UniqueConstraint(fields=["play", "order"], name="play_step_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Task(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    outcome_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    play = models.ForeignKey(Play, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks")
    # The day the play was started for the member (its as-of date), so re-running it adds nothing twice.
    started_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_on", "-created_at"]
        indexes = [models.Index(fields=["member", "play"])]

    def __str__(self) -> str:
        return self.title


class Save(models.Model):
    """A member's cancellation averted: why, the plan to get back on track, and the milestone that ends the risk."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="saves")
    saved_on = models.DateField()
    reason = models.TextField()
    plan = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The member's next milestone when saved: reaching it ends the risk.
    milestone = models.ForeignKey(
        "journeys.SuccessMilestone", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-saved_on", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(plan=""), name="save_has_a_plan")]

    def __str__(self) -> str:
        return f"{self.member} saved on {self.saved_on}"


class OutreachMessage(models.Model):
    """An outreach message that passed the value check and was sent to a member."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="outreach_messages")
    to_email = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    value_items = models.JSONField(default=list)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.member}"
