"""Generated history for the fit model: members whose first-year success depends (or not) on their
acquisition channel, with a journey, first-year milestones and achievements in the database."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np

from membersuccess.journeys.models import Journey, MilestoneAchievement, SuccessMilestone
from membersuccess.members.models import Member, RequiredOutcome
from tests.factories import make_desired_outcome, make_journey, make_milestone, make_required_outcome

CHANNEL_SHIFT = {"referral": 2.0, "web": 0.0, "paid-social": -2.0}
JOINED = date(2023, 1, 10)


def served_journey() -> Journey:
    outcome = make_required_outcome(code="earn-certification", name="Earn certification")
    journey = make_journey(name="Certification path", required_outcome=outcome)
    make_milestone(journey=journey, order=1, name="First course", due_offset_days=90)
    make_milestone(journey=journey, order=2, name="Exam booked", due_offset_days=300)
    make_milestone(journey=journey, order=3, name="Recertified", due_offset_days=800)
    return journey


def make_history(*, planted: bool, size: int = 150, seed: int = 3, journey: Journey | None = None) -> Journey:
    """`size` members who joined in 2023; with `planted`, referral members mostly reach their first-year
    milestones and paid-social members mostly do not."""
    journey = journey or served_journey()
    outcome: RequiredOutcome = journey.required_outcome
    first_year = list(journey.milestones.filter(due_offset_days__lte=365).order_by("order"))
    rng = np.random.default_rng(seed)
    channels = list(CHANNEL_SHIFT)
    members = Member.objects.bulk_create(
        Member(
            external_id=f"H-{seed}-{i}",
            name=f"History {i}",
            joined_on=JOINED + timedelta(days=i % 60),
            acquisition_channel=channels[i % len(channels)],
            journey=journey,
            status=Member.Status.ACTIVE,
        )
        for i in range(size)
    )
    achievements: list[MilestoneAchievement] = []
    for member in members:
        logit = CHANNEL_SHIFT[member.acquisition_channel] if planted else 0.0
        reached = rng.random() < 1 / (1 + math.exp(-logit))
        milestones: list[SuccessMilestone] = first_year if reached else first_year[:1]
        achievements.extend(
            MilestoneAchievement(member=member, milestone=m, achieved_on=member.joined_on + timedelta(days=60))
            for m in milestones
        )
        if not reached:
            member.status = Member.Status.LAPSED
    MilestoneAchievement.objects.bulk_create(achievements)
    Member.objects.bulk_update(members, ["status"])
    for member in members[:5]:
        make_desired_outcome(member=member, required_outcome=outcome, recorded_on=member.joined_on)
    return journey
