"""Report figures on renewals and money: member and dues retention, renewal rate by success status,
value at risk and expansion. Every figure states the window it is measured over."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from membersuccess.evidence.report.history import VectorsAsOf
from membersuccess.members.models import MembershipTerm

YEAR = timedelta(days=365)
RENEWED = frozenset({MembershipTerm.Status.RENEWED, MembershipTerm.Status.UPGRADED, MembershipTerm.Status.DOWNGRADED})
LEFT = frozenset({MembershipTerm.Status.LAPSED, MembershipTerm.Status.CANCELLED})
# A renewal term may start a few weeks after the previous one ended (a grace period).
NEXT_TERM_GAP = timedelta(days=92)
STATUS_LABELS = {"on_track": "On track", "drifting": "Drifting", "off_track": "Off track", "too_early": "Too early"}
STATUS_ORDER = ("on_track", "drifting", "off_track", "too_early")
AT_RISK = ("off_track", "drifting")


@dataclass(frozen=True)
class Term:
    member_id: int
    start_on: date
    end_on: date
    dues: float
    status: str


@dataclass(frozen=True)
class Decision:
    """A term that came up for renewal, what the member decided, and the dues before and after."""

    member_id: int
    end_on: date
    dues: float
    renewed: bool
    upgraded: bool
    next_dues: float  # dues of the following term, 0 when they left


def load_terms() -> dict[int, list[Term]]:
    """Every membership term, per member, oldest first."""
    terms: dict[int, list[Term]] = defaultdict(list)
    rows = MembershipTerm.objects.order_by("member_id", "start_on").values_list(
        "member_id", "start_on", "end_on", "dues", "status")
    for member_id, start_on, end_on, dues, status in rows.iterator(chunk_size=20_000):
        terms[member_id].append(Term(member_id, start_on, end_on, float(dues), status))
    return terms


def decisions_between(terms: dict[int, list[Term]], *, after: date, until: date) -> list[Decision]:
    """Terms ending in (after, until] whose renewal was decided (renewed, lapsed or cancelled)."""
    decided = []
    for member_terms in terms.values():
        for index, term in enumerate(member_terms):
            if not (after < term.end_on <= until) or (term.status not in RENEWED and term.status not in LEFT):
                continue
            renewed = term.status in RENEWED
            following = next((t for t in member_terms[index + 1:]
                              if t.start_on <= term.end_on + NEXT_TERM_GAP), None) if renewed else None
            decided.append(Decision(
                member_id=term.member_id, end_on=term.end_on, dues=term.dues, renewed=renewed,
                upgraded=term.status == MembershipTerm.Status.UPGRADED,
                next_dues=(following.dues if following else term.dues) if renewed else 0.0,
            ))
    return decided


@dataclass(frozen=True)
class PeriodRetention:
    label: str
    decided: int
    renewed: int

    @property
    def rate(self) -> float | None:
        return self.renewed / self.decided if self.decided else None


@dataclass(frozen=True)
class Retention:
    """Member and dues retention over the twelve months up to the as-of date."""

    since: date
    until: date
    decided: int
    renewed: int
    dues_up: float
    dues_kept_gross: float  # renewed dues, each capped at what it was (upgrades not counted)
    dues_kept_net: float  # what renewing members pay now, upgrades and downgrades included
    by_quarter: list[PeriodRetention]

    @property
    def member_rate(self) -> float | None:
        return self.renewed / self.decided if self.decided else None

    @property
    def gross_dues_rate(self) -> float | None:
        return self.dues_kept_gross / self.dues_up if self.dues_up else None

    @property
    def net_dues_rate(self) -> float | None:
        return self.dues_kept_net / self.dues_up if self.dues_up else None


def _quarter(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def retention(terms: dict[int, list[Term]], *, as_of: date, quarters: int = 8) -> Retention:
    """Member and dues retention of the renewals decided in the last twelve months, and by quarter for two years."""
    since = as_of - YEAR
    decided = decisions_between(terms, after=since, until=as_of)
    history = decisions_between(terms, after=as_of - timedelta(days=quarters * 365 // 4 + 1), until=as_of)
    per_quarter: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for decision in history:
        counts = per_quarter[_quarter(decision.end_on)]
        counts[0] += 1
        counts[1] += decision.renewed
    return Retention(
        since=since, until=as_of, decided=len(decided), renewed=sum(d.renewed for d in decided),
        dues_up=sum(d.dues for d in decided),
        dues_kept_gross=sum(min(d.dues, d.next_dues) for d in decided if d.renewed),
        dues_kept_net=sum(d.next_dues for d in decided if d.renewed),
        by_quarter=[PeriodRetention(label, c[0], c[1]) for label, c in sorted(per_quarter.items())][-quarters:],
    )


@dataclass(frozen=True)
class StatusRenewal:
    """Members of one success status a year ago, and how many renewed when their term came up."""

    status: str
    members: int
    renewed: int
    upgraded: int
    dues_added: float  # upgrades: what the next term costs more than the last

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def rate(self) -> float | None:
        return self.renewed / self.members if self.members else None


def outcomes_after(terms: dict[int, list[Term]], *, start: date, until: date) -> dict[int, Decision]:
    """Per member, the first renewal decision in (start, until]."""
    first: dict[int, Decision] = {}
    for decision in decisions_between(terms, after=start, until=until):
        if decision.member_id not in first or decision.end_on < first[decision.member_id].end_on:
            first[decision.member_id] = decision
    return first


def renewal_by_status(then: VectorsAsOf, outcomes: dict[int, Decision]) -> list[StatusRenewal]:
    """For members scored a year ago whose term came up since: the renewal and upgrade rate per status then."""
    groups: dict[str, list[Decision]] = defaultdict(list)
    for member_id, status in zip(then.column("member_id"), then.column("status"), strict=True):
        decision = outcomes.get(int(member_id))
        if decision is not None:
            groups[str(status)].append(decision)
    return [
        StatusRenewal(
            status=status, members=len(groups[status]), renewed=sum(d.renewed for d in groups[status]),
            upgraded=sum(d.upgraded for d in groups[status]),
            dues_added=sum(max(0.0, d.next_dues - d.dues) for d in groups[status] if d.upgraded),
        )
        for status in STATUS_ORDER if groups.get(status)
    ]


@dataclass(frozen=True)
class StatusValue:
    status: str
    members: int
    dues: float  # dues of the terms ending in the next twelve months
    expected_lapse_rate: float | None  # 1 − the renewal rate of this status a year ago

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def expected_loss(self) -> float | None:
        return None if self.expected_lapse_rate is None else self.dues * self.expected_lapse_rate


@dataclass(frozen=True)
class ValueAtRisk:
    """Dues coming up for renewal in the next twelve months, by the members' success status today."""

    by_status: list[StatusValue]

    @property
    def at_risk(self) -> float:
        return sum(v.dues for v in self.by_status if v.status in AT_RISK)

    @property
    def members_at_risk(self) -> int:
        return sum(v.members for v in self.by_status if v.status in AT_RISK)

    @property
    def up_for_renewal(self) -> float:
        return sum(v.dues for v in self.by_status)

    @property
    def expected_loss(self) -> float:
        return sum(v.expected_loss or 0.0 for v in self.by_status)


def value_at_risk(terms: dict[int, list[Term]], now: VectorsAsOf, history: list[StatusRenewal]) -> ValueAtRisk:
    """Dues of terms ending within a year of as-of, by status now, with the lapse rate each status had."""
    horizon = now.as_of + YEAR
    due: dict[int, float] = {}
    for member_id, member_terms in terms.items():
        ending = [t.dues for t in member_terms
                  if t.status == MembershipTerm.Status.ACTIVE and now.as_of < t.end_on <= horizon]
        if ending:
            due[member_id] = sum(ending)
    lapse = {row.status: None if row.rate is None else 1 - row.rate for row in history}
    members: dict[str, int] = defaultdict(int)
    dues: dict[str, float] = defaultdict(float)
    for member_id, status in zip(now.column("member_id"), now.column("status"), strict=True):
        amount = due.get(int(member_id))
        if amount is not None:
            members[str(status)] += 1
            dues[str(status)] += amount
    return ValueAtRisk([
        StatusValue(status, members[status], dues[status], lapse.get(status))
        for status in STATUS_ORDER if members.get(status)
    ])
