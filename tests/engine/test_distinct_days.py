"""Distinct days: each day counts once, whatever the number or kinds of its interactions, within each window's edges.

Distinct days are counted apart from the other aggregates (per member and day first), so these
tests pin that pass on its own, for both dates the score reads (the as-of date and 30 days earlier)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import ibis

from membersuccess.engine.backends import load_inputs, to_arrow
from membersuccess.engine.features import interaction_features, member_anchors
from membersuccess.engine.inputs import day_number
from membersuccess.engine.milestones import MilestoneRule
from membersuccess.engine.params import ScoringParams
from membersuccess.engine.signals import Signal
from tests.engine.builders import AS_OF, Association, days_ago

SIGNALS = (
    Signal("portal_days", "days using the portal", "distinct_days", 90, "helps", 6, 1.0,
           sources=("portal",), kinds=("login",)),
    Signal("learning_days", "days learning", "distinct_days", 30, "helps", 4, 1.0,
           kinds=("course_completed", "webinar_watched")),
    Signal("active_days", "days with any interaction", "distinct_days", 90, "helps", 10, 1.0),
    Signal("logins", "portal logins", "count", 90, "helps", 6, 1.0, sources=("portal",), kinds=("login",)),
)
RULES = (
    MilestoneRule(kinds=("login",), aggregation="distinct_days", threshold=3, window="join"),
    MilestoneRule(kinds=("login",), aggregation="distinct_days", threshold=3, window="term_start"),
)
TERM_START = date(2024, 1, 1)


def features(backend: ibis.BaseBackend, association: Association, staging: Path) -> dict[int, dict[str, Any]]:
    """The interaction features of each member with interactions, as of AS_OF and 30 days earlier."""
    inputs = load_inputs(backend, association.tables(), staging=staging)
    params = ScoringParams()
    as_of_days = (day_number(AS_OF), day_number(AS_OF) - 30)
    anchors = member_anchors(members=inputs.members, terms=inputs.terms, as_of_days=as_of_days, params=params)
    table = interaction_features(interactions=inputs.interactions, anchors=anchors, signals=SIGNALS, rules=RULES,
                                 as_of_days=as_of_days, params=params)
    return {row["member_id"]: row for row in to_arrow(backend, table).to_pylist()}


def logins_on_edges() -> Association:
    """Member 1 logs in on both edges of every window; member 2 only attends an event."""
    a = Association()
    a.member(1, joined=date(2022, 1, 1), term=(TERM_START, date(2024, 12, 31)))
    for ago in (0, 0, 0, 30, 89, 90, 100, 120):
        a.login(1, days_ago(ago))
    a.login(1, TERM_START)  # the term's first day counts for a term-start rule
    a.login(1, TERM_START - timedelta(days=1))  # the day before does not
    a.login(1, AS_OF + timedelta(days=1))  # after the as-of date: never counts
    a.touch(1, "login", "app", days_ago(10))  # a login, but not on the portal
    a.touch(1, "download", "portal", days_ago(5))  # the portal, but not a login
    a.touch(1, "course_completed", "lms", days_ago(3))
    a.touch(1, "webinar_watched", "events", days_ago(3))  # same day, other kind: still one day
    a.touch(1, "course_completed", "lms", days_ago(29))
    a.touch(1, "webinar_watched", "events", days_ago(30))
    a.member(2)
    a.event(2, days_ago(3))
    return a


def test_a_day_counts_once_however_many_logins_it_has(backend, tmp_path):
    row = features(backend, logins_on_edges(), tmp_path)[1]
    # As of today the window is the 90 days ending today: 0, 30 and 89 days ago (90 days ago is out).
    assert row["portal_days__0"] == 3
    assert row["logins__0"] == 5  # the three logins of today each count as a login, not as a day
    # Thirty days earlier the window is 30 to 119 days ago.
    assert row["portal_days__1"] == 4


def test_a_day_with_interactions_of_several_kinds_counts_once(backend, tmp_path):
    row = features(backend, logins_on_edges(), tmp_path)[1]
    # Today's 30-day window: 3 days ago (a course and a webinar) and 29 days ago; 30 days ago is out.
    assert row["learning_days__0"] == 2
    assert row["learning_days__1"] == 1
    # Any interaction in the last 90 days: 0, 3, 5, 10, 29, 30 and 89 days ago.
    assert row["active_days__0"] == 7
    assert row["active_days__1"] == 4  # 30, 89, 90 and 100 days ago


def test_rule_days_start_on_the_anchor_day(backend, tmp_path):
    row = features(backend, logins_on_edges(), tmp_path)[1]
    # Since joining: every login day up to the date, on any source (the app's too).
    assert row["rule0__0"] == 9
    assert row["rule0__1"] == 7  # not today, 10 days ago
    # Since the term started: the term's first day counts, the day before it does not.
    assert row["rule1__0"] == 8
    assert row["rule1__1"] == 6


def test_a_member_without_any_of_the_days_has_zero_not_nothing(backend, tmp_path):
    row = features(backend, logins_on_edges(), tmp_path)[2]
    assert row["portal_days__0"] == 0 and row["portal_days__1"] == 0
    assert row["rule0__0"] == 0 and row["rule1__0"] == 0
    assert row["active_days__0"] == 1 and row["learning_days__0"] == 0
