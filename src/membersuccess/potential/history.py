"""Members as they were at joining, and whether they reached their first-year milestones:
the history the fit model learns from."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from membersuccess.journeys.models import MilestoneAchievement, SuccessMilestone
from membersuccess.members.models import DesiredOutcome, Member, RequiredOutcome
from membersuccess.potential.criteria import FitSubject

FIRST_YEAR_DAYS = 365


@dataclass(frozen=True)
class MemberAtJoining:
    member: Member
    subject: FitSubject
    # Reached every milestone due in their first year, within that year; None while the first
    # year is not over or when their journey has no first-year milestone.
    reached: bool | None


def stated_outcomes() -> dict[int, RequiredOutcome]:
    """Each member's first recorded required outcome: what they stated when they joined."""
    first: dict[int, RequiredOutcome] = {}
    rows = DesiredOutcome.objects.select_related("required_outcome").order_by("member_id", "recorded_on", "pk")
    for desired in rows.iterator(chunk_size=2000):
        first.setdefault(desired.member_id, desired.required_outcome)
    return first


def member_subject(member: Member, *, stated: RequiredOutcome | None) -> FitSubject:
    if stated is None and member.journey is not None:
        stated = member.journey.required_outcome
    attributes = member.attributes if isinstance(member.attributes, dict) else {}
    return FitSubject(
        required_outcome=stated,
        segment=member.segment,
        acquisition_channel=member.acquisition_channel,
        kind=member.kind,
        country=member.country,
        attributes=attributes,
    )


def members_at_joining(*, as_of: date, declared: set[str]) -> list[MemberAtJoining]:
    """Every member who joined by `as_of`, with their first-year outcome where it is known.
    Only declared attributes are read: a member's other attributes were not asked at joining."""
    stated = stated_outcomes()
    first_year: dict[int, list[int]] = defaultdict(list)
    for pk, journey_id in SuccessMilestone.objects.filter(due_offset_days__lte=FIRST_YEAR_DAYS).values_list(
        "pk", "journey_id"
    ):
        first_year[journey_id].append(pk)
    achieved: dict[int, dict[int, date]] = defaultdict(dict)
    for member_id, milestone_id, on in MilestoneAchievement.objects.values_list(
        "member_id", "milestone_id", "achieved_on"
    ).iterator(chunk_size=5000):
        achieved[member_id][milestone_id] = on
    found = []
    members = Member.objects.filter(joined_on__lte=as_of).select_related("segment", "journey__required_outcome")
    for member in members.order_by("pk").iterator(chunk_size=2000):
        subject = member_subject(member, stated=stated.get(member.pk))
        subject = FitSubject(
            required_outcome=subject.required_outcome,
            segment=subject.segment,
            acquisition_channel=subject.acquisition_channel,
            kind=subject.kind,
            country=subject.country,
            attributes={k: v for k, v in subject.attributes.items() if k in declared},
        )
        found.append(MemberAtJoining(member, subject, _reached(member, first_year, achieved, as_of=as_of)))
    return found


def _reached(
    member: Member, first_year: dict[int, list[int]], achieved: dict[int, dict[int, date]], *, as_of: date
) -> bool | None:
    year_ends = member.joined_on + timedelta(days=FIRST_YEAR_DAYS)
    due = first_year.get(member.journey_id or 0, [])
    if year_ends > as_of or not due:
        return None
    mine = achieved.get(member.pk, {})
    return all(m in mine and mine[m] <= year_ends for m in due)
