"""The Success Vector's formulas, pinned on small hand-computed members, on every backend.

Unless a test says otherwise the signals are SMALL: events attended (count over 365 days, target 4,
weight 2), portal days (distinct days over 90, target 6, weight 1) and open tickets (limit 2,
weight 1), with the milestone weight 4, so the score is 100 · (4·p + 2·n_events + n_portal + n_open) / 8."""

from __future__ import annotations

from datetime import timedelta

import pytest

from membersuccess.engine.inputs import day_number
from membersuccess.engine.milestones import Milestone, MilestoneRule
from membersuccess.engine.params import ScoringParams
from membersuccess.engine.signals import DEFAULT_CONFIG, ScoringConfig, Signal
from tests.engine.builders import AS_OF, Association, days_ago

SMALL = ScoringConfig(
    signals=(
        Signal("events", "events attended", "count", 365, "helps", 4, 2.0,
               sources=("events",), kinds=("event_attended",)),
        Signal("portal_days", "days using the portal", "distinct_days", 90, "helps", 6, 1.0,
               sources=("portal",), kinds=("login",)),
        Signal("open_tickets", "open support tickets", "open_tickets", 365, "hurts", 2, 1.0),
    ),
    params=ScoringParams(milestone_weight=4.0),
)
FIRST_EVENT = Milestone(71, 7, 1, "First event attended", 90, "join", 30,
                        MilestoneRule(kinds=("event_attended",), aggregation="count", threshold=1))
COMMITTEE = Milestone(72, 7, 2, "Serving on a committee", 400, "join", 60,
                      MilestoneRule(kinds=("committee_meeting",), aggregation="count", threshold=2))
JOURNEY = (FIRST_EVENT, COMMITTEE)


def only(rows):
    assert len(rows) == 1
    return rows[0]


def test_member_with_no_interactions_scores_the_milestone_and_ticket_parts_only(score):
    a = Association()
    a.member(1)
    row = only(score(a, config=SMALL))
    assert row["milestone_position"] == 1.0  # no journey: nothing is due
    assert row["score"] == pytest.approx(100 * (4 + 0 + 0 + 1) / 8)
    assert row["velocity"] == 0.0
    assert row["confidence"] == 0.0
    assert row["status"] == "on_track"
    assert row["flag_quiet"] is True
    assert row["x_events"] == 0.0 and row["n_events"] == 0.0


def test_member_with_no_interactions_is_off_track_and_quiet_under_the_default_signals(score):
    a = Association()
    a.member(1)
    row = only(score(a, config=DEFAULT_CONFIG))
    # Only the two ticket signals (0.75 + 0.5) and the milestone position (4) count: 5.25 of 14.
    assert row["score"] == pytest.approx(37.5)
    assert row["status"] == "off_track"
    assert row["flag_quiet"] is True and row["flag_off_track"] is True


def test_member_with_only_tickets(score):
    a = Association()
    a.member(1)
    a.ticket(1, opened=days_ago(10))
    a.ticket(1, opened=days_ago(40), resolved_after_hours=30)
    row = only(score(a, config=SMALL))
    assert row["x_open_tickets"] == 1.0
    assert row["n_open_tickets"] == 0.5
    assert row["score"] == pytest.approx(100 * (4 + 0.5) / 8)
    assert row["confidence"] == pytest.approx(1 / 4)  # only the ticket signal has data
    assert row["days_quiet"] == 10
    assert row["flag_quiet"] is False


def test_median_ticket_resolution_hours(score):
    a = Association()
    a.member(1)
    for hours in (10, 30, 50):
        a.ticket(1, opened=days_ago(20), resolved_after_hours=hours)
    row = only(score(a, config=DEFAULT_CONFIG))
    assert row["x_ticket_resolution"] == 30.0
    assert row["n_ticket_resolution"] == pytest.approx(1 - 30 / 120, abs=1e-6)


def test_overdue_milestone_puts_the_member_off_track(score):
    a = Association()
    a.member(1, joined=days_ago(200), journey_id=7)
    row = only(score(a, config=SMALL, milestones=JOURNEY))
    assert row["milestones_due"] == 1 and row["milestones_achieved_due"] == 0
    assert row["milestone_position"] == 0.0
    assert row["score"] == pytest.approx(100 * (0 + 0 + 0 + 1) / 8)
    assert row["status"] == "off_track"
    assert row["next_milestone_id"] == 71
    assert row["next_milestone_due_day"] == day_number(days_ago(200) + timedelta(days=90))
    assert row["overdue_days"] == 200 - 90 - 30


def test_milestone_in_grace_is_due_but_not_overdue(score):
    a = Association()
    a.member(1, joined=days_ago(100), journey_id=7)
    a.event(1, days_ago(5), times=4)
    a.touch(1, "login", "portal", days_ago(3))
    row = only(score(a, config=SMALL, milestones=JOURNEY))
    assert row["milestone_position"] == 1.0  # the event reached it
    assert row["next_milestone_id"] == 72
    assert row["overdue_days"] == 0


def test_staff_confirmation_achieves_a_milestone(score):
    a = Association()
    a.member(1, joined=days_ago(200), journey_id=7)
    a.confirm(1, 71, days_ago(120))
    row = only(score(a, config=SMALL, milestones=JOURNEY))
    assert row["milestone_position"] == 1.0
    assert row["next_milestone_id"] == 72
    assert row["status"] != "off_track" or row["score"] < 40


def test_too_early_when_recently_joined_and_nothing_due(score):
    a = Association()
    a.member(1, joined=days_ago(20), journey_id=7, term=(days_ago(20), days_ago(20) + timedelta(days=365)))
    row = only(score(a, config=SMALL, milestones=JOURNEY))
    assert row["status"] == "too_early"
    assert row["velocity"] is None  # no score 30 days ago: not a member yet
    assert row["milestone_position"] == 1.0


def test_improving_member_has_positive_velocity(score):
    a = Association()
    a.member(1)
    a.event(1, days_ago(10), times=4)
    row = only(score(a, config=SMALL))
    assert row["score"] == pytest.approx(100 * (4 + 2 + 0 + 1) / 8)
    assert row["score_before"] == pytest.approx(100 * (4 + 0 + 0 + 1) / 8)
    assert row["velocity"] == pytest.approx(25.0)
    assert row["status"] == "on_track"


def test_declining_member_is_drifting(score):
    a = Association()
    a.member(1)
    for day in range(100, 106):
        a.login(1, days_ago(day))  # six portal days inside the window 30 days ago, outside today's
    row = only(score(a, config=SMALL))
    assert row["x_portal_days"] == 0.0
    assert row["velocity"] == pytest.approx(-12.5)
    assert row["status"] == "drifting"
    assert row["flag_drifting"] is True


def test_days_since_last_interaction_is_capped_at_its_window(score):
    a = Association()
    a.member(1)
    a.touch(1, "email_click", "email", days_ago(45))
    rows = score(a, config=DEFAULT_CONFIG)
    assert only(rows)["x_days_since_last_interaction"] == 45.0
    b = Association()
    b.member(1)
    assert only(score(b, config=DEFAULT_CONFIG))["x_days_since_last_interaction"] == 180.0


def test_interactions_after_the_as_of_date_are_ignored(score):
    a = Association()
    a.member(1)
    a.event(1, AS_OF + timedelta(days=1), times=4)
    assert only(score(a, config=SMALL))["x_events"] == 0.0


def test_term_start_rule_counts_only_this_term(score):
    per_term = Milestone(81, 8, 1, "Two events this term", 100, "term_start", 30,
                         MilestoneRule(kinds=("event_attended",), aggregation="count", threshold=2,
                                       window="term_start"))
    a = Association()
    a.member(1, journey_id=8, term=(days_ago(150), days_ago(150) + timedelta(days=365)))
    a.term(1, start=days_ago(515), end=days_ago(150), status="renewed")
    a.event(1, days_ago(200), times=2)  # last term
    a.event(1, days_ago(20))  # this term
    row = only(score(a, config=SMALL, milestones=[per_term]))
    assert row["milestones_due"] == 1
    assert row["milestone_position"] == 0.0
    assert row["status"] == "off_track"


def test_segment_target_is_the_median_among_renewed_members(score):
    events = Signal("events", "events attended", "count", 365, "helps", 4, 2.0,
                    sources=("events",), kinds=("event_attended",), target_from_segment=True)
    config = ScoringConfig(signals=(events,), params=ScoringParams(segment_target_min_members=3))
    a = Association()
    for member_id, count in ((1, 1), (2, 2), (3, 2), (4, 3)):
        a.member(member_id, segment_id=2, term=(days_ago(100), days_ago(100) + timedelta(days=365)))
        a.term(member_id, start=days_ago(465), end=days_ago(100), status="renewed")
        a.event(member_id, days_ago(50), times=count)
    a.member(5, segment_id=2)  # never renewed: not part of the reference
    a.event(5, days_ago(50), times=10)
    rows = {r["member_id"]: r for r in score(a, config=config)}
    assert rows[1]["target_events"] == 2.0
    assert rows[1]["n_events"] == 0.5


def test_segment_target_falls_back_when_too_few_renewed(score):
    events = Signal("events", "events attended", "count", 365, "helps", 4, 2.0,
                    sources=("events",), kinds=("event_attended",), target_from_segment=True)
    a = Association()
    a.member(1, segment_id=2)
    a.event(1, days_ago(50))
    row = only(score(a, config=ScoringConfig(signals=(events,))))
    assert row["target_events"] == 4.0


def test_renewal_at_risk_when_the_term_ends_soon_and_not_on_track(score):
    a = Association()
    a.member(1, term=(days_ago(300), days_ago(300) + timedelta(days=360)))
    a.member(2, term=(days_ago(300), days_ago(300) + timedelta(days=360)))
    a.term(2, start=days_ago(300) + timedelta(days=360), end=days_ago(300) + timedelta(days=720))
    rows = {r["member_id"]: r for r in score(a, config=DEFAULT_CONFIG)}
    assert rows[1]["status"] == "off_track"
    assert rows[1]["days_to_renewal"] == 60
    assert rows[1]["flag_renewal_at_risk"] is True
    assert rows[2]["flag_renewal_at_risk"] is False  # already renewed


def test_lapsed_members_are_not_scored_but_a_pending_renewal_is(score):
    a = Association()
    a.member(1, term=(days_ago(500), days_ago(100)))
    a.member(2, term=(days_ago(395), days_ago(30)))
    a.member(3, term=None, status="active")  # no terms recorded: the member's status decides
    a.member(4, term=None, status="cancelled")
    assert [r["member_id"] for r in score(a, config=SMALL)] == [2, 3]


def test_dues_payments_do_not_stop_a_member_being_quiet(score):
    a = Association()
    a.member(1)
    a.touch(1, "payment", "finance", days_ago(5))
    assert only(score(a, config=SMALL))["flag_quiet"] is True


def test_saved_member_stays_at_risk_until_next_milestone(score):
    a = Association()
    a.member(1, joined=days_ago(100), journey_id=7)
    a.member(2, joined=days_ago(100), journey_id=7)
    for member_id in (1, 2):
        a.event(member_id, days_ago(5), times=4)
        for day in range(6):
            a.login(member_id, days_ago(day + 1))
    a.previous = [
        {"member_id": 1, "status": "off_track", "saved_at_risk": False, "next_milestone_id": 72},
        {"member_id": 2, "status": "off_track", "saved_at_risk": False, "next_milestone_id": 71},
    ]
    rows = {r["member_id"]: r for r in score(a, config=SMALL, milestones=JOURNEY)}
    assert rows[1]["next_milestone_id"] == 72 and rows[1]["status"] != "off_track"
    assert rows[1]["flag_saved_at_risk"] is True  # still heading for the same milestone
    assert rows[2]["flag_saved_at_risk"] is False  # reached the milestone that was next
