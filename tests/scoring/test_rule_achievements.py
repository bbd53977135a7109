"""A completed scoring run records the milestones members reached by rule; staff confirmations stay as they are."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from membersuccess.journeys.models import MilestoneAchievement
from membersuccess.scoring import services
from membersuccess.scoring.models import ScoreRun
from membersuccess.scoring.services import score_run
from tests.factories import make_interaction
from tests.scoring.conftest import AS_OF

RULE = MilestoneAchievement.Source.RULE
MANUAL = MilestoneAchievement.Source.MANUAL


def achievements():
    return sorted(MilestoneAchievement.objects.values_list("member_id", "milestone__name", "source", "achieved_on"))


def test_a_member_whose_interactions_meet_a_rule_gets_a_rule_achievement(association):
    score_run(as_of=AS_OF)
    # Engaged attended events (rule met); they have not sat on a committee, and Missed did nothing.
    assert achievements() == [(association["engaged"].pk, "First event attended", RULE, AS_OF)]


def test_a_milestone_confirmed_by_staff_is_left_as_it_is(association):
    confirmed = MilestoneAchievement.objects.create(
        member=association["engaged"], milestone=association["first"], achieved_on=date(2023, 10, 1),
        source=MANUAL, evidence="Signed in at the chapter dinner",
    )
    score_run(as_of=AS_OF)
    confirmed.refresh_from_db()
    assert (confirmed.source, confirmed.achieved_on, confirmed.evidence) == (
        MANUAL, date(2023, 10, 1), "Signed in at the chapter dinner"
    )
    assert MilestoneAchievement.objects.count() == 1


def test_scoring_again_adds_nothing_twice(association):
    score_run(as_of=AS_OF)
    score_run(as_of=AS_OF)
    score_run(as_of=AS_OF + timedelta(days=7))
    assert achievements() == [(association["engaged"].pk, "First event attended", RULE, AS_OF)]


def test_a_run_for_an_earlier_date_moves_a_rule_achievement_back(association):
    score_run(as_of=AS_OF)
    earlier = AS_OF - timedelta(days=30)  # the engaged member had attended events by then too
    score_run(as_of=earlier)
    assert achievements() == [(association["engaged"].pk, "First event attended", RULE, earlier)]


def test_a_milestone_met_later_is_recorded_by_a_later_run(association):
    score_run(as_of=AS_OF)
    for days in (1, 2):
        make_interaction(member=association["missed"], occurred_at=AS_OF + timedelta(days=days),
                         kind="committee_meeting", source="volunteering")
    later = AS_OF + timedelta(days=7)
    score_run(as_of=later)
    assert (association["missed"].pk, "Serving on a committee", RULE, later) in achievements()


def test_a_failed_run_records_no_achievement(association, monkeypatch):
    real_record = services.record_rule_achievements

    def record_then_crash(**kwargs):
        real_record(**kwargs)
        raise RuntimeError("connection lost")

    monkeypatch.setattr(services, "record_rule_achievements", record_then_crash)
    with pytest.raises(RuntimeError, match="connection lost"):
        score_run(as_of=AS_OF)
    assert ScoreRun.objects.get().status == ScoreRun.Status.FAILED
    assert not MilestoneAchievement.objects.exists()
