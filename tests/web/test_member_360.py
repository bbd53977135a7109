"""The member 360 page: profile, desired outcome, journey and milestones, interactions, tickets, terms, surveys."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from membersuccess.members.models import Member
from tests.factories import (
    make_achievement,
    make_contact,
    make_desired_outcome,
    make_interaction,
    make_journey,
    make_member,
    make_milestone,
    make_offering,
    make_required_outcome,
    make_segment,
    make_survey,
    make_term,
    make_ticket,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(manager) -> Member:
    """A member 200 days in, one milestone achieved, one overdue past grace, one ahead."""
    today = timezone.localdate()
    certification = make_required_outcome(name="Earn certification")
    journey = make_journey(name="Certification path", required_outcome=certification)
    member = make_member(
        name="Ada Okafor", external_id="M-42", email="ada@example.org", journey=journey,
        joined_on=today - timedelta(days=200), segment=make_segment(name="Early career"),
        success_manager=manager, acquisition_channel="Chapter referral",
    )
    first = make_milestone(journey=journey, order=1, name="Attend orientation", due_offset_days=30)
    make_milestone(journey=journey, order=2, name="Complete prep course", due_offset_days=90, grace_days=30)
    make_milestone(journey=journey, order=3, name="Pass the exam", due_offset_days=365)
    make_achievement(member=member, milestone=first, achieved_on=today - timedelta(days=180))
    make_desired_outcome(
        member=member, required_outcome=certification, channels=["email", "community"],
        formats=["courses", "mentoring"], cadence="monthly", language="en", time_budget_hours_per_month=6,
    )
    make_term(member=member, start_on=today - timedelta(days=200), offering=make_offering(name="Professional"))
    make_contact(member=member, name="Ada Okafor", email="ada@example.org", is_primary=True)
    return member


def test_shows_profile_and_contacts(manager_client, ada):
    page = manager_client.get(f"/members/{ada.pk}/").content.decode()
    for text in ("Ada Okafor", "M-42", "Early career", "Individual", "Active", "Mona Reyes", "Chapter referral"):
        assert text in page
    assert 'href="mailto:ada@example.org"' in page


def test_shows_the_current_desired_outcome_and_appropriate_experience(manager_client, ada):
    page = manager_client.get(f"/members/{ada.pk}/").content.decode()
    for text in ("Earn certification", "email, community", "courses, mentoring", "monthly", "6 hours a month"):
        assert text in page
    # Accessibility needs were never recorded: say so rather than leave a blank.
    assert '<dt>Accessibility</dt><dd><span class="unknown">Unknown</span>' in page


def test_says_clearly_when_the_desired_outcome_is_unknown(manager_client):
    member = make_member(name="Bo")
    page = manager_client.get(f"/members/{member.pk}/").content.decode()
    assert "No desired outcome is recorded for this member" in page


def test_lists_milestones_in_order_with_due_dates_and_an_overdue_one_highlighted(manager_client, ada):
    response = manager_client.get(f"/members/{ada.pk}/")
    milestones = response.context["m"].milestones
    assert [p.milestone.name for p in milestones] == ["Attend orientation", "Complete prep course", "Pass the exam"]
    assert [p.state for p in milestones] == ["achieved", "overdue", "upcoming"]
    assert milestones[1].due_on == ada.joined_on + timedelta(days=90)
    assert milestones[1].is_next
    page = response.content.decode()
    assert "milestone--overdue milestone--next" in page
    assert '<span class="badge badge--off_track">Overdue</span>' in page
    assert f"due {milestones[1].due_on:%-d %b %Y}" in page


def test_term_start_milestones_count_from_the_current_term(manager_client):
    today = timezone.localdate()
    journey = make_journey()
    member = make_member(journey=journey, joined_on=today - timedelta(days=1000))
    make_milestone(journey=journey, order=1, due_from="term_start", due_offset_days=60)
    make_term(member=member, start_on=today - timedelta(days=800), end_on=today - timedelta(days=435))
    current = make_term(member=member, start_on=today - timedelta(days=20))
    milestone = manager_client.get(f"/members/{member.pk}/").context["m"].milestones[0]
    assert milestone.due_on == current.start_on + timedelta(days=60)
    assert milestone.state == "upcoming"


def test_says_when_the_member_is_not_on_a_journey(manager_client):
    member = make_member()
    assert "not on a journey yet" in manager_client.get(f"/members/{member.pk}/").content.decode()


def test_interaction_timeline_shows_the_latest_hundred_and_pages_to_older(manager_client):
    member = make_member()
    start = timezone.now() - timedelta(days=200)
    for n in range(130):
        make_interaction(
            member=member, kind="course_completed", source="lms", occurred_at=start + timedelta(days=n), value=2.5
        )
    first = manager_client.get(f"/members/{member.pk}/")
    timeline = first.context["m"].interactions
    assert len(timeline.object_list) == 100
    assert timeline.object_list[0].occurred_at == start + timedelta(days=129)
    page = first.content.decode()
    assert "Course completed" in page and "lms" in page and "2.5" in page
    assert 'href="?page=2#interactions" rel="next"' in page
    older = manager_client.get(f"/members/{member.pk}/", {"page": 2}).context["m"].interactions
    assert len(older.object_list) == 30


def test_shows_open_and_resolved_tickets_with_resolution_hours(manager_client):
    member = make_member()
    opened = timezone.now() - timedelta(days=5)
    make_ticket(member=member, subject="Login broken", opened_at=opened, resolved_at=opened + timedelta(hours=12))
    make_ticket(member=member, subject="Invoice wrong", opened_at=opened)
    response = manager_client.get(f"/members/{member.pk}/")
    assert response.context["m"].ticket_counts == {"total": 2, "open": 1}
    page = response.content.decode()
    assert "Login broken" in page and "Invoice wrong" in page
    assert '<td class="num">12.0</td>' in page
    assert "1 open of 2" in page


def test_shows_terms_with_offering_dates_dues_and_status(manager_client):
    member = make_member()
    make_term(
        member=member, start_on=date(2023, 1, 1), end_on=date(2024, 1, 1), dues="180.00",
        offering=make_offering(name="Associate"), status="renewed",
    )
    page = manager_client.get(f"/members/{member.pk}/").content.decode()
    assert "Associate" in page and "1 Jan 2023" in page and "180.00" in page
    assert '<span class="badge badge--term-renewed">Renewed</span>' in page


def test_shows_nps_responses_with_their_group(manager_client):
    member = make_member()
    make_survey(member=member, score=4, comment="Too many emails")
    page = manager_client.get(f"/members/{member.pk}/").content.decode()
    assert "Too many emails" in page and "Detractor" in page


def test_unknown_member_is_404(manager_client):
    assert manager_client.get("/members/999999/").status_code == 404


def test_user_text_is_escaped_everywhere_on_the_page(manager_client):
    payload = '<img src=x onerror="alert(1)">'
    member = make_member(name=payload, acquisition_channel=payload)
    make_contact(member=member, name=payload)
    make_ticket(member=member, subject=payload)
    make_survey(member=member, comment=payload)
    make_interaction(member=member, kind=payload, source=payload)
    page = manager_client.get(f"/members/{member.pk}/").content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_page_queries_stay_bounded_however_much_history(manager_client, ada):
    def queries_for_the_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = manager_client.get(f"/members/{ada.pk}/")
        assert response.status_code == 200
        return len(captured.captured_queries)

    make_interaction(member=ada, occurred_at=timezone.now())
    with_little_history = queries_for_the_page()
    for n in range(1, 150):
        make_interaction(member=ada, occurred_at=timezone.now() - timedelta(days=n))
    for _ in range(20):
        make_ticket(member=ada)
        make_survey(member=ada)
        make_term(member=ada, start_on=date(2000, 1, 1))
        make_contact(member=ada)

    # Each panel reads its rows in one query: more history adds rows, never queries.
    assert queries_for_the_page() == with_little_history
    assert with_little_history <= 40
