"""Reads for Success Potential: applicants with their fit, a member's fit at joining, the newest
model, and the report on fit by acquisition channel and campaign."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from membersuccess.members.models import Member
from membersuccess.potential.assessment import BAND_BADGES, Fit, assess, model_is_useful
from membersuccess.potential.criteria import CriteriaContext, FitSubject, criteria_context, explain
from membersuccess.potential.history import FIRST_YEAR_DAYS, member_subject
from membersuccess.potential.models import Applicant, DeclaredAttribute, FitBand, FitCriterion, FitModel, MemberFit

RETAINED_STATUSES = (Member.Status.ACTIVE, Member.Status.GRACE)
NO_CAMPAIGN = "(no campaign recorded)"
NO_CHANNEL = "(no channel recorded)"


def latest_fit_model() -> FitModel | None:
    return FitModel.objects.order_by("-trained_at", "-pk").first()


@dataclass(frozen=True)
class ApplicantFit:
    applicant: Applicant
    fit: Fit


def applicant_subject(applicant: Applicant) -> FitSubject:
    return FitSubject(
        required_outcome=applicant.required_outcome,
        segment=applicant.segment,
        acquisition_channel=applicant.acquisition_channel,
        kind=applicant.kind,
        country=applicant.country,
        attributes=applicant.attributes if isinstance(applicant.attributes, dict) else {},
    )


def applicants_with_fit(*, band: str = "", channel: str = "") -> list[ApplicantFit]:
    """Applicants, newest first, each with its fit; filtered by band and acquisition channel."""
    model = latest_fit_model()
    context = criteria_context()
    applicants: QuerySet[Applicant] = Applicant.objects.select_related("required_outcome", "segment")
    if channel:
        applicants = applicants.filter(acquisition_channel=channel)
    found = [ApplicantFit(a, assess(applicant_subject(a), model=model, context=context)) for a in applicants]
    return [row for row in found if not band or row.fit.band == band]


def applicant_channels() -> list[str]:
    return list(Applicant.objects.order_by("acquisition_channel").values_list("acquisition_channel", flat=True)
                .distinct())


@dataclass(frozen=True)
class MemberFitView:
    """What the member 360 page shows: the band at joining, its chance and reasons."""

    band: str
    band_label: str
    chance: float | None
    reasons: list[str]
    model: FitModel | None
    stored: bool  # False when worked out now because no training run has covered this member yet

    @property
    def badge(self) -> str:
        return BAND_BADGES[self.band]

    @property
    def chance_percent(self) -> int | None:
        return None if self.chance is None else round(100 * self.chance)

    @property
    def model_used(self) -> bool:
        return model_is_useful(self.model)


def member_fit_at_joining(*, member: Member) -> MemberFitView:
    stored = MemberFit.objects.filter(member=member).select_related("model").first()
    if stored is not None:
        return MemberFitView(stored.band, FitBand(stored.band).label, stored.chance, list(stored.reasons),
                             stored.model, stored=True)
    declared = set(DeclaredAttribute.objects.values_list("name", flat=True))
    first = (
        member.desired_outcomes.select_related("required_outcome").order_by("recorded_on", "pk").first()
    )
    subject = member_subject(member, stated=first.required_outcome if first else None)
    subject = FitSubject(subject.required_outcome, subject.segment, subject.acquisition_channel, subject.kind,
                         subject.country, {k: v for k, v in subject.attributes.items() if k in declared})
    fit = assess(subject, model=latest_fit_model(), context=criteria_context())
    return MemberFitView(fit.band, fit.band_label, fit.chance, fit.reasons, fit.model, stored=False)


@dataclass(frozen=True)
class CriterionRow:
    criterion: FitCriterion
    explanation: str


def criteria_rows(context: CriteriaContext | None = None) -> list[CriterionRow]:
    """Every criterion, active or not, explained in words."""
    context = context or criteria_context()
    return [CriterionRow(c, explain(c, context)) for c in FitCriterion.objects.all()]


# report -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AcquisitionRow:
    """Members acquired through one channel (or campaign), by fit band at joining."""

    label: str
    strong: int
    moderate: int
    poor: int

    @property
    def total(self) -> int:
        return self.strong + self.moderate + self.poor

    @property
    def poor_share(self) -> float:
        return self.poor / self.total if self.total else 0.0


@dataclass(frozen=True)
class BandOutcome:
    """How members of one fit band did: first-year milestones and still being a member."""

    band: str
    label: str
    members: int
    first_year_known: int
    reached_first_year: int
    past_first_year: int  # joined more than a year ago
    retained: int  # of those, still members (active or in grace)

    @property
    def attainment(self) -> float | None:
        return self.reached_first_year / self.first_year_known if self.first_year_known else None

    @property
    def retention(self) -> float | None:
        return self.retained / self.past_first_year if self.past_first_year else None


@dataclass(frozen=True)
class PotentialReport:
    model: FitModel | None
    by_channel: list[AcquisitionRow]
    by_campaign: list[AcquisitionRow]
    outcomes: list[BandOutcome]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.by_channel)


def _rows(counts: dict[str, dict[str, int]]) -> list[AcquisitionRow]:
    rows = [AcquisitionRow(label, c["strong"], c["moderate"], c["poor"]) for label, c in counts.items()]
    return sorted(rows, key=lambda r: (-r.poor_share, -r.total, r.label))


def potential_report() -> PotentialReport:
    """Poor-fit share of acquisitions by channel and campaign, and how strong- and poor-fit members did.
    Campaigns come from the member's application, else a `campaign` attribute of the member."""
    campaigns = dict(Applicant.objects.filter(member__isnull=False).values_list("member_id", "campaign"))
    by_channel: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_campaign: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    outcome: dict[str, list[int]] = {band: [0, 0, 0, 0, 0] for band in FitBand.values}
    year_ago = timezone.localdate() - timedelta(days=FIRST_YEAR_DAYS)
    fits = MemberFit.objects.values_list(
        "member_id", "band", "reached_first_year", "member__acquisition_channel", "member__status",
        "member__attributes", "member__joined_on",
    )
    for member_id, band, reached, channel, status, attributes, joined_on in fits.iterator(chunk_size=5000):
        campaign = campaigns.get(member_id) or (attributes or {}).get("campaign") or NO_CAMPAIGN
        by_channel[channel or NO_CHANNEL][band] += 1
        by_campaign[str(campaign)][band] += 1
        counts = outcome[band]
        counts[0] += 1
        if reached is not None:
            counts[1] += 1
            counts[2] += int(reached)
        if joined_on <= year_ago:
            counts[3] += 1
            counts[4] += int(status in RETAINED_STATUSES)
    return PotentialReport(
        model=latest_fit_model(),
        by_channel=_rows(by_channel),
        by_campaign=_rows(by_campaign),
        outcomes=[
            BandOutcome(band, str(label), *outcome[band]) for band, label in FitBand.choices
        ],
    )


