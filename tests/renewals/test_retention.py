"""Dues retention on a hand-checked association, measured from 1 Jan 2025 to 1 Jan 2026.

    member      joined  dues in force on 1 Jan 2025   on 1 Jan 2026        status on 1 Jan 2025
    Upgrader    2022    200                            300 (upgraded)       on track
    Downgrader  2023    300                            200 (downgraded)     drifting
    Lapser      2023    250                            0   (lapsed)         off track
    Returner    2022    250                            250 (lapsed, back)   not scored
    Newcomer    2025    —  (joined Feb 2025: not in the ratios)

    starting dues S = 1000; kept Σmin(e, s) = 200 + 200 + 0 + 250 = 650; ending Σe = 750
    GRR = 650 / 1000 = 0.65   NRR = 750 / 1000 = 0.75   member retention = 3 / 4 = 0.75
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from membersuccess.members.models import MembershipTerm
from membersuccess.renewals.errors import RenewalError
from membersuccess.renewals.selectors import retention
from membersuccess.scoring.models import VectorSnapshot
from tests.factories import make_member, make_segment, make_term
from tests.web.vector_factories import make_run, make_vector

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2026, 1, 1)
S = MembershipTerm.Status


@pytest.fixture
def association():
    run = make_run(as_of=date(2024, 12, 15))
    professionals = make_segment(name="Professionals")

    upgrader = make_member(name="Upgrader", joined_on=date(2022, 6, 1), segment=professionals)
    make_term(member=upgrader, start_on=date(2024, 6, 1), end_on=date(2025, 5, 31), dues="200.00", status=S.UPGRADED)
    make_term(member=upgrader, start_on=date(2025, 6, 1), end_on=date(2026, 5, 31), dues="300.00")
    make_vector(run=run, member=upgrader, status=VectorSnapshot.Status.ON_TRACK)

    downgrader = make_member(name="Downgrader", joined_on=date(2023, 3, 1), segment=professionals)
    make_term(member=downgrader, start_on=date(2024, 3, 1), end_on=date(2025, 2, 28), dues="300.00",
              status=S.DOWNGRADED)
    make_term(member=downgrader, start_on=date(2025, 3, 1), end_on=date(2026, 2, 28), dues="200.00")
    make_vector(run=run, member=downgrader, status=VectorSnapshot.Status.DRIFTING)

    lapser = make_member(name="Lapser", joined_on=date(2023, 4, 1))
    make_term(member=lapser, start_on=date(2024, 4, 1), end_on=date(2025, 3, 31), dues="250.00", status=S.LAPSED)
    make_vector(run=run, member=lapser, status=VectorSnapshot.Status.OFF_TRACK)

    returner = make_member(name="Returner", joined_on=date(2022, 5, 1))
    make_term(member=returner, start_on=date(2024, 5, 1), end_on=date(2025, 4, 30), dues="250.00", status=S.LAPSED)
    make_term(member=returner, start_on=date(2025, 9, 1), end_on=date(2026, 8, 31), dues="250.00")

    newcomer = make_member(name="Newcomer", joined_on=date(2025, 2, 1))
    make_term(member=newcomer, start_on=date(2025, 2, 1), end_on=date(2026, 1, 31), dues="400.00")


def test_overall_gross_and_net_revenue_retention_and_member_retention(association):
    [overall] = retention(start=START, end=END)
    assert (overall.starting_members, overall.retained_members) == (4, 3)
    assert (overall.starting_dues, overall.kept_dues, overall.ending_dues) == (
        Decimal("1000.00"), Decimal("650.00"), Decimal("750.00")
    )
    assert overall.gross_revenue_retention == pytest.approx(0.65)
    assert overall.net_revenue_retention == pytest.approx(0.75)
    assert overall.member_retention == pytest.approx(0.75)


def test_gross_retention_never_counts_the_upgrade_and_net_retention_does(association):
    by_cohort = {r.group: r for r in retention(start=START, end=END, by="cohort")}
    joined_2022 = by_cohort["2022"]  # the upgrader and the returner
    assert joined_2022.gross_revenue_retention == pytest.approx(1.0)
    assert joined_2022.net_revenue_retention == pytest.approx(550 / 450)


def test_by_cohort_the_downgrade_and_the_lapse_fall_in_2023(association):
    joined_2023 = {r.group: r for r in retention(start=START, end=END, by="cohort")}["2023"]
    assert (joined_2023.starting_dues, joined_2023.kept_dues, joined_2023.ending_dues) == (
        Decimal("550.00"), Decimal("200.00"), Decimal("200.00")
    )
    assert joined_2023.member_retention == pytest.approx(0.5)


def test_by_segment(association):
    groups = {r.group: (r.starting_members, r.ending_dues) for r in retention(start=START, end=END, by="segment")}
    assert groups == {"Professionals": (2, Decimal("500.00")), "no segment": (2, Decimal("250.00"))}


def test_by_success_status_on_the_first_day(association):
    groups = {r.group: r.net_revenue_retention for r in retention(start=START, end=END, by="status")}
    assert groups == pytest.approx({"on_track": 1.5, "drifting": 2 / 3, "off_track": 0.0, "unscored": 1.0})


def test_a_member_who_returned_counts_as_retained(association):
    unscored = {r.group: r for r in retention(start=START, end=END, by="status")}["unscored"]
    assert (unscored.starting_members, unscored.retained_members) == (1, 1)


def test_members_who_joined_during_the_period_are_not_in_the_ratios(association):
    [overall] = retention(start=START, end=END)
    assert overall.starting_members == 4


def test_without_members_at_the_start_the_ratios_are_unknown():
    assert retention(start=START, end=END) == []


def test_a_period_that_does_not_move_forward_is_refused():
    with pytest.raises(RenewalError, match="the period must end after it starts: 2026-01-01 to 2025-01-01"):
        retention(start=END, end=START)


def test_an_unknown_grouping_is_refused():
    with pytest.raises(RenewalError, match="cannot group retention by 'region'; use one of cohort, segment, status"):
        retention(start=START, end=END, by="region")
