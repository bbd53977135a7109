"""The next best action: plays that move the member to their next milestone, ranked by appropriate experience."""

from __future__ import annotations

import pytest

from membersuccess.plays.models import Play, Resource
from membersuccess.plays.selectors import next_best_actions
from tests.plays.helpers import AS_OF, make_play, make_resource, off_track_member

pytestmark = pytest.mark.django_db


def dinner_and_course() -> tuple[Play, Play]:
    dinner = make_play(name="Chapter dinner", resources=[make_resource(
        name="Networking dinner", kind=Resource.Kind.EVENT, channels=["in_person"], formats=["events", "community"])])
    course = make_play(name="Self-paced course", resources=[make_resource(
        name="Online review course", channels=["online"], formats=["courses", "self_serve"])])
    return dinner, course


def test_a_self_serve_online_learner_is_offered_the_course_before_the_dinner() -> None:
    dinner, course = dinner_and_course()
    ada = off_track_member(channels=["online"], formats=["self_serve", "courses"]).member

    ranked = [r.play for r in next_best_actions(member=ada, as_of=AS_OF)]

    assert ranked == [course, dinner]


def test_a_member_who_likes_events_in_person_is_offered_the_dinner_first() -> None:
    dinner, course = dinner_and_course()
    ben = off_track_member(name="Ben", channels=["in_person"], formats=["events"]).member

    ranked = [r.play for r in next_best_actions(member=ben, as_of=AS_OF)]

    assert ranked == [dinner, course]


def test_the_reason_says_why_in_words() -> None:
    dinner_and_course()
    ada = off_track_member(channels=["online"], formats=["self_serve", "courses"]).member

    best = next_best_actions(member=ada, as_of=AS_OF)[0]

    assert best.reason.startswith("Ada Okafor is off track.")
    assert "next milestone, “Complete prep course”" in best.reason
    assert "“Online review course” (course) — Ada Okafor prefers courses and self-serve and online" in best.reason
    assert best.next_milestone == "Complete prep course"


def test_the_dinner_reason_says_it_does_not_fit_how_the_member_works() -> None:
    dinner, _ = dinner_and_course()
    ada = off_track_member(channels=["online"], formats=["self_serve"]).member

    reasons = {r.play: r.reason for r in next_best_actions(member=ada, as_of=AS_OF)}

    assert "it is in person while Ada Okafor prefers online" in reasons[dinner]


def test_plays_whose_trigger_does_not_fire_are_not_offered() -> None:
    make_play(name="Quiet members", trigger=Play.Trigger.FLAG, trigger_value="quiet")
    ada = off_track_member().member

    assert next_best_actions(member=ada, as_of=AS_OF) == []


def test_a_play_toward_another_milestone_is_not_offered() -> None:
    case = off_track_member()
    make_play(name="Exam day", toward=case.later)
    toward_next = make_play(name="Prep course", toward=case.overdue)

    assert [r.play for r in next_best_actions(member=case.member, as_of=AS_OF)] == [toward_next]


def test_inactive_plays_are_not_offered() -> None:
    make_play(name="Retired play", is_active=False)
    assert next_best_actions(member=off_track_member().member, as_of=AS_OF) == []
