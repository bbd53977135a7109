"""The report's figures follow their stated definitions on a small association of known members."""

from __future__ import annotations

from datetime import date

import pytest

from membersuccess.evidence.report.history import vectors_as_of
from membersuccess.evidence.report.renewals import (
    load_terms,
    outcomes_after,
    renewal_by_status,
    retention,
    value_at_risk,
)
from membersuccess.evidence.report.success import missed_milestones, quadrant
from membersuccess.members.models import MembershipTerm
from tests.evidence.report.conftest import AS_OF, YEAR_AGO
from tests.factories import make_member, make_survey, make_term

pytestmark = pytest.mark.django_db


def test_member_retention_counts_decided_renewals_in_the_last_twelve_months(small_association):
    make_term(member=make_member(), start_on=date(2023, 7, 1), end_on=date(2024, 7, 1))  # still undecided
    figures = retention(load_terms(), as_of=AS_OF)
    assert (figures.decided, figures.renewed) == (2, 1)
    assert figures.member_rate == pytest.approx(0.5)


def test_net_dues_retention_counts_upgrades_and_gross_does_not(small_association):
    figures = retention(load_terms(), as_of=AS_OF)
    assert figures.dues_up == pytest.approx(400.0)
    assert figures.gross_dues_rate == pytest.approx(200 / 400)
    assert figures.net_dues_rate == pytest.approx(300 / 400)


def test_renewals_outside_the_window_are_not_counted(small_association):
    member = make_member()
    make_term(member=member, start_on=date(2021, 1, 1), end_on=date(2022, 1, 1), status=MembershipTerm.Status.LAPSED)
    assert retention(load_terms(), as_of=AS_OF).decided == 2


def test_renewal_rate_by_status_uses_the_status_a_year_earlier(small_association):
    then = vectors_as_of(as_of=YEAR_AGO)
    rows = {row.status: row for row in renewal_by_status(then, outcomes_after(load_terms(), start=YEAR_AGO,
                                                                                  until=AS_OF))}
    assert rows["on_track"].members == 1 and rows["on_track"].rate == 1.0
    assert rows["off_track"].members == 1 and rows["off_track"].rate == 0.0
    assert rows["on_track"].upgraded == 1 and rows["on_track"].dues_added == pytest.approx(100.0)


def test_value_at_risk_is_the_dues_of_renewals_ahead_held_by_members_not_on_track(small_association):
    idle = make_member(name="Ida Idle", joined_on=date(2022, 9, 1), journey=small_association["journey"])
    make_term(member=idle, start_on=date(2023, 9, 1), end_on=date(2024, 9, 1), dues="150.00")
    terms = load_terms()
    history = renewal_by_status(vectors_as_of(as_of=YEAR_AGO), outcomes_after(terms, start=YEAR_AGO, until=AS_OF))
    risk = value_at_risk(terms, vectors_as_of(as_of=AS_OF), history)
    assert risk.up_for_renewal == pytest.approx(450.0)
    assert risk.at_risk == pytest.approx(150.0)
    assert risk.members_at_risk == 1
    off_track = next(v for v in risk.by_status if v.status == "off_track")
    assert off_track.expected_lapse_rate == 1.0  # every off-track member a year earlier lapsed


def test_root_causes_are_the_due_milestones_lapsed_members_had_not_reached(small_association):
    terms = load_terms()
    rows = missed_milestones(vectors_as_of(as_of=YEAR_AGO), outcomes_after(terms, start=YEAR_AGO, until=AS_OF))
    assert [(r.milestone, r.lapsed_missed, r.lapsed_due, r.renewed_missed, r.renewed_due) for r in rows] == [
        ("First event attended", 1, 1, 0, 1)
    ]


def test_a_milestone_not_yet_due_is_not_a_root_cause(small_association):
    small_association["first"].due_offset_days = 500
    small_association["first"].save()
    terms = load_terms()
    assert missed_milestones(vectors_as_of(as_of=YEAR_AGO), outcomes_after(terms, start=YEAR_AGO, until=AS_OF)) == []


def test_the_quadrant_names_the_quiet_but_unsuccessful(happy_and_demanding):
    figures = quadrant(vectors_as_of(as_of=AS_OF))
    assert [m.name for m in figures.quiet_unsuccessful] == ["Quinn <Quiet>"]
    assert figures.quiet_unsuccessful[0].nps == 9 and figures.quiet_unsuccessful[0].tickets == 0


def test_the_quadrant_names_the_demanding_but_successful(happy_and_demanding):
    figures = quadrant(vectors_as_of(as_of=AS_OF))
    assert [m.name for m in figures.demanding_successful] == ["Dana Demanding"]
    assert figures.demanding_successful[0].tickets == 2
    assert figures.counts["successful_unhappy"] == 1 and figures.counts["unsuccessful_happy"] == 1


def test_nps_answers_after_the_as_of_date_are_not_read(happy_and_demanding):
    make_survey(member=happy_and_demanding["quinn"], score=0, responded_at=date(2024, 8, 1))
    figures = quadrant(vectors_as_of(as_of=AS_OF))
    assert figures.quiet_unsuccessful[0].nps == 9
