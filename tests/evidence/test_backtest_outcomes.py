"""Who the backtest measures and what counts as renewed: members whose running term ends within the
horizon; renewed when a next term starts by the end of the lapse grace; too-recent endings are pending."""

from __future__ import annotations

from datetime import date

import pytest

from membersuccess.evidence.backtest import renewal_outcomes
from tests.factories import make_member, make_term

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 6, 30)


def outcomes(*, horizon_days: int = 365, data_end: date = date(2025, 12, 31)) -> dict[str, int]:
    found = renewal_outcomes(as_of=AS_OF, horizon_days=horizon_days, grace_days=60, data_end=data_end)
    names = dict(make_member.__globals__["Member"].objects.values_list("id", "name"))
    return {names[m]: int(r) for m, r in zip(found.member_ids, found.renewed, strict=True)}


def member_with_term(name: str, *, start: date, end: date):
    member = make_member(name=name, joined_on=start)
    make_term(member=member, start_on=start, end_on=end)
    return member


def test_a_next_term_starting_at_the_end_is_a_renewal():
    member = member_with_term("On time", start=date(2023, 9, 1), end=date(2024, 8, 31))
    make_term(member=member, start_on=date(2024, 9, 1))
    assert outcomes() == {"On time": 1}


def test_a_next_term_within_the_grace_is_a_renewal():
    member = member_with_term("Late", start=date(2023, 9, 1), end=date(2024, 8, 31))
    make_term(member=member, start_on=date(2024, 10, 20))  # 50 days late
    assert outcomes() == {"Late": 1}


def test_coming_back_after_the_grace_is_a_lapse():
    member = member_with_term("Returned", start=date(2023, 9, 1), end=date(2024, 8, 31))
    make_term(member=member, start_on=date(2025, 1, 15))
    assert outcomes() == {"Returned": 0}


def test_no_next_term_is_a_lapse():
    member_with_term("Gone", start=date(2023, 9, 1), end=date(2024, 8, 31))
    assert outcomes() == {"Gone": 0}


def test_only_terms_running_on_the_as_of_date_and_ending_within_the_horizon_are_measured():
    member_with_term("Ends after the horizon", start=date(2024, 1, 1), end=date(2025, 12, 31))
    member_with_term("Ended before", start=date(2023, 1, 1), end=date(2024, 1, 1))
    member_with_term("Starts after", start=date(2024, 8, 1), end=date(2025, 3, 1))
    member_with_term("Measured", start=date(2023, 9, 1), end=date(2024, 8, 31))
    assert outcomes() == {"Measured": 0}


def test_a_shorter_horizon_measures_fewer_members():
    member_with_term("August", start=date(2023, 9, 1), end=date(2024, 8, 31))
    member_with_term("December", start=date(2024, 1, 1), end=date(2024, 12, 31))
    assert outcomes(horizon_days=90) == {"August": 0}


def test_endings_whose_grace_runs_past_the_data_are_pending_whatever_happened():
    renewed = member_with_term("Renewed", start=date(2023, 9, 1), end=date(2024, 8, 31))
    make_term(member=renewed, start_on=date(2024, 9, 1))
    member_with_term("Not yet", start=date(2023, 9, 1), end=date(2024, 8, 31))
    found = renewal_outcomes(as_of=AS_OF, horizon_days=365, grace_days=60, data_end=date(2024, 10, 1))
    assert len(found.member_ids) == 0 and found.pending == 2
