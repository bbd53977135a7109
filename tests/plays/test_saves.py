"""Saved members: at risk until they reach the milestone that was next when they were saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from membersuccess.accounts.models import AuditEntry, Role
from membersuccess.members.models import Member
from membersuccess.plays.selectors import SaveState, member_facts, next_best_actions, saves_for
from membersuccess.plays.services import PlayError, record_save
from membersuccess.scoring.models import VectorSnapshot
from membersuccess.scoring.services import score_run
from tests.factories import (
    make_achievement,
    make_interaction,
    make_journey,
    make_member,
    make_milestone,
    make_staff_user,
    make_term,
)
from tests.plays.helpers import AS_OF, make_play, off_track_member

pytestmark = pytest.mark.django_db


def test_a_saved_member_stays_at_risk_until_they_reach_their_next_milestone() -> None:
    case = off_track_member()
    manager = make_staff_user(role=Role.SUCCESS_MANAGER)

    save = record_save(case.member, reason="Wanted to cancel: no time for the course",
                       plan="Two evening modules a week; exam prep course done by 1 Aug", by=manager, saved_on=AS_OF)

    assert save.milestone == case.overdue
    assert member_facts(member=case.member, as_of=AS_OF).is_saved
    assert [row.state for row in saves_for(user=manager)] == [SaveState.AT_RISK]

    make_achievement(member=case.member, milestone=case.overdue, achieved_on=AS_OF + timedelta(days=20))

    assert not member_facts(member=case.member, as_of=AS_OF + timedelta(days=21)).is_saved
    assert [row.state for row in saves_for(user=manager)] == [SaveState.BACK_ON_TRACK]


def test_a_saved_member_who_leaves_anyway_is_shown_as_left() -> None:
    case = off_track_member()
    manager = make_staff_user(role=Role.SUCCESS_MANAGER)
    record_save(case.member, reason="Price", plan="Exam prep course by 1 Aug", by=manager, saved_on=AS_OF)
    Member.objects.filter(pk=case.member.pk).update(status=Member.Status.LAPSED)

    assert [row.state_words for row in saves_for(user=manager)] == ["Left: membership lapsed or cancelled"]


def test_the_saved_member_play_is_offered_while_at_risk() -> None:
    saved_play = make_play(name="Saved: back on the path", trigger="saved_member", trigger_value="")
    case = off_track_member(status="on_track", flags=[])
    record_save(case.member, reason="Price", plan="Exam prep course by 1 Aug", by=None, saved_on=AS_OF)

    assert [r.play for r in next_best_actions(member=case.member, as_of=AS_OF)] == [saved_play]


def test_recording_a_save_is_audited() -> None:
    case = off_track_member()
    record_save(case.member, reason="Price", plan="Exam prep course by 1 Aug", by=None, saved_on=AS_OF)

    entry = AuditEntry.objects.get(action="member_saved")
    assert (entry.object_id, entry.detail["milestone"]) == (case.member.external_id, "Complete prep course")


@pytest.mark.parametrize(
    ("reason", "plan", "field"), [("", "A plan by 1 Aug", "reason"), ("Price", "  ", "plan")]
)
def test_a_save_needs_a_reason_and_a_plan(reason: str, plan: str, field: str) -> None:
    case = off_track_member()
    with pytest.raises(PlayError) as error:
        record_save(case.member, reason=reason, plan=plan, by=None)
    assert error.value.field == field
    assert not case.member.saves.exists()


@pytest.mark.django_db(transaction=True)
def test_the_engine_flags_a_recorded_save_saved_at_risk_until_the_milestone_is_reached() -> None:
    first = date(2024, 6, 2)
    journey = make_journey(name="Certification path")
    course = {"kinds": ["course_completed"], "aggregation": "count", "threshold": 1}
    prep = make_milestone(journey=journey, order=1, name="Complete prep course", due_offset_days=120, rule=course)
    make_milestone(journey=journey, order=2, name="Pass the exam", due_offset_days=365,
                   rule={"kinds": ["exam_passed"], "aggregation": "count", "threshold": 1})
    member = make_member(name="Ada", journey=journey, joined_on=first - timedelta(days=60))
    make_term(member=member, start_on=member.joined_on, end_on=member.joined_on + timedelta(days=365))
    for days in range(1, 60, 3):
        make_interaction(member=member, occurred_at=first - timedelta(days=days))
    score_run(as_of=first)
    record_save(member, reason="Price", plan="Exam prep course by 1 Aug", by=None, saved_on=first)

    score_run(as_of=first + timedelta(days=7))

    after = VectorSnapshot.objects.get(member=member, as_of=first + timedelta(days=7))
    assert after.status != "off_track", after.reasons
    assert "saved_at_risk" in after.flags
    make_interaction(member=member, kind="course_completed", source="lms", occurred_at=first + timedelta(days=8))
    score_run(as_of=first + timedelta(days=14))
    assert "saved_at_risk" not in VectorSnapshot.objects.get(member=member, as_of=first + timedelta(days=14)).flags
    assert member.achievements.get().milestone == prep
    assert [row.state for row in saves_for(user=make_staff_user(role=Role.ADMIN))] == [SaveState.BACK_ON_TRACK]
