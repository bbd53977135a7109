"""Members, what they are trying to achieve with us, and what they hold (terms, offerings)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Segment(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RequiredOutcome(models.Model):
    """What a member must achieve with us, from the catalog the organization defines."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Offering(models.Model):
    class Kind(models.TextChoices):
        DUES_TIER = "dues_tier", "Membership tier"
        COURSE = "course", "Course"
        CERTIFICATION = "certification", "Certification"
        EVENT = "event", "Event"
        PUBLICATION = "publication", "Publication"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    serves = models.ManyToManyField(RequiredOutcome, blank=True, related_name="offerings")

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.CheckConstraint(condition=Q(price__gte=0), name="offering_price_not_negative")]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        ORGANIZATION = "organization", "Organization"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        GRACE = "grace", "In grace period"
        LAPSED = "lapsed", "Lapsed"
        CANCELLED = "cancelled", "Cancelled"

    external_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL)
    name = models.CharField(max_length=200, db_index=True)
    email = models.EmailField(blank=True)
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    joined_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    city = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True)
    acquisition_channel = models.CharField(max_length=60, blank=True)
    journey = models.ForeignKey(
        "journeys.Journey", on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    success_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="portfolio"
    )
    attributes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A human at the member: the member itself for individuals, staff of an organization member."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    role = models.CharField(max_length=120, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(is_primary=True), name="one_primary_contact_per_member"
            )
        ]

    def __str__(self) -> str:
        return self.name


class MembershipTerm(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        RENEWED = "renewed", "Renewed"
        UPGRADED = "upgraded", "Renewed, upgraded"
        DOWNGRADED = "downgraded", "Renewed, downgraded"
        LAPSED = "lapsed", "Lapsed"
        CANCELLED = "cancelled", "Cancelled"

    external_id = models.CharField(max_length=64, unique=True)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="terms")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, null=True, blank=True, related_name="terms")
    start_on = models.DateField()
    end_on = models.DateField()
    dues = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    cancellation_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["member", "-start_on"]
        indexes = [models.Index(fields=["end_on"]), models.Index(fields=["member", "start_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gt=F("start_on")), name="term_ends_after_it_starts"),
            models.CheckConstraint(condition=Q(dues__gte=0), name="term_dues_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.start_on}–{self.end_on}"


class DesiredOutcome(models.Model):
    """Desired Outcome = Required Outcome + Appropriate Experience, per member."""

    class Source(models.TextChoices):
        STATED = "stated", "Stated by the member"
        INFERRED = "inferred", "Inferred from interactions"

    external_id = models.CharField(max_length=64, unique=True)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="desired_outcomes")
    required_outcome = models.ForeignKey(RequiredOutcome, on_delete=models.PROTECT, related_name="desired_by")
    # Appropriate experience: how the member wants to get there.
    channels = models.JSONField(default=list, blank=True)
    formats = models.JSONField(default=list, blank=True)
    cadence = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=20, blank=True)
    accessibility = models.CharField(max_length=200, blank=True)
    time_budget_hours_per_month = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.STATED)
    target_date = models.DateField(null=True, blank=True)
    recorded_on = models.DateField()
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["member", "-recorded_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(is_current=True), name="one_current_desired_outcome"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.required_outcome}"
