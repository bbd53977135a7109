"""Members get their journey from their desired outcome; staff change it with a reason; confirmations need evidence."""

from __future__ import annotations

from datetime import date

import pytest

from membersuccess.accounts.models import AuditEntry, Role
from membersuccess.journeys.models import MilestoneAchievement
from membersuccess.journeys.services import JourneyError, journey_for, member_journey_change, milestone_confirm
from membersuccess.members.models import DesiredOutcome
from membersuccess.members.services import DesiredOutcomeError, desired_outcome_record
from tests.factories import (
    make_desired_outcome,
    make_journey,
    make_member,
    make_milestone,
    make_required_outcome,
    make_segment,
    make_staff_user,
)

pytestmark = pytest.mark.django_db
TODAY = date(2024, 6, 1)


@pytest.fixture
def manager():
    return make_staff_user(role=Role.SUCCESS_MANAGER)


@pytest.fixture
def certification():
    return make_required_outcome(code="certification", name="Earn certification")


def test_the_journey_for_an_outcome_and_segment_is_the_segments_own(certification):
    students = make_segment(code="students")
    make_journey(name="Everyone", required_outcome=certification)
    own = make_journey(name="Students", required_outcome=certification, segment=students)
    assert journey_for(required_outcome=certification, segment=students) == own


def test_without_a_journey_for_the_segment_the_segment_less_one_is_used(certification):
    default = make_journey(name="Everyone", required_outcome=certification)
    assert journey_for(required_outcome=certification, segment=make_segment()) == default
    assert journey_for(required_outcome=make_required_outcome(), segment=None) is None


def test_recording_a_desired_outcome_puts_the_member_on_its_journey(certification, manager):
    students = make_segment(code="students")
    make_journey(name="Everyone", required_outcome=certification)
    own = make_journey(name="Students", required_outcome=certification, segment=students)
    member = make_member(segment=students)
    desired_outcome_record(member=member, required_outcome=certification, by=manager, today=TODAY)
    member.refresh_from_db()
    assert member.journey == own
    entry = AuditEntry.objects.get(action="member_journey_changed")
    assert entry.detail["reason"] == "Desired outcome recorded: Earn certification"


def test_a_new_desired_outcome_becomes_current_and_the_old_one_stays_as_history(certification, manager):
    member = make_member()
    old = make_desired_outcome(member=member)
    new = desired_outcome_record(
        member=member, required_outcome=certification, channels=["online"], formats=["courses", "self_serve"],
        cadence="monthly", language="en", accessibility="Captions on videos", time_budget_hours_per_month=6,
        source="inferred", target_date=date(2025, 1, 31), by=manager, today=TODAY,
    )
    old.refresh_from_db()
    assert (old.is_current, new.is_current) == (False, True)
    assert (new.channels, new.formats, new.cadence, new.source, new.recorded_on) == (
        ["online"], ["courses", "self_serve"], "monthly", "inferred", TODAY
    )
    assert AuditEntry.objects.get(action="desired_outcome_recorded").detail["required_outcome"] == "certification"


def test_a_member_already_on_a_journey_toward_the_same_outcome_keeps_it(certification, manager):
    chosen = make_journey(name="Chosen by staff", required_outcome=certification, segment=make_segment())
    make_journey(name="Everyone", required_outcome=certification)
    member = make_member(journey=chosen)
    desired_outcome_record(member=member, required_outcome=certification, by=manager, today=TODAY)
    member.refresh_from_db()
    assert member.journey == chosen


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"required_outcome": None}, "required_outcome", "choose what the member must achieve"),
        ({"channels": ["carrier_pigeon"]}, "channels", "unknown channel 'carrier_pigeon'"),
        ({"formats": ["webinars"]}, "formats", "unknown format 'webinars'"),
        ({"cadence": "hourly"}, "cadence", "unknown cadence 'hourly'"),
        ({"language": "English please"}, "language", "is not a language code"),
        ({"time_budget_hours_per_month": -1}, "time_budget_hours_per_month", "from 0 to 744"),
        ({"time_budget_hours_per_month": 1000}, "time_budget_hours_per_month", "from 0 to 744"),
        ({"source": "guessed"}, "source", "unknown source 'guessed'"),
        ({"target_date": date(2024, 5, 1)}, "target_date", "is already past"),
        ({"accessibility": "x" * 201}, "accessibility", "at most 200 characters"),
    ],
)
def test_a_bad_desired_outcome_is_refused_naming_the_field_and_nothing_is_recorded(
    certification, manager, changes, field, problem
):
    member = make_member()
    values = {"member": member, "required_outcome": certification, "by": manager, "today": TODAY, **changes}
    with pytest.raises(DesiredOutcomeError) as caught:
        desired_outcome_record(**values)
    assert problem in caught.value.errors[field]
    assert not DesiredOutcome.objects.exists()


def test_staff_change_a_members_journey_with_a_reason_in_the_audit_log(manager):
    old, new = make_journey(name="Old"), make_journey(name="New")
    member = make_member(journey=old)
    member_journey_change(member=member, journey=new, reason="Moved into leadership track", by=manager)
    member.refresh_from_db()
    assert member.journey == new
    entry = AuditEntry.objects.get(action="member_journey_changed")
    assert entry.actor == manager
    assert entry.detail == {"from": old.pk, "to": new.pk, "reason": "Moved into leadership track"}


def test_a_journey_change_without_a_reason_is_refused(manager):
    member = make_member(journey=make_journey())
    with pytest.raises(JourneyError) as caught:
        member_journey_change(member=member, journey=make_journey(), reason="  ", by=manager)
    assert caught.value.field == "reason"


def test_putting_a_member_on_the_journey_they_are_on_is_refused(manager):
    journey = make_journey(name="Same")
    with pytest.raises(JourneyError, match="already on 'Same'"):
        member_journey_change(member=make_member(journey=journey), journey=journey, reason="why not", by=manager)


@pytest.fixture
def on_journey():
    journey = make_journey()
    milestone = make_milestone(journey=journey, order=1, name="Mentor matched")
    return make_member(journey=journey, joined_on=date(2024, 1, 1)), milestone


def test_staff_confirm_a_milestone_with_evidence(on_journey, manager):
    member, milestone = on_journey
    achievement = milestone_confirm(member=member, milestone=milestone, achieved_on=date(2024, 3, 1),
                                    evidence="Matched with J. Diaz at the spring mixer", by=manager, today=TODAY)
    assert (achievement.source, achievement.confirmed_by, achievement.evidence) == (
        MilestoneAchievement.Source.MANUAL, manager, "Matched with J. Diaz at the spring mixer"
    )
    assert AuditEntry.objects.get(action="milestone_confirmed").detail["milestone"] == milestone.pk


@pytest.mark.parametrize("evidence", ["", "   ", "\n"])
def test_a_confirmation_without_evidence_is_refused(on_journey, manager, evidence):
    member, milestone = on_journey
    with pytest.raises(JourneyError) as caught:
        milestone_confirm(member=member, milestone=milestone, achieved_on=date(2024, 3, 1), evidence=evidence,
                          by=manager, today=TODAY)
    assert caught.value.field == "evidence"
    assert not MilestoneAchievement.objects.exists()


def test_a_confirmation_dated_in_the_future_or_before_joining_is_refused(on_journey, manager):
    member, milestone = on_journey
    for achieved_on, problem in ((date(2024, 7, 1), "in the future"), (date(2023, 12, 1), "before")):
        with pytest.raises(JourneyError, match=problem):
            milestone_confirm(member=member, milestone=milestone, achieved_on=achieved_on, evidence="seen",
                              by=manager, today=TODAY)


def test_a_milestone_of_another_journey_cannot_be_confirmed(on_journey, manager):
    member, _ = on_journey
    elsewhere = make_milestone(journey=make_journey(), order=1, name="Elsewhere")
    with pytest.raises(JourneyError, match="'Elsewhere' is not on"):
        milestone_confirm(member=member, milestone=elsewhere, achieved_on=date(2024, 3, 1), evidence="seen",
                          by=manager, today=TODAY)


def test_confirming_a_milestone_reached_by_rule_turns_it_into_a_confirmed_one(on_journey, manager):
    member, milestone = on_journey
    MilestoneAchievement.objects.create(member=member, milestone=milestone, achieved_on=date(2024, 5, 1))
    milestone_confirm(member=member, milestone=milestone, achieved_on=date(2024, 3, 1), evidence="Certificate 4411",
                      by=manager, today=TODAY)
    achievement = MilestoneAchievement.objects.get()
    assert (achievement.source, achievement.achieved_on) == (MilestoneAchievement.Source.MANUAL, date(2024, 3, 1))


def test_a_milestone_confirmed_already_is_not_confirmed_twice(on_journey, manager):
    member, milestone = on_journey
    milestone_confirm(member=member, milestone=milestone, achieved_on=date(2024, 3, 1), evidence="seen",
                      by=manager, today=TODAY)
    with pytest.raises(JourneyError, match="already confirmed on 01 Mar 2024"):
        milestone_confirm(member=member, milestone=milestone, achieved_on=date(2024, 3, 2), evidence="again",
                          by=manager, today=TODAY)
