"""A milestone is checked field by field before it is saved, with a message staff can act on."""

from __future__ import annotations

import pytest

from membersuccess.engine.milestones import rule_from_json
from membersuccess.journeys.rules import (
    MilestoneInput,
    MilestoneInputError,
    describe_rule,
    split_codes,
    validate_milestone,
)


def valid(**changes) -> MilestoneInput:
    values: dict = {
        "name": "First course completed", "due_offset_days": "90", "due_from": "join", "grace_days": "30",
        "kinds": ["course_completed"], "aggregation": "count", "threshold": "1", "window": "join",
    }
    values.update(changes)
    return MilestoneInput(**values)


def errors_of(data: MilestoneInput, **kwargs) -> dict[str, str]:
    with pytest.raises(MilestoneInputError) as caught:
        validate_milestone(data, **kwargs)
    return caught.value.errors


def test_a_valid_rule_becomes_the_json_the_engine_reads():
    fields = validate_milestone(valid(kinds=["course_completed", "ce_credit"], aggregation="sum", threshold="2.5",
                                      window="term_start", sources=["lms"]))
    assert fields.rule == {"kinds": ["course_completed", "ce_credit"], "aggregation": "sum", "threshold": 2.5,
                           "window": "term_start", "sources": ["lms"]}
    assert fields.manual is False
    assert rule_from_json(fields.rule) is not None


def test_a_whole_threshold_is_saved_as_a_whole_number():
    assert validate_milestone(valid(threshold="3")).rule["threshold"] == 3


def test_a_manual_milestone_has_no_rule_and_ignores_the_rule_fields():
    fields = validate_milestone(valid(achieved_by="manual", kinds=[], aggregation="bogus", threshold="x"))
    assert (fields.manual, fields.rule) == (True, {})


def test_an_unknown_aggregation_is_refused_naming_the_ones_the_engine_supports():
    assert errors_of(valid(aggregation="median")) == {
        "aggregation": "unknown aggregation 'median'; use one of count, sum, distinct_days"
    }


def test_a_rule_without_kinds_is_refused():
    assert "at least one interaction kind" in errors_of(valid(kinds=[]))["kinds"]


def test_an_unknown_kind_is_refused_when_interactions_were_imported():
    problem = errors_of(valid(kinds=["course_complted"]), known_kinds={"course_completed", "event_attended"})["kinds"]
    assert problem.startswith("unknown interaction kind 'course_complted'")
    assert "course_completed" in problem


def test_any_kind_is_accepted_before_the_first_import():
    assert validate_milestone(valid(kinds=["course_completed"]), known_kinds=set()).rule["kinds"] == [
        "course_completed"
    ]


def test_an_unknown_source_is_refused_when_sources_are_known():
    assert "unknown source 'crm'" in errors_of(valid(sources=["crm"]), known_sources={"lms"})["sources"]


@pytest.mark.parametrize(
    ("threshold", "problem"),
    [
        ("-1", "cannot be negative"),
        ("0", "must be more than zero"),
        ("three", "'three' is not a number"),
        ("", "give the amount"),
        ("nan", "must be a finite number"),
        ("inf", "must be a finite number"),
    ],
)
def test_a_threshold_that_is_not_a_positive_number_is_refused(threshold, problem):
    assert problem in errors_of(valid(threshold=threshold))["threshold"]


def test_an_unknown_window_is_refused():
    assert errors_of(valid(window="renewal"))["window"] == "'renewal' is not a window; use one of join, term_start"


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("due_offset_days", "-5", "cannot be negative"),
        ("due_offset_days", "ninety", "'ninety' is not a whole number of days"),
        ("due_offset_days", "", "give the due offset in days"),
        ("due_offset_days", "99999", "at most 3650 days"),
        ("grace_days", "-1", "cannot be negative"),
        ("grace_days", "1.5", "'1.5' is not a whole number of days"),
        ("due_from", "renewal", "is not a due date anchor"),
        ("name", "   ", "give the milestone a name"),
        ("achieved_by", "magic", "choose an achievement rule or confirmation by staff"),
    ],
)
def test_bad_due_dates_names_and_modes_are_refused_next_to_their_field(field, value, problem):
    assert problem in errors_of(valid(**{field: value}))[field]


def test_every_wrong_field_is_reported_at_once():
    assert set(errors_of(valid(name="", threshold="-2", aggregation="avg", kinds=[]))) == {
        "name", "threshold", "aggregation", "kinds"
    }


def test_kinds_typed_with_commas_semicolons_or_lines_are_split_and_deduplicated():
    assert split_codes(" course_completed, ce_credit;\nevent_attended,course_completed ,") == [
        "course_completed", "ce_credit", "event_attended"
    ]


def test_rules_read_in_plain_words():
    assert describe_rule({"kinds": ["ce_credit"], "aggregation": "sum", "threshold": 12, "window": "term_start"},
                         manual=False) == "values of ce_credit adding up to at least 12 since the current term started"
    assert describe_rule({}, manual=True) == "Confirmed by staff, with evidence"
