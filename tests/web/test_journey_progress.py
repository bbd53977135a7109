"""How a milestone's due date and state are worked out for one member on one day (no page, no database)."""

from __future__ import annotations

from datetime import date

from membersuccess.journeys.models import MilestoneAchievement, SuccessMilestone
from membersuccess.members.models import Member, MembershipTerm
from membersuccess.members.selectors import MilestoneState, current_term, journey_progress

JOINED = date(2024, 1, 1)


def milestone(pk: int, *, order: int, offset: int, grace: int = 30, due_from: str = "join") -> SuccessMilestone:
    return SuccessMilestone(
        pk=pk, order=order, name=f"M{order}", due_offset_days=offset, grace_days=grace, due_from=due_from
    )


def term(pk: int, start: date, end: date) -> MembershipTerm:
    return MembershipTerm(pk=pk, start_on=start, end_on=end)


def states(milestones, *, as_of: date, achieved: dict[int, date] | None = None, current=None):
    member = Member(joined_on=JOINED)
    achievements = [MilestoneAchievement(milestone_id=pk, achieved_on=day) for pk, day in (achieved or {}).items()]
    return journey_progress(member=member, milestones=milestones, achievements=achievements, term=current, as_of=as_of)


def test_due_on_is_the_joining_date_plus_the_offset():
    [progress] = states([milestone(1, order=1, offset=45)], as_of=date(2024, 1, 10))
    assert progress.due_on == date(2024, 2, 15)
    assert progress.state is MilestoneState.UPCOMING


def test_past_due_but_within_grace_is_in_grace_not_overdue():
    [progress] = states([milestone(1, order=1, offset=30, grace=30)], as_of=date(2024, 3, 1))
    assert progress.state is MilestoneState.IN_GRACE
    assert progress.grace_ends_on == date(2024, 3, 1)


def test_the_day_after_grace_ends_it_is_overdue():
    [progress] = states([milestone(1, order=1, offset=30, grace=30)], as_of=date(2024, 3, 2))
    assert progress.state is MilestoneState.OVERDUE


def test_achieved_wins_over_overdue_and_the_next_milestone_is_the_first_not_achieved():
    progress = states(
        [milestone(2, order=2, offset=60), milestone(1, order=1, offset=10)],
        as_of=date(2025, 1, 1),
        achieved={1: date(2024, 1, 5)},
    )
    assert [p.milestone.order for p in progress] == [1, 2]
    assert [p.state for p in progress] == [MilestoneState.ACHIEVED, MilestoneState.OVERDUE]
    assert [p.is_next for p in progress] == [False, True]


def test_term_start_milestone_without_a_term_is_unscheduled():
    [progress] = states([milestone(1, order=1, offset=30, due_from="term_start")], as_of=date(2024, 6, 1))
    assert progress.due_on is None
    assert progress.state is MilestoneState.UNSCHEDULED
    assert progress.is_next


def test_current_term_is_the_running_one_else_the_latest_started():
    old = term(1, date(2022, 1, 1), date(2023, 1, 1))
    running = term(2, date(2023, 1, 1), date(2024, 1, 1))
    future = term(3, date(2024, 1, 1), date(2025, 1, 1))
    assert current_term(terms=[old, running, future], as_of=date(2023, 6, 1)) == running
    assert current_term(terms=[old], as_of=date(2024, 6, 1)) == old
    assert current_term(terms=[future], as_of=date(2023, 6, 1)) is None
