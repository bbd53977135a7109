"""Reads of the evidence app: cohort survival from the membership terms in the system of record."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Max

from membersuccess.evidence.cohorts import ALL_MEMBERS, CohortSurvival, MemberTerms, survival_by_cohort
from membersuccess.members.models import Member, MembershipTerm


def data_end(*, today: date) -> date:
    """The last day the membership data speaks for: today, or the latest term start when imports stop earlier."""
    latest = MembershipTerm.objects.aggregate(latest=Max("start_on"))["latest"]
    return min(today, latest) if latest is not None else today


def membership_cohorts(*, as_of: date) -> list[CohortSurvival]:
    """Join-year cohort survival for all members and for each segment, with the average dues of a term."""
    terms: dict[int, list[tuple[date, date, float]]] = defaultdict(list)
    for member_id, start_on, end_on, dues in (
        MembershipTerm.objects.filter(start_on__lte=as_of)
        .order_by("member_id", "start_on")
        .values_list("member_id", "start_on", "end_on", "dues")
        .iterator(chunk_size=10_000)
    ):
        terms[member_id].append((start_on, end_on, float(dues)))
    members: list[MemberTerms] = []
    dues_by_group: dict[str, list[float]] = defaultdict(list)
    for member_id, segment, joined_on in (
        Member.objects.filter(joined_on__lte=as_of).values_list("id", "segment__name", "joined_on")
        .iterator(chunk_size=10_000)
    ):
        own = terms.get(member_id, [])
        members.append(MemberTerms(segment=segment, joined_on=joined_on, terms=own))
        for group in (ALL_MEMBERS, segment):
            if group is not None:
                dues_by_group[group].extend(d for _s, _e, d in own if d > 0)
    groups = survival_by_cohort(members, as_of=as_of)
    ordered = [ALL_MEMBERS, *sorted(name for name in groups if name != ALL_MEMBERS)]
    return [
        CohortSurvival(
            name=name,
            cohorts=groups[name],
            mean_dues=(sum(dues_by_group[name]) / len(dues_by_group[name])) if dues_by_group[name] else None,
        )
        for name in ordered
        if name in groups
    ]
