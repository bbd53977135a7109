"""apply_plays: after scoring, each member whose trigger fires gets the best-fitting play started, once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from membersuccess.plays.models import Play, Resource, Task
from membersuccess.plays.services import apply_plays
from tests.factories import make_interaction
from tests.plays.helpers import AS_OF, make_play, make_resource, off_track_member

pytestmark = pytest.mark.django_db


def test_an_off_track_member_gets_the_best_fitting_plays_tasks() -> None:
    make_play(name="Dinner", resources=[make_resource(kind=Resource.Kind.EVENT, channels=["in_person"])],
              steps=[("events", "Reserve a dinner seat", 5)])
    course = make_play(name="Course", resources=[make_resource(channels=["online"], formats=["courses"])],
                       steps=[("education", "Enrol in the course", 3)])
    ada = off_track_member(channels=["online"], formats=["courses"]).member

    applied = apply_plays(as_of=AS_OF)

    assert (applied.members_checked, applied.plays_started, applied.tasks_created) == (1, 1, 1)
    task = Task.objects.get()
    assert task.team is not None
    assert (task.member, task.play, task.title, task.team.code) == (ada, course, "Enrol in the course", "education")
    assert task.description.startswith("Ada Okafor is off track.")


def test_applying_plays_twice_for_a_date_adds_nothing() -> None:
    make_play()
    off_track_member()
    apply_plays(as_of=AS_OF)

    again = apply_plays(as_of=AS_OF)

    assert again.plays_started == 0
    assert Task.objects.count() == 1


def test_a_play_is_not_started_again_while_its_task_is_open() -> None:
    make_play()
    off_track_member()
    apply_plays(as_of=AS_OF)

    assert apply_plays(as_of=AS_OF + timedelta(days=60)).plays_started == 0


def test_a_member_whose_desired_outcome_is_unknown_gets_a_task_to_learn_it_with_context_clues() -> None:
    make_play(name="Learn the desired outcome", trigger=Play.Trigger.OUTCOME_UNKNOWN, trigger_value="",
              steps=[("member-success", "Learn the member's desired outcome", 10)])
    ada = off_track_member(with_outcome=False, status="on_track", flags=[]).member
    for _ in range(3):
        make_interaction(member=ada, kind="course_completed", source="lms", occurred_at=AS_OF - timedelta(days=9))
    make_interaction(member=ada, kind="event_attended", source="events", occurred_at=AS_OF - timedelta(days=20))

    apply_plays(as_of=AS_OF)

    task = Task.objects.get(member=ada)
    assert task.title == "Learn the member's desired outcome"
    assert "we don't know what Ada Okafor is trying to achieve with us yet" in task.description
    assert "Most frequent interactions: course completed (3), event attended (1)" in task.description
    assert "Sources used most: lms (3), events (1)" in task.description
