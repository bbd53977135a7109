"""Milestone rules as staff write them, evaluated by the engine on small hand-checked members.

Each rule is saved through the editor's checks (`validate_milestone`), read back the way a scoring
run reads it (`rule_from_json`) and evaluated by the engine on DuckDB; `rule_met_<id>` says whether
the member meets it on the as-of date (30 June 2024). The engine's own suite runs the same formulas
on Spark too (tests/engine)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest

from membersuccess.engine.backends import duckdb_connect
from membersuccess.engine.milestones import Milestone, rule_from_json
from membersuccess.engine.run import compute_vectors
from membersuccess.engine.signals import DEFAULT_CONFIG
from membersuccess.journeys.rules import MilestoneInput, validate_milestone
from tests.engine.builders import AS_OF, Association, days_ago

JOURNEY_ID = 5
JOINED = date(2023, 7, 1)
TERM = (date(2024, 1, 1), date(2024, 12, 31))  # the current term; the one before ran through 2023


def milestone(*, kinds: Sequence[str] = ("course_completed",), aggregation: str = "count", threshold: str = "1",
              window: str = "join", sources: Sequence[str] = (), milestone_id: int = 1) -> Milestone:
    """A milestone written as staff write it in the editor, then read as a scoring run reads it."""
    fields = validate_milestone(MilestoneInput(
        name=f"Milestone {milestone_id}", due_offset_days=400, kinds=tuple(kinds), aggregation=aggregation,
        threshold=threshold, window=window, sources=tuple(sources),
    ))
    return Milestone(milestone_id, JOURNEY_ID, milestone_id, fields.name, 400, "join", 30,
                     rule_from_json(fields.rule, milestone=fields.name))


def member(a: Association, member_id: int = 1) -> int:
    a.member(member_id, joined=JOINED, journey_id=JOURNEY_ID, term=TERM)
    a.term(member_id, start=date(2023, 1, 1), end=date(2023, 12, 31), status="renewed")
    return member_id


def met(a: Association, *milestones: Milestone, tmp_path: Path) -> dict[int, list[bool]]:
    """Per member, whether each milestone's rule is met on AS_OF."""
    rows = compute_vectors(
        duckdb_connect(threads=1), a.tables(), config=DEFAULT_CONFIG, milestones=list(milestones), as_of=AS_OF,
        staging=tmp_path,
    ).to_pylist()
    return {r["member_id"]: [r[f"rule_met_{m.milestone_id}"] for m in milestones] for r in rows}


def course(a: Association, on: date, *, times: int = 1, value: float | None = None, source: str = "lms",
           kind: str = "course_completed", member_id: int = 1) -> None:
    a.touch(member_id, kind, source, on, times=times, value=value)


# count ---------------------------------------------------------------------------------------------


def test_count_is_met_when_the_number_of_interactions_reaches_the_threshold(tmp_path):
    a = Association()
    member(a)
    course(a, days_ago(10), times=2)
    assert met(a, milestone(threshold="2"), milestone(threshold="3", milestone_id=2), tmp_path=tmp_path) == {
        1: [True, False]
    }


def test_count_adds_up_every_kind_the_rule_names_and_nothing_else(tmp_path):
    a = Association()
    member(a)
    course(a, days_ago(10))
    course(a, days_ago(9), kind="exam_passed")
    course(a, days_ago(8), kind="login", source="portal", times=5)
    rule = milestone(kinds=["course_completed", "exam_passed"], threshold="2")
    assert met(a, rule, milestone(threshold="2", milestone_id=2), tmp_path=tmp_path) == {1: [True, False]}


def test_a_rule_limited_to_sources_counts_only_those_sources(tmp_path):
    a = Association()
    member(a)
    course(a, days_ago(10), source="lms")
    course(a, days_ago(9), source="chapter_sheet")
    assert met(a, milestone(threshold="2", sources=["lms"]), milestone(threshold="2", milestone_id=2),
               tmp_path=tmp_path) == {1: [False, True]}


# sum -----------------------------------------------------------------------------------------------


def test_sum_adds_the_interactions_values_such_as_ce_credits(tmp_path):
    a = Association()
    member(a)
    course(a, days_ago(30), value=1.5)
    course(a, days_ago(20), value=2.0)
    course(a, days_ago(10), value=None)  # no value: adds nothing
    reached = milestone(aggregation="sum", threshold="3.5")
    short = milestone(aggregation="sum", threshold="3.6", milestone_id=2)
    assert met(a, reached, short, tmp_path=tmp_path) == {1: [True, False]}


# distinct_days -------------------------------------------------------------------------------------


def test_distinct_days_counts_days_not_interactions(tmp_path):
    a = Association()
    member(a)
    course(a, days_ago(10), times=3)
    course(a, days_ago(5))
    two_days = milestone(aggregation="distinct_days", threshold="2")
    three_days = milestone(aggregation="distinct_days", threshold="3", milestone_id=2)
    assert met(a, two_days, three_days, tmp_path=tmp_path) == {1: [True, False]}


# windows -------------------------------------------------------------------------------------------


def test_the_join_window_counts_from_the_joining_day_itself(tmp_path):
    a = Association()
    member(a)
    course(a, JOINED)
    course(a, JOINED - timedelta(days=1))  # before joining (say, as a prospect): not counted
    assert met(a, milestone(threshold="1"), milestone(threshold="2", milestone_id=2), tmp_path=tmp_path) == {
        1: [True, False]
    }


def test_the_join_window_counts_every_term_since_joining(tmp_path):
    a = Association()
    member(a)
    course(a, date(2023, 9, 1))  # last term
    course(a, date(2024, 3, 1))  # this term
    assert met(a, milestone(threshold="2", window="join"), tmp_path=tmp_path) == {1: [True]}


def test_the_term_start_window_counts_only_the_current_term(tmp_path):
    a = Association()
    member(a)
    course(a, date(2023, 9, 1))  # last term: not counted
    course(a, TERM[0])  # the first day of this term counts
    one = milestone(threshold="1", window="term_start")
    two = milestone(threshold="2", window="term_start", milestone_id=2)
    assert met(a, one, two, tmp_path=tmp_path) == {1: [True, False]}


def test_the_term_start_window_applies_to_sum_and_distinct_days_too(tmp_path):
    a = Association()
    member(a)
    course(a, date(2023, 9, 1), value=10.0)
    course(a, date(2024, 2, 1), value=4.0)
    credits = milestone(aggregation="sum", threshold="5", window="term_start")
    days = milestone(aggregation="distinct_days", threshold="2", window="term_start", milestone_id=2)
    assert met(a, credits, days, tmp_path=tmp_path) == {1: [False, False]}


def test_interactions_after_the_as_of_date_do_not_count(tmp_path):
    a = Association()
    member(a)
    course(a, AS_OF + timedelta(days=1), times=3)
    assert met(a, milestone(threshold="1"), tmp_path=tmp_path) == {1: [False]}


def test_a_rule_is_only_met_by_members_on_its_journey(tmp_path):
    a = Association()
    member(a)
    a.member(2, joined=JOINED, journey_id=JOURNEY_ID + 1, term=TERM)
    course(a, days_ago(10), member_id=1)
    course(a, days_ago(10), member_id=2)
    assert met(a, milestone(threshold="1"), tmp_path=tmp_path) == {1: [True], 2: [False]}


@pytest.mark.parametrize("aggregation", ["count", "sum", "distinct_days"])
def test_every_aggregation_the_editor_offers_is_one_the_engine_evaluates(aggregation, tmp_path):
    a = Association()
    member(a)
    course(a, days_ago(3), value=1.0)
    assert met(a, milestone(aggregation=aggregation, threshold="1"), tmp_path=tmp_path) == {1: [True]}
