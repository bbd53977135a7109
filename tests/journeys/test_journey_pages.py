"""The journeys pages: everyone reads them, admins change them, and bad input is shown next to its field."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from membersuccess.accounts.models import AuditEntry
from membersuccess.journeys.models import Journey, MilestoneAchievement, SuccessMilestone
from tests.factories import make_interaction, make_journey, make_member, make_milestone, make_required_outcome

pytestmark = pytest.mark.django_db

RULE_POST = {
    "name": "First course completed", "due_offset_days": "90", "due_from": "join", "grace_days": "30",
    "achieved_by": "rule", "kinds": "course_completed", "aggregation": "count", "threshold": "1", "window": "join",
}


@pytest.fixture
def journey():
    journey = make_journey(name="Certification path", required_outcome=make_required_outcome(name="Earn certification"))
    make_milestone(journey=journey, order=1, name="Orientation",
                   rule={"kinds": ["course_completed"], "aggregation": "count", "threshold": 2, "window": "term_start"})
    make_milestone(journey=journey, order=2, name="Exam passed")
    return journey


def test_every_role_reads_the_journeys_list_with_its_outcome_and_milestone_count(
    admin_client, manager_client, staff_client, executive_client, journey
):
    for client in (admin_client, manager_client, staff_client, executive_client):
        page = client.get("/journeys/").content.decode()
        assert "Certification path" in page and "Earn certification" in page


def test_only_admins_see_the_new_journey_button(admin_client, manager_client, journey):
    assert 'href="/journeys/new/"' in admin_client.get("/journeys/").content.decode()
    assert 'href="/journeys/new/"' not in manager_client.get("/journeys/").content.decode()


def test_the_empty_journeys_list_says_what_to_do(admin_client, manager_client):
    assert "No journeys yet" in admin_client.get("/journeys/").content.decode()
    assert "Ask an admin to set them up" in manager_client.get("/journeys/").content.decode()


def test_the_journey_page_reads_each_rule_in_words(manager_client, journey):
    page = manager_client.get(f"/journeys/{journey.pk}/").content.decode()
    assert "at least 2 × course_completed since the current term started" in page
    assert "Edit journey" not in page


def test_anonymous_visitors_are_sent_to_login():
    response = Client().get("/journeys/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_admin_creates_a_journey_and_it_is_audited(admin_client, admin_user):
    outcome = make_required_outcome(name="Grow my network")
    response = admin_client.post("/journeys/new/", {"name": "Networking", "required_outcome": outcome.pk})
    created = Journey.objects.get(name="Networking")
    assert response.status_code == 302 and response["Location"] == f"/journeys/{created.pk}/"
    assert AuditEntry.objects.get(action="journey_created").actor == admin_user


def test_a_duplicate_journey_is_refused_next_to_the_segment(admin_client, journey):
    response = admin_client.post("/journeys/new/", {"name": "Again", "required_outcome": journey.required_outcome_id})
    assert response.status_code == 200
    assert "already has a journey" in response.context["form"].errors["segment"][0]


@pytest.mark.parametrize("role_client", ["manager_client", "staff_client", "executive_client"])
def test_only_admins_change_journeys(request, role_client, journey):
    client = request.getfixturevalue(role_client)
    milestone = journey.milestones.get(order=2)
    assert client.get("/journeys/new/").status_code == 403
    assert client.post(f"/journeys/{journey.pk}/edit/", {"name": "Hacked"}).status_code == 403
    assert client.post(f"/journeys/{journey.pk}/milestones/new/", RULE_POST).status_code == 403
    assert client.post(f"/journeys/milestones/{milestone.pk}/edit/", RULE_POST).status_code == 403
    assert client.post(f"/journeys/milestones/{milestone.pk}/move/", {"direction": "up"}).status_code == 403
    assert client.post(f"/journeys/milestones/{milestone.pk}/remove/").status_code == 403
    assert list(journey.milestones.order_by("order").values_list("name", flat=True)) == ["Orientation", "Exam passed"]
    assert not AuditEntry.objects.filter(action__startswith="journey").exists()
    assert not AuditEntry.objects.filter(action__startswith="milestone").exists()


def test_an_admin_adds_a_milestone_with_a_rule(admin_client, journey):
    response = admin_client.post(f"/journeys/{journey.pk}/milestones/new/", {**RULE_POST, "threshold": "3"})
    assert response.status_code == 302
    added = journey.milestones.get(order=3)
    assert added.rule == {"kinds": ["course_completed"], "aggregation": "count", "threshold": 3, "window": "join"}


def test_bad_rule_input_is_shown_next_to_each_field_and_nothing_is_saved(admin_client, journey):
    post = {**RULE_POST, "kinds": "", "aggregation": "median", "threshold": "-2", "grace_days": "soon"}
    response = admin_client.post(f"/journeys/{journey.pk}/milestones/new/", post)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["kinds"] == ["Give at least one interaction kind the rule counts, e.g. course_completed"]
    assert errors["aggregation"] == ["Unknown aggregation 'median'; use one of count, sum, distinct_days"]
    assert errors["threshold"] == ["Cannot be negative"]
    assert errors["grace_days"] == ["'soon' is not a whole number of days"]
    page = response.content.decode()
    assert 'id="id_threshold_error"' in page and "Nothing was saved" in page
    assert journey.milestones.count() == 2


def test_a_kind_never_imported_is_refused_naming_the_known_ones(admin_client, journey):
    make_interaction(member=make_member(), kind="course_completed", source="lms")
    response = admin_client.post(f"/journeys/{journey.pk}/milestones/new/", {**RULE_POST, "kinds": "course_complete"})
    assert response.context["form"].errors["kinds"] == [
        "Unknown interaction kind 'course_complete': no interaction with it has been imported (known: course_completed)"
    ]


def test_user_text_in_a_milestone_is_escaped(admin_client, manager_client, journey):
    admin_client.post(f"/journeys/{journey.pk}/milestones/new/", {**RULE_POST, "name": "<script>x()</script>"})
    page = manager_client.get(f"/journeys/{journey.pk}/").content.decode()
    assert "<script>x()</script>" not in page and "&lt;script&gt;" in page


def test_an_admin_edits_a_milestone_into_a_manual_one(admin_client, journey):
    milestone = journey.milestones.get(order=2)
    form = admin_client.get(f"/journeys/milestones/{milestone.pk}/edit/").context["form"]
    assert form.initial["kinds"] == "event_attended"
    admin_client.post(f"/journeys/milestones/{milestone.pk}/edit/", {**RULE_POST, "achieved_by": "manual"})
    milestone.refresh_from_db()
    assert (milestone.manual, milestone.rule) == (True, {})
    assert AuditEntry.objects.filter(action="milestone_changed").count() == 1


def test_an_admin_reorders_milestones(admin_client, journey):
    admin_client.post(f"/journeys/milestones/{journey.milestones.get(order=2).pk}/move/", {"direction": "up"})
    assert list(journey.milestones.order_by("order").values_list("name", flat=True)) == ["Exam passed", "Orientation"]


def test_moving_the_first_milestone_up_says_why_not(admin_client, journey):
    response = admin_client.post(
        f"/journeys/milestones/{journey.milestones.get(order=1).pk}/move/", {"direction": "up"}, follow=True
    )
    assert "already the first milestone" in response.content.decode()


def test_removing_a_milestone_asks_first_then_removes_it(admin_client, journey):
    milestone = journey.milestones.get(order=1)
    member = make_member(journey=journey)
    MilestoneAchievement.objects.create(member=member, milestone=milestone, achieved_on=date(2024, 2, 1))
    ask = admin_client.get(f"/journeys/milestones/{milestone.pk}/remove/").content.decode()
    assert "1 member reached this milestone" in ask
    admin_client.post(f"/journeys/milestones/{milestone.pk}/remove/")
    assert not SuccessMilestone.objects.filter(pk=milestone.pk).exists()
    assert journey.milestones.get().order == 1


def test_the_navigation_links_to_journeys(manager_client):
    assert 'href="/journeys/"' in manager_client.get("/members/").content.decode()
