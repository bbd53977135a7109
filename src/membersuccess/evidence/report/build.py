"""The executive report's figures as of one date: what the board reads, computed from the system of record."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Min
from django.utils import timezone

from membersuccess.evidence.backtest import BacktestResult, measure
from membersuccess.evidence.errors import EvidenceError
from membersuccess.evidence.forecast import RetentionForecast, forecast_from_database
from membersuccess.evidence.report.history import VectorsAsOf, vectors_as_of
from membersuccess.evidence.report.renewals import (
    YEAR,
    Retention,
    StatusRenewal,
    ValueAtRisk,
    load_terms,
    outcomes_after,
    renewal_by_status,
    retention,
    value_at_risk,
)
from membersuccess.evidence.report.success import (
    MissedMilestone,
    Quadrant,
    UsageBand,
    missed_milestones,
    quadrant,
    usage_against_success,
)
from membersuccess.members.models import Member

BACKTEST_HORIZON_DAYS = 365


class ReportError(ValueError):
    """The report cannot be made as asked; the message says why in staff's words."""


@dataclass(frozen=True)
class ExecutiveReport:
    as_of: date
    generated_at: datetime
    signal_version: int
    members_scored: int
    status_counts: dict[str, int]
    retention: Retention
    renewal_by_status: list[StatusRenewal]  # status a year ago → renewal since
    value_at_risk: ValueAtRisk
    quadrant: Quadrant
    usage: list[UsageBand]
    missed_milestones: list[MissedMilestone]
    backtest: BacktestResult | None
    backtest_note: str
    lifetime: list[RetentionForecast]
    lifetime_notes: list[str]
    members_up_for_renewal: int

    @property
    def year_ago(self) -> date:
        return self.as_of - YEAR

    @property
    def one_point_worth(self) -> float | None:
        """What one percentage point more retention is worth: 1% of the members up for renewal in the
        next twelve months, each kept for a renewal's dues plus the discounted dues still to come after it."""
        if not self.lifetime:
            return None
        everyone = self.lifetime[0]
        after = everyone.residual_lifetime_value[1] if len(everyone.residual_lifetime_value) > 1 else 0.0
        return 0.01 * self.members_up_for_renewal * (everyone.dues + after)


def check_as_of(as_of: date, *, today: date | None = None) -> None:
    """Refuse a date in the future or before any member joined, naming the limits."""
    today = today or timezone.localdate()
    if as_of > today:
        raise ReportError(f"--as-of {as_of} is in the future (today is {today}): the report looks back, not ahead")
    first = Member.objects.aggregate(first=Min("joined_on"))["first"]
    if first is None:
        raise ReportError("there are no members yet: import members and memberships first (msm import)")
    if as_of < first:
        raise ReportError(f"--as-of {as_of} is before any data: the first member joined on {first}")


def executive_report(*, as_of: date) -> ExecutiveReport:
    """Every figure of the executive report as of `as_of`; outcomes are those known now."""
    check_as_of(as_of)
    terms = load_terms()
    now = vectors_as_of(as_of=as_of)
    then = vectors_as_of(as_of=as_of - YEAR)
    outcomes = outcomes_after(terms, start=then.as_of, until=as_of)
    by_status = renewal_by_status(then, outcomes)
    risk = value_at_risk(terms, now, by_status)
    result, note = _backtest(then)
    try:
        lifetime, lifetime_notes = forecast_from_database(as_of=as_of)
    except EvidenceError as error:
        lifetime, lifetime_notes = [], [str(error)]
    return ExecutiveReport(
        as_of=as_of,
        generated_at=timezone.now(),
        signal_version=now.signal_version,
        members_scored=len(now),
        status_counts=dict(Counter(str(s) for s in now.column("status"))),
        retention=retention(terms, as_of=as_of),
        renewal_by_status=by_status,
        value_at_risk=risk,
        quadrant=quadrant(now),
        usage=usage_against_success(now, then, outcomes),
        missed_milestones=missed_milestones(then, outcomes),
        backtest=result,
        backtest_note=note,
        lifetime=lifetime,
        lifetime_notes=lifetime_notes,
        members_up_for_renewal=sum(v.members for v in risk.by_status),
    )


def _backtest(then: VectorsAsOf) -> tuple[BacktestResult | None, str]:
    """The backtest on the vectors a year before as-of: the same figures `msm backtest` prints for that date."""
    try:
        return measure(then.known, horizon_days=BACKTEST_HORIZON_DAYS), ""
    except EvidenceError as error:
        return None, f"The backtest could not be run as of {then.as_of}: {error}"
