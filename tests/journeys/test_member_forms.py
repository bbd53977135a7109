"""The member page's forms: record a desired outcome, change the journey, confirm a milestone with evidence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from membersuccess.accounts.models import AuditEntry
from membersuccess.journeys.models import MilestoneAchievement
from membersuccess.members.models import DesiredOutcome
from tests.factories import (
    make_desired_outcome,
    make_journey,
    make_member,
    make_milestone,
    make_required_outcome,
    make_segment,
    make_task,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def certification():
    return make_required_outcome(code="certification", name="Earn certification")


@pytest.fixture
def member(manager):
    return make_member(name="Ada Okafor", success_manager=manager, segment=make_segment(code="early"),
                       joined_on=timezone.localdate() - timedelta(days=100))


def test_a_member_without_a_desired_outcome_offers_the_onboarding_form(manager_client, member):
    page = manager_client.get(f"/members/{member.pk}/").content.decode()
    assert f'href="/members/{member.pk}/desired-outcome/"' in page


def test_executives_get_no_link_to_record_and_are_refused_on_the_server(executive_client, member, certification):
    assert "/desired-outcome/" not in executive_client.get(f"/members/{member.pk}/").content.decode()
    response = executive_client.post(f"/members/{member.pk}/desired-outcome/", {"required_outcome": certification.pk,
                                                                              "source": "stated"})
    assert response.status_code == 403
    assert not DesiredOutcome.objects.exists()


def test_a_manager_records_a_desired_outcome_and_the_member_joins_its_journey(manager_client, member, certification):
    journey = make_journey(name="Certification path", required_outcome=certification)
    response = manager_client.post(f"/members/{member.pk}/desired-outcome/", {
        "required_outcome": certification.pk, "channels": ["online"], "formats": ["courses", "self_serve"],
        "cadence": "monthly", "language": "en", "accessibility": "Screen reader", "time_budget_hours_per_month": "4",
        "source": "stated", "target_date": (timezone.localdate() + timedelta(days=200)).isoformat(),
    })
    assert response.status_code == 302
    outcome = DesiredOutcome.objects.get(member=member, is_current=True)
    assert (outcome.formats, outcome.time_budget_hours_per_month, outcome.accessibility) == (
        ["courses", "self_serve"], 4, "Screen reader"
    )
    member.refresh_from_db()
    assert member.journey == journey
    page = manager_client.get(f"/members/{member.pk}/").content.decode()
    assert "Earn certification" in page and "Certification path" in page


def test_the_form_starts_from_the_current_desired_outcome(manager_client, member, certification):
    make_desired_outcome(member=member, required_outcome=certification, formats=["mentoring"], cadence="weekly")
    form = manager_client.get(f"/members/{member.pk}/desired-outcome/").context["form"]
    assert (form.initial["required_outcome"], form.initial["formats"], form.initial["cadence"]) == (
        certification, ["mentoring"], "weekly"
    )


def test_bad_desired_outcome_input_is_shown_next_to_its_field(manager_client, member, certification):
    response = manager_client.post(f"/members/{member.pk}/desired-outcome/", {
        "required_outcome": certification.pk, "source": "stated", "language": "English please",
        "target_date": "2001-01-01", "time_budget_hours_per_month": "-3",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["time_budget_hours_per_month"] == ["Ensure this value is greater than or equal to 0."]
    assert not DesiredOutcome.objects.exists()
    response = manager_client.post(f"/members/{member.pk}/desired-outcome/", {
        "required_outcome": certification.pk, "source": "stated", "language": "English please",
        "target_date": "2001-01-01",
    })
    errors = response.context["form"].errors
    assert "is not a language code" in errors["language"][0]
    assert "is already past" in errors["target_date"][0]
    assert not DesiredOutcome.objects.exists()


def test_staff_who_do_not_work_with_the_member_get_not_found(staff_client, member, certification):
    assert staff_client.get(f"/members/{member.pk}/desired-outcome/").status_code == 404
    assert staff_client.post(f"/members/{member.pk}/journey/", {"reason": "x"}).status_code == 404


def test_a_manager_changes_a_members_journey_with_a_reason(manager_client, manager, member):
    old, new = make_journey(name="Old path"), make_journey(name="New path")
    member.journey = old
    member.save()
    response = manager_client.post(f"/members/{member.pk}/journey/", {"journey": new.pk, "reason": "Wants leadership"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.journey == new
    entry = AuditEntry.objects.get(action="member_journey_changed")
    assert (entry.actor, entry.detail["reason"]) == (manager, "Wants leadership")


def test_a_journey_change_without_a_reason_is_refused_next_to_the_reason(manager_client, member):
    new = make_journey(name="New path")
    response = manager_client.post(f"/members/{member.pk}/journey/", {"journey": new.pk, "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    member.refresh_from_db()
    assert member.journey is None


@pytest.mark.parametrize("role_client", ["staff_client", "executive_client"])
def test_only_admins_and_managers_change_a_members_journey(request, role_client, member):
    client = request.getfixturevalue(role_client)
    new = make_journey(name="New path")
    if role_client == "staff_client":
        make_task(member=member, assignee=request.getfixturevalue("staff"))
    assert client.post(f"/members/{member.pk}/journey/", {"journey": new.pk, "reason": "because"}).status_code == 403
    member.refresh_from_db()
    assert member.journey is None


@pytest.fixture
def on_journey(member):
    journey = make_journey(name="Networking")
    milestone = make_milestone(journey=journey, order=1, name="Mentor matched")
    member.journey = journey
    member.save()
    return milestone


def test_a_milestone_is_confirmed_with_evidence_from_the_member_page(manager_client, manager, member, on_journey):
    page = manager_client.get(f"/members/{member.pk}/").content.decode()
    url = f"/members/{member.pk}/milestones/{on_journey.pk}/confirm/"
    assert f'href="{url}"' in page
    response = manager_client.post(url, {"achieved_on": timezone.localdate().isoformat(),
                                         "evidence": "Matched with J. Diaz"})
    assert response.status_code == 302
    achievement = MilestoneAchievement.objects.get()
    assert (achievement.evidence, achievement.confirmed_by) == ("Matched with J. Diaz", manager)


def test_a_confirmation_with_empty_evidence_is_refused(manager_client, member, on_journey):
    response = manager_client.post(f"/members/{member.pk}/milestones/{on_journey.pk}/confirm/",
                                   {"achieved_on": timezone.localdate().isoformat(), "evidence": "   "})
    assert response.status_code == 200 and "evidence" in response.context["form"].errors
    assert not MilestoneAchievement.objects.exists()


def test_executives_cannot_confirm_milestones(executive_client, member, on_journey):
    response = executive_client.post(f"/members/{member.pk}/milestones/{on_journey.pk}/confirm/",
                                     {"achieved_on": timezone.localdate().isoformat(), "evidence": "seen"})
    assert response.status_code == 403
    assert not MilestoneAchievement.objects.exists()


def test_a_milestone_of_another_journey_is_not_found(manager_client, member, on_journey):
    elsewhere = make_milestone(journey=make_journey(), order=1)
    assert manager_client.get(f"/members/{member.pk}/milestones/{elsewhere.pk}/confirm/").status_code == 404
