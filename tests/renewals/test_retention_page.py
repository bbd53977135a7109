"""The dues retention page: a period, a grouping, the three ratios; bad input shown next to its field."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from membersuccess.accounts.models import Role
from membersuccess.members.models import MembershipTerm
from tests.factories import make_member, make_staff_user, make_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_() -> Client:
    client = Client()
    client.force_login(make_staff_user(role=Role.EXECUTIVE))
    return client


def test_the_page_shows_the_three_ratios_for_the_period(client_):
    upgrader = make_member(joined_on=date(2022, 1, 1))
    make_term(member=upgrader, start_on=date(2024, 6, 1), end_on=date(2025, 5, 31), dues="200.00",
              status=MembershipTerm.Status.UPGRADED)
    make_term(member=upgrader, start_on=date(2025, 6, 1), end_on=date(2026, 5, 31), dues="300.00")
    lapser = make_member(joined_on=date(2022, 1, 1))
    make_term(member=lapser, start_on=date(2024, 6, 1), end_on=date(2025, 5, 31), dues="200.00",
              status=MembershipTerm.Status.LAPSED)
    response = client_.get("/renewals/retention/?start=2025-01-01&end=2026-01-01&by=cohort")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Gross revenue retention</dt><dd>50%" in content
    assert "Net revenue retention</dt><dd>75%" in content
    assert "Member retention</dt><dd>50%" in content


def test_the_page_opens_on_the_last_year_with_an_empty_state(client_):
    response = client_.get("/renewals/retention/")
    assert response.status_code == 200
    assert b"No member held a membership on" in response.content


@pytest.mark.parametrize(
    ("query", "error_id", "message"),
    [
        ("start=2025-02-30", "start-error", "is not a date"),
        ("end=soon", "end-error", "is not a date"),
        ("start=2025-06-01&end=2025-01-01", "end-error", "the period must end after it starts"),
        ("by=region", "by-error", "cannot group retention by"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(client_, query, error_id, message):
    response = client_.get(f"/renewals/retention/?{query}")
    assert response.status_code == 400
    assert f'id="{error_id}"'.encode() in response.content
    assert message.encode() in response.content
