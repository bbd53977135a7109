"""The next milestone of a member: the first one not achieved, when it is due, and whether it is overdue."""

from __future__ import annotations

from datetime import date

import pytest

from membersuccess.journeys.models import SuccessMilestone
from membersuccess.journeys.selectors import (
    MilestoneState,
    next_milestone,
    next_milestones,
    with_overdue_next_milestone,
)
from membersuccess.members.models import Member
from tests.factories import make_achievement, make_journey, make_member, make_milestone, make_term

JOINED = date(2024, 1, 1)
TERM_START = date(2024, 1, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    """Two milestones from joining: day 30 (grace 10), day 90 (grace 30)."""
    journey = make_journey(name="Earn certification")
    make_milestone(journey=journey, order=1, name="Orientation", due_offset_days=30, grace_days=10)
    make_milestone(journey=journey, order=2, name="First course", due_offset_days=90, grace_days=30)
    return journey


def milestone(journey, order: int) -> SuccessMilestone:
    return journey.milestones.get(order=order)


def test_the_next_milestone_is_the_first_one_not_achieved(journey):
    member = make_member(journey=journey, joined_on=JOINED)
    make_achievement(member=member, milestone=milestone(journey, 1), achieved_on=date(2024, 1, 20))
    found = next_milestone(member=member, as_of=date(2024, 2, 1))
    assert found is not None
    assert (found.milestone.name, found.due_on, found.grace_days) == ("First course", date(2024, 3, 31), 30)


def test_a_milestone_before_its_due_date_is_upcoming_and_not_overdue(journey):
    member = make_member(journey=journey, joined_on=JOINED)
    found = next_milestone(member=member, as_of=date(2024, 1, 31))
    assert found is not None
    assert (found.state, found.overdue, found.days_overdue, found.days_past_due) == (
        MilestoneState.UPCOMING, False, 0, 0
    )


def test_a_milestone_past_due_but_within_grace_is_not_overdue_yet(journey):
    member = make_member(journey=journey, joined_on=JOINED)
    found = next_milestone(member=member, as_of=date(2024, 2, 10))  # due 31 Jan, grace until 10 Feb
    assert found is not None
    assert (found.in_grace, found.overdue, found.days_past_due) == (True, False, 10)


def test_a_milestone_is_overdue_the_day_after_its_grace_ends_and_counts_the_days_since(journey):
    member = make_member(journey=journey, joined_on=JOINED)
    found = next_milestone(member=member, as_of=date(2024, 2, 15))
    assert found is not None
    assert (found.overdue, found.days_overdue, found.grace_ends_on) == (True, 5, date(2024, 2, 10))


def test_a_member_without_a_journey_has_no_next_milestone():
    assert next_milestone(member=make_member(), as_of=date(2024, 6, 1)) is None


def test_a_member_who_achieved_every_milestone_has_no_next_milestone(journey):
    member = make_member(journey=journey, joined_on=JOINED)
    for order in (1, 2):
        make_achievement(member=member, milestone=milestone(journey, order), achieved_on=date(2024, 1, 20))
    assert next_milestone(member=member, as_of=date(2024, 6, 1)) is None


def test_a_term_start_milestone_is_due_from_the_current_terms_start():
    journey = make_journey()
    make_milestone(journey=journey, order=1, due_offset_days=60, due_from=SuccessMilestone.DueFrom.TERM_START)
    member = make_member(journey=journey, joined_on=date(2020, 1, 1))
    make_term(member=member, start_on=date(2023, 1, 1), end_on=date(2023, 12, 31))
    make_term(member=member, start_on=date(2024, 1, 1), end_on=date(2024, 12, 31))
    found = next_milestone(member=member, as_of=date(2024, 2, 1))
    assert found is not None
    assert found.due_on == date(2024, 3, 1)


def test_a_term_start_milestone_without_any_term_is_unscheduled_and_never_overdue():
    journey = make_journey()
    make_milestone(journey=journey, order=1, due_offset_days=60, due_from=SuccessMilestone.DueFrom.TERM_START)
    member = make_member(journey=journey, joined_on=date(2020, 1, 1))
    found = next_milestone(member=member, as_of=date(2024, 2, 1))
    assert found is not None
    assert (found.state, found.due_on, found.overdue) == (MilestoneState.UNSCHEDULED, None, False)


def test_next_milestones_answers_for_many_members_in_a_few_queries(journey, django_assert_max_num_queries):
    members = [make_member(journey=journey, joined_on=JOINED) for _ in range(20)]
    make_achievement(member=members[0], milestone=milestone(journey, 1), achieved_on=date(2024, 1, 5))
    with django_assert_max_num_queries(3):
        found = next_milestones(members=members, as_of=date(2024, 3, 1))
    assert found[members[0].pk].milestone.name == "First course"
    assert {found[m.pk].milestone.name for m in members[1:]} == {"Orientation"}


def test_the_overdue_filter_finds_exactly_the_members_whose_next_milestone_is_overdue(journey):
    as_of = date(2024, 6, 1)
    other = make_journey()
    make_milestone(journey=other, order=1, due_offset_days=10, grace_days=0,
                   due_from=SuccessMilestone.DueFrom.TERM_START)
    cases = {
        "new, nothing due": make_member(journey=journey, joined_on=date(2024, 5, 20)),
        "first overdue": make_member(journey=journey, joined_on=JOINED),
        "first achieved, second overdue": make_member(journey=journey, joined_on=JOINED),
        "first achieved, second in grace": make_member(journey=journey, joined_on=date(2024, 2, 15)),
        "all achieved": make_member(journey=journey, joined_on=JOINED),
        "no journey": make_member(joined_on=JOINED),
        "term start, overdue": make_member(journey=other, joined_on=JOINED),
        "term start, new term": make_member(journey=other, joined_on=JOINED),
        "term start, no term": make_member(journey=other, joined_on=JOINED),
    }
    for name in ("first achieved, second overdue", "first achieved, second in grace", "all achieved"):
        make_achievement(member=cases[name], milestone=milestone(journey, 1), achieved_on=date(2024, 1, 20))
    make_achievement(member=cases["all achieved"], milestone=milestone(journey, 2), achieved_on=date(2024, 3, 1))
    make_term(member=cases["term start, overdue"], start_on=date(2024, 1, 1), end_on=date(2024, 12, 31))
    make_term(member=cases["term start, new term"], start_on=date(2023, 1, 1), end_on=date(2023, 12, 31))
    make_term(member=cases["term start, new term"], start_on=date(2024, 5, 25), end_on=date(2025, 5, 24))

    by_database = set(with_overdue_next_milestone(Member.objects.all(), as_of=as_of).values_list("pk", flat=True))
    by_python = {pk for pk, n in next_milestones(members=Member.objects.all(), as_of=as_of).items() if n.overdue}
    label = {member.pk: name for name, member in cases.items()}
    expected = {"first overdue", "first achieved, second overdue", "term start, overdue"}
    assert {label[pk] for pk in by_database} == expected
    assert by_database == by_python


def test_the_overdue_filter_finds_nobody_when_no_journey_has_milestones():
    make_member(joined_on=JOINED)
    assert not with_overdue_next_milestone(Member.objects.all(), as_of=date(2024, 6, 1)).exists()
