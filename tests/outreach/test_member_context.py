"""The member context for a draft: the next milestone from the journey, resources serving the outcome."""

from __future__ import annotations

from datetime import date

import pytest

from membersuccess.members.models import Offering
from membersuccess.outreach.checks import check_draft
from membersuccess.outreach.selectors import UnknownMember, member_by_external_id, outreach_context
from tests.factories import (
    make_achievement,
    make_desired_outcome,
    make_journey,
    make_member,
    make_milestone,
    make_offering,
    make_required_outcome,
)

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 6, 30)


def test_the_next_milestone_is_the_first_not_achieved_with_its_due_date():
    journey = make_journey()
    first = make_milestone(journey=journey, order=1, name="Attend orientation", due_offset_days=30)
    make_milestone(journey=journey, order=2, name="Complete the ethics course", due_offset_days=90, grace_days=30)
    member = make_member(journey=journey, joined_on=date(2024, 1, 1))
    make_achievement(member=member, milestone=first, achieved_on=date(2024, 1, 20))
    context = outreach_context(member=member, as_of=AS_OF)
    assert context.next_milestone == "Complete the ethics course"
    assert context.next_milestone_due_on == date(2024, 3, 31)
    assert context.next_milestone_overdue is True


def test_resources_serve_the_desired_outcome_and_leave_out_dues_tiers():
    outcome = make_required_outcome(name="Earn certification")
    course = make_offering(name="Exam prep course", kind=Offering.Kind.COURSE)
    tier = make_offering(name="Gold membership", kind=Offering.Kind.DUES_TIER)
    unrelated = make_offering(name="Gala dinner", kind=Offering.Kind.EVENT)
    course.serves.add(outcome)
    tier.serves.add(outcome)
    member = make_member()
    make_desired_outcome(member=member, required_outcome=outcome)
    context = outreach_context(member=member, as_of=AS_OF)
    assert context.required_outcome == "Earn certification"
    assert [r.name for r in context.resources] == ["Exam prep course"]
    assert unrelated.name not in check_draft("Just checking in", member_context=context).reasons[-1]


def test_a_member_without_a_journey_has_no_next_milestone():
    context = outreach_context(member=make_member(name="Ada"), as_of=AS_OF)
    assert context.next_milestone is None
    assert context.resources == ()


def test_naming_a_milestone_already_achieved_is_not_value():
    journey = make_journey()
    first = make_milestone(journey=journey, order=1, name="Attend orientation")
    make_milestone(journey=journey, order=2, name="Join a committee")
    member = make_member(journey=journey)
    make_achievement(member=member, milestone=first, achieved_on=date(2023, 2, 1))
    context = outreach_context(member=member, as_of=AS_OF)
    assert not check_draft("Thanks for attending orientation!", member_context=context).passes
    assert check_draft("Ready to join a committee?", member_context=context).passes


def test_an_unknown_external_id_raises_with_the_id():
    with pytest.raises(UnknownMember, match="'M-404'"):
        member_by_external_id(external_id="M-404")
