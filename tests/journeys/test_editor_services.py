"""Changing journeys and their milestones: one service per change, each recorded in the audit log."""

from __future__ import annotations

from datetime import date

import pytest

from membersuccess.accounts.models import AuditEntry, Role
from membersuccess.journeys.models import Journey, SuccessMilestone
from membersuccess.journeys.rules import MilestoneInput, MilestoneInputError
from membersuccess.journeys.services import (
    JourneyError,
    journey_create,
    journey_update,
    milestone_add,
    milestone_move,
    milestone_remove,
    milestone_update,
)
from tests.factories import (
    make_achievement,
    make_journey,
    make_member,
    make_milestone,
    make_required_outcome,
    make_segment,
    make_staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_staff_user(role=Role.ADMIN)


def rule_input(name: str = "First course", **changes) -> MilestoneInput:
    values: dict = {"name": name, "due_offset_days": 60, "kinds": ["course_completed"], "threshold": 1}
    values.update(changes)
    return MilestoneInput(**values)


def last_audit() -> AuditEntry:
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry is not None
    return entry


def names(journey: Journey) -> list[str]:
    return list(journey.milestones.order_by("order").values_list("name", flat=True))


def test_creating_a_journey_records_who_did_it(admin):
    outcome = make_required_outcome(code="certification", name="Earn certification")
    journey = journey_create(name=" Certification path ", required_outcome=outcome, by=admin)
    assert (journey.name, journey.segment) == ("Certification path", None)
    entry = last_audit()
    assert (entry.action, entry.actor, entry.object_id) == ("journey_created", admin, str(journey.pk))
    assert entry.detail["required_outcome"] == "certification"


def test_a_second_journey_for_the_same_outcome_and_segment_is_refused_next_to_the_segment(admin):
    segment = make_segment(name="Students")
    existing = make_journey(name="Students' path", segment=segment)
    with pytest.raises(JourneyError) as caught:
        journey_create(name="Another", required_outcome=existing.required_outcome, segment=segment, by=admin)
    assert caught.value.field == "segment"
    assert "already has a journey for segment 'Students'" in str(caught.value)


def test_a_journey_without_a_name_is_refused(admin):
    with pytest.raises(JourneyError, match="Give the journey a name"):
        journey_create(name="  ", required_outcome=make_required_outcome(), by=admin)


def test_editing_a_journey_keeps_what_it_was_in_the_audit_entry(admin):
    journey = make_journey(name="Old name")
    journey_update(journey=journey, name="New name", required_outcome=journey.required_outcome, by=admin)
    entry = last_audit()
    assert entry.action == "journey_changed"
    assert (entry.detail["before"]["name"], entry.detail["after"]["name"]) == ("Old name", "New name")


def test_milestones_are_added_at_the_end_of_the_journey(admin):
    journey = make_journey()
    make_milestone(journey=journey, order=1, name="Orientation")
    added = milestone_add(journey=journey, data=rule_input("First course"), by=admin)
    assert (added.order, names(journey)) == (2, ["Orientation", "First course"])
    assert last_audit().action == "milestone_added"


def test_an_invalid_milestone_is_not_added(admin):
    journey = make_journey()
    with pytest.raises(MilestoneInputError) as caught:
        milestone_add(journey=journey, data=rule_input(threshold="-3"), by=admin)
    assert caught.value.errors == {"threshold": "cannot be negative"}
    assert not journey.milestones.exists()
    assert not AuditEntry.objects.filter(action="milestone_added").exists()


def test_a_manual_milestone_is_saved_without_a_rule(admin):
    journey = make_journey()
    added = milestone_add(journey=journey, data=rule_input(achieved_by="manual", kinds=[]), by=admin)
    assert (added.manual, added.rule) == (True, {})


def test_editing_a_milestone_records_the_old_and_new_rule(admin):
    journey = make_journey()
    milestone = make_milestone(journey=journey, order=1)
    milestone_update(milestone=milestone, data=rule_input(aggregation="distinct_days", threshold="3"), by=admin)
    milestone.refresh_from_db()
    assert milestone.rule["aggregation"] == "distinct_days"
    entry = last_audit()
    assert entry.action == "milestone_changed"
    assert entry.detail["before"]["rule"]["aggregation"] == "count"
    assert entry.detail["after"]["rule"]["threshold"] == 3


def test_moving_a_milestone_up_swaps_it_with_the_one_before(admin):
    journey = make_journey()
    for order, name in enumerate(["A", "B", "C"], start=1):
        make_milestone(journey=journey, order=order, name=name)
    milestone_move(milestone=journey.milestones.get(name="C"), direction="up", by=admin)
    assert names(journey) == ["A", "C", "B"]
    entry = last_audit()
    assert (entry.action, entry.detail["after"]) == ("milestone_moved", ["A", "C", "B"])


def test_the_first_milestone_cannot_move_up(admin):
    journey = make_journey()
    make_milestone(journey=journey, order=1, name="A")
    with pytest.raises(JourneyError, match="'A' is already the first milestone"):
        milestone_move(milestone=journey.milestones.get(), direction="up", by=admin)


def test_a_milestone_moves_only_up_or_down(admin):
    journey = make_journey()
    milestone = make_milestone(journey=journey, order=1)
    with pytest.raises(JourneyError, match="use 'up' or 'down'"):
        milestone_move(milestone=milestone, direction="sideways", by=admin)


def test_removing_a_milestone_closes_up_the_order_and_says_how_many_achievements_went(admin):
    journey = make_journey()
    _, b, _ = (make_milestone(journey=journey, order=o, name=n) for o, n in enumerate("ABC", start=1))
    make_achievement(member=make_member(journey=journey), milestone=b, achieved_on=date(2024, 3, 1))
    assert milestone_remove(milestone=b, by=admin) == 1
    assert list(journey.milestones.order_by("order").values_list("name", "order")) == [("A", 1), ("C", 2)]
    entry = last_audit()
    assert (entry.action, entry.detail["name"], entry.detail["achievements_removed"]) == ("milestone_removed", "B", 1)
    assert not SuccessMilestone.objects.filter(pk=b.pk).exists()
