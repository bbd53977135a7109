"""A milestone confirmed by staff with evidence counts for scoring, as much as one reached by rule."""

from __future__ import annotations

from datetime import date

import pytest

from membersuccess.accounts.models import Role
from membersuccess.journeys.models import SuccessMilestone
from membersuccess.journeys.services import JourneyError, milestone_confirm
from membersuccess.scoring.models import VectorSnapshot
from membersuccess.scoring.services import score_run
from tests.factories import make_journey, make_member, make_staff_user, make_term
from tests.scoring.conftest import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentoring():
    journey = make_journey(name="Mentoring")
    matched = SuccessMilestone.objects.create(journey=journey, order=1, name="Mentor matched", due_offset_days=60,
                                              manual=True, rule={})
    SuccessMilestone.objects.create(journey=journey, order=2, name="Six sessions", due_offset_days=300,
                                    rule={"kinds": ["mentoring_session"], "aggregation": "count", "threshold": 6})
    member = make_member(journey=journey, joined_on=date(2024, 1, 1))
    make_term(member=member, start_on=date(2024, 1, 1), end_on=date(2024, 12, 31))
    return member, matched


def next_milestone_name(member) -> str | None:
    snapshot = VectorSnapshot.objects.select_related("next_milestone").get(member=member)
    return snapshot.next_milestone.name if snapshot.next_milestone else None


def test_until_staff_confirm_it_a_manual_milestone_stays_next_and_overdue(mentoring):
    member, _ = mentoring
    score_run(as_of=AS_OF)
    assert next_milestone_name(member) == "Mentor matched"
    assert VectorSnapshot.objects.get(member=member).status == VectorSnapshot.Status.OFF_TRACK


def test_a_confirmed_milestone_counts_in_the_next_scoring_run(mentoring):
    member, matched = mentoring
    milestone_confirm(member=member, milestone=matched, achieved_on=date(2024, 2, 20),
                      evidence="Matched with R. Osei at the February mixer",
                      by=make_staff_user(role=Role.SUCCESS_MANAGER), today=AS_OF)
    score_run(as_of=AS_OF)
    assert next_milestone_name(member) == "Six sessions"


def test_without_evidence_nothing_is_confirmed_and_scoring_still_sees_it_missing(mentoring):
    member, matched = mentoring
    with pytest.raises(JourneyError, match="Say what shows the milestone was reached"):
        milestone_confirm(member=member, milestone=matched, achieved_on=date(2024, 2, 20), evidence="",
                          by=None, today=AS_OF)
    score_run(as_of=AS_OF)
    assert next_milestone_name(member) == "Mentor matched"
