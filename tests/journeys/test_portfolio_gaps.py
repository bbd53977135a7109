"""The portfolio counts members whose desired outcome is unknown, next milestone overdue, or with no journey."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from membersuccess.members.models import Member
from membersuccess.members.selectors import JourneyGaps, journey_gaps
from tests.factories import make_desired_outcome, make_journey, make_member, make_milestone, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    journey = make_journey()
    make_milestone(journey=journey, order=1, due_offset_days=30, grace_days=10)
    return journey


def joined_days_ago(days: int, **kwargs) -> Member:
    return make_member(joined_on=timezone.localdate() - timedelta(days=days), **kwargs)


def test_counts_active_members_without_desired_outcome_overdue_or_without_journey(manager, journey):
    overdue = joined_days_ago(60, journey=journey)
    make_desired_outcome(member=overdue)
    joined_days_ago(5, journey=journey)  # outcome unknown, nothing due yet
    joined_days_ago(5)  # outcome unknown, no journey
    joined_days_ago(60, status=Member.Status.LAPSED)  # gone: not counted
    assert journey_gaps(user=manager, as_of=timezone.localdate()) == JourneyGaps(
        outcome_unknown=2, overdue_milestone=1, no_journey=1
    )


def test_staff_count_only_the_members_they_work_with(staff, journey):
    mine = joined_days_ago(60, journey=journey)
    make_task(member=mine, assignee=staff)
    joined_days_ago(60, journey=journey)
    assert journey_gaps(user=staff, as_of=timezone.localdate()) == JourneyGaps(
        outcome_unknown=1, overdue_milestone=1, no_journey=0
    )


def test_the_portfolio_page_links_each_count_to_the_members_list(manager_client, journey):
    joined_days_ago(5)
    page = " ".join(re.sub(r"<[^>]+>", " ", manager_client.get("/portfolio/").content.decode()).split())
    assert "1 Desired outcome unknown" in page
    html = manager_client.get("/portfolio/").content.decode()
    assert 'href="/members/?journey=outcome_unknown"' in html
    assert 'href="/members/?journey=overdue_milestone"' in html
