"""The next milestone on the member page, and the members list's journey filter."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    make_achievement,
    make_desired_outcome,
    make_journey,
    make_member,
    make_milestone,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    journey = make_journey(name="Certification path")
    make_milestone(journey=journey, order=1, name="Attend orientation", due_offset_days=30, grace_days=10)
    make_milestone(journey=journey, order=2, name="Complete prep course", due_offset_days=365, grace_days=30)
    return journey


def text_of(response) -> str:
    """The page's words without tags, on one line."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def joined_days_ago(days: int, **kwargs):
    return make_member(joined_on=timezone.localdate() - timedelta(days=days), **kwargs)


def test_the_member_page_says_how_many_days_the_next_milestone_is_overdue(manager_client, journey):
    member = joined_days_ago(52, journey=journey, name="Late Lee")  # due day 30, grace to day 40
    page = text_of(manager_client.get(f"/members/{member.pk}/"))
    assert "Next milestone: Attend orientation — Overdue 12 days past its 10-day grace" in page


def test_the_member_page_shows_an_upcoming_next_milestone_with_its_due_date(manager_client, journey):
    member = joined_days_ago(100, journey=journey)
    make_achievement(member=member, milestone=journey.milestones.get(order=1), achieved_on=timezone.localdate())
    page = text_of(manager_client.get(f"/members/{member.pk}/"))
    due = timezone.localdate() + timedelta(days=265)
    assert f"Next milestone: Complete prep course — due {due:%-d %b %Y} (30 days' grace)" in page


def names_listed(client, **params) -> set[str]:
    response = client.get("/members/", params)
    assert response.status_code == 200
    return {m.name for m in response.context["page"].object_list}


def test_the_members_list_filters_members_whose_next_milestone_is_overdue(manager_client, journey):
    joined_days_ago(52, journey=journey, name="Overdue Olu")
    joined_days_ago(35, journey=journey, name="In Grace Ines")
    joined_days_ago(5, journey=journey, name="New Nia")
    joined_days_ago(400, name="No Journey Noor")
    assert names_listed(manager_client, journey="overdue_milestone") == {"Overdue Olu"}


def test_the_members_list_filters_members_whose_desired_outcome_is_unknown(manager_client, journey):
    known = joined_days_ago(10, name="Known Kai")
    make_desired_outcome(member=known)
    joined_days_ago(10, name="Unknown Uma")
    old = joined_days_ago(10, name="Only Old Outcome Omar")
    make_desired_outcome(member=old, is_current=False)
    assert names_listed(manager_client, journey="outcome_unknown") == {"Unknown Uma", "Only Old Outcome Omar"}


def test_the_members_list_filters_members_not_on_a_journey(manager_client, journey):
    joined_days_ago(10, journey=journey, name="On Journey Jo")
    joined_days_ago(10, name="Adrift Ari")
    assert names_listed(manager_client, journey="no_journey") == {"Adrift Ari"}


def test_an_unknown_journey_filter_value_is_ignored_rather_than_failing(manager_client, journey):
    joined_days_ago(10, journey=journey, name="On Journey Jo")
    assert names_listed(manager_client, journey="<script>") == {"On Journey Jo"}
