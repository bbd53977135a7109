"""Success Potential: applicants and prospects, the admin's fit criteria, the model learned from
history, and each member's fit at joining."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from membersuccess.members.models import Member, RequiredOutcome, Segment


class FitBand(models.TextChoices):
    STRONG = "strong", "Strong fit"
    MODERATE = "moderate", "Moderate fit"
    POOR = "poor", "Poor fit"


class DeclaredAttribute(models.Model):
    """An attribute the organization asks applicants for (e.g. `years_experience`); only declared
    names may appear in an applicant's attributes, and the fit model learns from them."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        NUMBER = "number", "Number"
        CHOICE = "choice", "One of a list"
        YES_NO = "yes_no", "Yes or no"

    name = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(default=list, blank=True, help_text="For 'one of a list': the allowed values")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label


class Applicant(models.Model):
    """Someone who applied or was approached (a prospect), before they join."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        APPLIED = "applied", "Applied"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        JOINED = "joined", "Joined"

    external_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=20, choices=Member.Kind.choices, default=Member.Kind.INDIVIDUAL)
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    country = models.CharField(max_length=2, blank=True)
    required_outcome = models.ForeignKey(RequiredOutcome, on_delete=models.PROTECT, related_name="applicants")
    acquisition_channel = models.CharField(max_length=60)
    campaign = models.CharField(max_length=120, blank=True)
    applied_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPLIED, db_index=True)
    attributes = models.JSONField(default=dict, blank=True)
    member = models.OneToOneField(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="application"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(acquisition_channel=""), name="applicant_has_acquisition_channel")
        ]

    def __str__(self) -> str:
        return self.name


class FitCriterion(models.Model):
    """A rule the organization sets for fit, explained in words on every page that uses it."""

    class Kind(models.TextChoices):
        OUTCOME_SERVED = "outcome_served", "The stated required outcome is one we serve"
        SEGMENT_IN = "segment_in", "The segment is one of a list"
        SEGMENT_NOT_IN = "segment_not_in", "The segment is not one of a list"
        ATTRIBUTE_GIVEN = "attribute_given", "A declared attribute is given"

    class Effect(models.TextChoices):
        POOR = "poor", "Failing it makes the fit poor"
        MODERATE = "moderate", "Failing it makes the fit at best moderate"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # segment_in / segment_not_in: segment codes; attribute_given: the attribute's name.
    segments = models.JSONField(default=list, blank=True)
    attribute = models.SlugField(max_length=40, blank=True)
    effect = models.CharField(max_length=20, choices=Effect.choices, default=Effect.POOR)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "fit criteria"

    def __str__(self) -> str:
        return self.get_kind_display()


class FitModel(models.Model):
    """A model learned from history: the chance a member with these attributes at joining reached
    their first-year milestones. Stored as logistic-regression weights so every chance can be
    explained feature by feature."""

    trained_at = models.DateTimeField(auto_now_add=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    as_of = models.DateField(help_text="History up to this day; members who joined a year before it are used")
    members_used = models.PositiveIntegerField()
    members_reached = models.PositiveIntegerField()
    cv_auc = models.FloatField(help_text="Cross-validated area under the ROC curve (0.5 = chance)")
    cv_auc_spread = models.FloatField(default=0.0, help_text="Standard deviation of the AUC over the folds")
    folds = models.PositiveSmallIntegerField()
    intercept = models.FloatField()
    # {"segment=students": 0.8, "acquisition_channel=partner": -1.1, ...}
    weights = models.JSONField(default=dict)
    # Out-of-fold chances below `poor_below` are poor fits, at or above `strong_from` strong.
    poor_below = models.FloatField()
    strong_from = models.FloatField()

    class Meta:
        ordering = ["-trained_at", "-pk"]
        get_latest_by = ["trained_at", "pk"]

    def __str__(self) -> str:
        return f"Fit model of {self.trained_at:%Y-%m-%d} (AUC {self.cv_auc:.2f})"

    @property
    def base_rate(self) -> float:
        return self.members_reached / self.members_used if self.members_used else 0.0


class MemberFit(models.Model):
    """A member's fit at joining, as the newest model and the criteria judged it."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="fit_at_joining")
    model = models.ForeignKey(FitModel, on_delete=models.CASCADE, related_name="member_fits")
    chance = models.FloatField()
    band = models.CharField(max_length=20, choices=FitBand.choices, db_index=True)
    reasons = models.JSONField(default=list)
    # Whether the member reached their first-year milestones (None: their first year is not over).
    reached_first_year = models.BooleanField(null=True)
    # True when the chance is out-of-fold: the member was in the training history, and the
    # chance comes from a model that did not see them.
    out_of_fold = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.member}: {self.get_band_display()}"
