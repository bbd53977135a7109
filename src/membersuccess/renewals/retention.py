"""Dues retention: gross and net revenue retention and member (logo) retention over a period.

The arithmetic (docs/renewals.md pins it with hand-checked examples):

- A member's *dues in force* on a day d is the dues of their term covering d (start_on ≤ d ≤ end_on),
  whatever its recorded outcome; when two terms cover d, the one that started later counts. No term
  covering d means no dues in force: 0.
- The *starting members* are those with dues in force on `start`. Members who join after `start` are
  not in the ratios (they are new business, not retention).
- For each starting member, s = dues in force on `start` and e = dues in force on `end`.
- Gross revenue retention (GRR) = Σ min(e, s) / Σ s — what was kept, upgrades not counted, never above 1.
- Net revenue retention (NRR) = Σ e / Σ s — what was kept plus upgrades, minus downgrades and lapses.
- Member (logo) retention = (starting members with a term covering `end`) / starting members.
- A member who lapsed and returned before `end` counts as retained, at the dues they returned on.

Groups: by cohort (the year the member joined), segment, or Success Vector status on `start` (the latest
completed scoring on or before `start`; "unscored" when there is none)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from membersuccess.members.models import Member, MembershipTerm
from membersuccess.renewals.errors import RenewalError
from membersuccess.scoring.models import ScoreRun, VectorSnapshot

BY_CHOICES = ("cohort", "segment", "status")
UNSCORED = "unscored"
NO_SEGMENT = "no segment"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Retention:
    """Retention of one group of members from `start` to `end`."""

    group: str  # "all", a join year, a segment name or a vector status
    starting_members: int
    retained_members: int
    starting_dues: Decimal
    kept_dues: Decimal  # Σ min(e, s)
    ending_dues: Decimal  # Σ e

    @property
    def gross_revenue_retention(self) -> float | None:
        return float(self.kept_dues / self.starting_dues) if self.starting_dues else None

    @property
    def net_revenue_retention(self) -> float | None:
        return float(self.ending_dues / self.starting_dues) if self.starting_dues else None

    @property
    def member_retention(self) -> float | None:
        return self.retained_members / self.starting_members if self.starting_members else None


def _in_force(terms: list[MembershipTerm], day: date) -> MembershipTerm | None:
    covering = [t for t in terms if t.start_on <= day <= t.end_on]
    return max(covering, key=lambda t: (t.start_on, t.pk)) if covering else None


def _status_on(day: date, member_ids: list[int]) -> dict[int, str]:
    """Each member's Success Vector status in the latest completed scoring on or before `day`."""
    statuses: dict[int, str] = {}
    rows = (
        VectorSnapshot.objects.filter(run__status=ScoreRun.Status.COMPLETED, as_of__lte=day, member_id__in=member_ids)
        .order_by("member_id", "as_of", "run__finished_at", "run_id")
        .values_list("member_id", "status")
    )
    for member_id, status in rows.iterator(chunk_size=10_000):
        statuses[member_id] = status  # later rows overwrite earlier ones: the latest wins
    return statuses


def check_period(*, start: date, end: date) -> None:
    if end <= start:
        raise RenewalError(f"the period must end after it starts: {start.isoformat()} to {end.isoformat()}",
                           field="end")


def retention(*, start: date, end: date, by: str | None = None) -> list[Retention]:
    """Retention of the whole membership from `start` to `end`: one row "all", or one row per group `by`."""
    check_period(start=start, end=end)
    if by is not None and by not in BY_CHOICES:
        raise RenewalError(f"cannot group retention by {by!r}; use one of {', '.join(BY_CHOICES)}", field="by")
    terms_by_member: dict[int, list[MembershipTerm]] = defaultdict(list)
    starting = MembershipTerm.objects.filter(start_on__lte=start, end_on__gte=start).values("member_id")
    for term in MembershipTerm.objects.filter(member_id__in=starting, start_on__lte=end, end_on__gte=start).only(
        "member_id", "start_on", "end_on", "dues"
    ):
        terms_by_member[term.member_id].append(term)
    member_ids = list(terms_by_member)
    members = {m.pk: m for m in Member.objects.filter(pk__in=member_ids).select_related("segment")}
    statuses = _status_on(start, member_ids) if by == "status" else {}
    groups: dict[str, list[tuple[Decimal, Decimal, bool]]] = defaultdict(list)
    for member_id, terms in terms_by_member.items():
        first, last = _in_force(terms, start), _in_force(terms, end)
        if first is None:
            continue
        s, e = first.dues, (last.dues if last else ZERO)
        groups[_group(by, members[member_id], statuses)].append((s, e, last is not None))
    return [_summarize(name, rows) for name, rows in sorted(groups.items())]


def _group(by: str | None, member: Member, statuses: dict[int, str]) -> str:
    if by == "cohort":
        return str(member.joined_on.year)
    if by == "segment":
        return member.segment.name if member.segment else NO_SEGMENT
    if by == "status":
        return statuses.get(member.pk, UNSCORED)
    return "all"


def _summarize(group: str, rows: list[tuple[Decimal, Decimal, bool]]) -> Retention:
    return Retention(
        group=group,
        starting_members=len(rows),
        retained_members=sum(1 for _, _, retained in rows if retained),
        starting_dues=sum((s for s, _, _ in rows), ZERO),
        kept_dues=sum((min(s, e) for s, e, _ in rows), ZERO),
        ending_dues=sum((e for _, e, _ in rows), ZERO),
    )
