"""Cohort survival counted from membership terms: join-year cohorts, unbroken runs of terms, and only
the renewal periods already known on the as-of date."""

from __future__ import annotations

from datetime import date

import pytest

from membersuccess.evidence.cohorts import ALL_MEMBERS
from membersuccess.evidence.selectors import data_end, membership_cohorts
from tests.evidence.cohort_factories import plant_cohort
from tests.factories import make_member, make_segment, make_term

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 30)


def cohorts_of(name: str = ALL_MEMBERS) -> dict[str, list[int]]:
    return next(group.cohorts for group in membership_cohorts(as_of=AS_OF) if group.name == name)


def test_a_member_counts_as_active_for_each_renewal_they_made():
    joined = date(2021, 3, 1)
    one_term = make_member(joined_on=joined)
    make_term(member=one_term, start_on=joined)
    two_terms = make_member(joined_on=joined)
    for year in (2021, 2022):
        make_term(member=two_terms, start_on=date(year, 3, 1), end_on=date(year + 1, 2, 28))  # end-of-day style
    four_terms = make_member(joined_on=joined)
    for year in (2021, 2022, 2023, 2024):
        make_term(member=four_terms, start_on=date(year, 3, 1))
    # As of mid-2025, the 2021 cohort's first three renewals are known for everyone.
    assert cohorts_of() == {"2021": [3, 2, 1, 1]}


def test_coming_back_after_a_lapse_is_not_a_renewal():
    member = make_member(joined_on=date(2021, 3, 1))
    make_term(member=member, start_on=date(2021, 3, 1))
    make_term(member=member, start_on=date(2023, 3, 1))  # two years later: a new membership
    assert cohorts_of() == {"2021": [1, 0, 0, 0]}


def test_a_renewal_paid_late_within_the_grace_still_counts():
    member = make_member(joined_on=date(2021, 3, 1))
    make_term(member=member, start_on=date(2021, 3, 1))
    make_term(member=member, start_on=date(2022, 4, 15))  # 45 days late
    assert cohorts_of()["2021"][:2] == [1, 1]


def test_each_cohort_has_only_the_periods_known_on_the_as_of_date():
    for year in (2021, 2022, 2023, 2024):
        member = make_member(joined_on=date(year, 12, 1))
        make_term(member=member, start_on=date(year, 12, 1))
    # 2024 joiners decide on their first renewal around December 2025: not known yet.
    assert {year: len(active) - 1 for year, active in cohorts_of().items()} == {
        "2021": 3, "2022": 2, "2023": 1, "2024": 0,
    }


def test_members_joining_after_the_as_of_date_are_left_out():
    member = make_member(joined_on=date(2025, 9, 1))
    make_term(member=member, start_on=date(2025, 9, 1))
    assert membership_cohorts(as_of=AS_OF) == []


def test_segments_have_their_own_cohorts_and_average_dues():
    students = make_segment(name="Students")
    plant_cohort(joined=date(2021, 2, 1), survivors=[10, 6, 5, 4], segment=students, dues="50")
    plant_cohort(joined=date(2021, 2, 1), survivors=[20, 18, 17, 16], dues="300")
    groups = {group.name: group for group in membership_cohorts(as_of=AS_OF)}
    assert groups["Students"].cohorts == {"2021": [10, 6, 5, 4]}
    assert groups[ALL_MEMBERS].cohorts == {"2021": [30, 24, 22, 20]}
    assert groups["Students"].mean_dues == pytest.approx(50)


def test_the_data_ends_at_the_latest_term_start_when_imports_stopped_before_today():
    member = make_member(joined_on=date(2021, 3, 1))
    make_term(member=member, start_on=date(2024, 3, 1))
    assert data_end(today=date(2026, 11, 25)) == date(2024, 3, 1)
    assert data_end(today=date(2024, 1, 1)) == date(2024, 1, 1)
