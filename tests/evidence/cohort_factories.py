"""Members whose membership terms give a planted join-year cohort survival, for the retention tests."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from membersuccess.members.models import Member, MembershipTerm, Segment

_ids = itertools.count(1)


def plant_cohort(*, joined: date, survivors: list[int], segment: Segment | None = None, dues: str = "200") -> None:
    """survivors[t] members still active after t renewals: members leaving at t hold t + 1 yearly terms."""
    members, terms = [], []
    for periods_kept in range(len(survivors)):
        staying = survivors[periods_kept + 1] if periods_kept + 1 < len(survivors) else 0
        leaving_now = survivors[periods_kept] - staying
        for _ in range(leaving_now):
            n = next(_ids)
            members.append(Member(external_id=f"C-{n}", name=f"Cohort member {n}", joined_on=joined, segment=segment))
            terms.append(periods_kept + 1)
    Member.objects.bulk_create(members)
    rows = []
    for member, count in zip(members, terms, strict=True):
        for k in range(count):
            start = joined.replace(year=joined.year + k)
            rows.append(MembershipTerm(
                external_id=f"CT-{member.external_id}-{k}", member=member, start_on=start,
                end_on=start + timedelta(days=365), dues=Decimal(dues),
                status=MembershipTerm.Status.RENEWED if k + 1 < count else MembershipTerm.Status.ACTIVE,
            ))
    MembershipTerm.objects.bulk_create(rows)
