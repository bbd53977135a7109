"""A small association a year before its renewals: who was engaged, who renewed, who lapsed.

As of 2024-06-30 eight members hold a term ending on 2024-08-31. Five renewed (a new term from
2024-09-01), three lapsed. The engaged ones attended events and mostly renewed; one engaged member
lapsed and one quiet member renewed, so neither outcome is decided by the scores alone. A member
who joined in 2025 marks how far the data reaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from membersuccess.journeys.models import MilestoneAchievement, SuccessMilestone
from membersuccess.members.models import Member
from tests.factories import make_interaction, make_journey, make_member, make_milestone, make_survey, make_term

AS_OF = date(2024, 6, 30)
JOINED = date(2023, 9, 1)
TERM_END = date(2024, 8, 31)
RENEWAL = date(2024, 9, 1)


@dataclass(frozen=True)
class SmallAssociation:
    members: dict[str, Member]
    mentor: SuccessMilestone  # confirmed by staff, due 120 days after joining


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def build_small_association() -> SmallAssociation:
    journey = make_journey(name="Grow my network")
    make_milestone(journey=journey, order=1, name="First event", due_offset_days=90,
                   rule={"kinds": ["event_attended"], "aggregation": "count", "threshold": 1})
    mentor = SuccessMilestone.objects.create(
        journey=journey, order=2, name="Mentor matched", due_offset_days=120, rule={}, manual=True
    )
    plan = {  # name: (events attended before the as-of date, portal logins, renewed)
        "Ada": (6, 1, True), "Ben": (5, 8, True), "Cy": (4, 2, True), "Dee": (3, 0, True),
        "Eve": (0, 9, True), "Fay": (4, 3, False), "Gus": (0, 6, False), "Hal": (0, 0, False),
    }
    members: dict[str, Member] = {}
    for name, (events, logins, renewed) in plan.items():
        member = make_member(name=name, joined_on=JOINED, journey=journey)
        make_term(member=member, start_on=JOINED, end_on=TERM_END,
                  status="renewed" if renewed else "lapsed")
        if renewed:
            make_term(member=member, start_on=RENEWAL, end_on=date(2025, 8, 31))
        for k in range(events):
            make_interaction(member=member, occurred_at=noon(AS_OF - timedelta(days=20 + 30 * k)))
        for k in range(logins):
            make_interaction(member=member, kind="login", source="portal",
                             occurred_at=noon(AS_OF - timedelta(days=3 + 7 * k)))
        make_survey(member=member, score=9 if name in {"Gus", "Hal", "Ben"} else 6,
                    responded_at=noon(AS_OF - timedelta(days=40)))
        members[name] = member
    later = make_member(name="Later joiner", joined_on=date(2025, 3, 1))
    make_term(member=later, start_on=date(2025, 3, 1))
    return SmallAssociation(members=members, mentor=mentor)


def confirm_mentor(association: SmallAssociation, *, name: str, on: date) -> None:
    MilestoneAchievement.objects.create(
        member=association.members[name], milestone=association.mentor, achieved_on=on,
        source=MilestoneAchievement.Source.MANUAL, evidence="Matched with a mentor at the chapter meeting",
    )
