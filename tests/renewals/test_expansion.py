"""Expansion readiness: offerings serving a member's desired outcome that they lack; offers to members not on
track are held back, with the reason, until a success plan is in motion."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from membersuccess.accounts.models import Role
from membersuccess.api.services import api_token_create
from membersuccess.members.models import Member, Offering
from membersuccess.plays.models import Task
from membersuccess.renewals.expansion import CROSS_SELL, UPSELL
from membersuccess.renewals.models import RenewalPlan
from membersuccess.renewals.selectors import expansion_opportunities
from membersuccess.scoring.models import VectorSnapshot
from tests.factories import (
    make_desired_outcome,
    make_member,
    make_offering,
    make_required_outcome,
    make_staff_user,
    make_task,
    make_term,
)
from tests.web.vector_factories import make_run, make_vector

pytestmark = pytest.mark.django_db

ON, OFF, EARLY = VectorSnapshot.Status.ON_TRACK, VectorSnapshot.Status.OFF_TRACK, VectorSnapshot.Status.TOO_EARLY


@pytest.fixture
def catalog():
    """Certification is served by a prep course and by the Professional tier (450); Associate is 200."""
    certification = make_required_outcome(name="Earn certification")
    associate = make_offering(code="associate", name="Associate", price="200.00")
    professional = make_offering(code="professional", name="Professional", price="450.00")
    student = make_offering(code="student", name="Student", price="90.00")
    course = make_offering(code="prep", name="Certification prep course", kind=Offering.Kind.COURSE, price="300.00")
    for offering in (professional, student, course):
        offering.serves.add(certification)
    return {"outcome": certification, "associate": associate, "course": course}


def member_wanting(catalog, as_of, *, run=None, status=ON, score=80.0, name=None, **fields) -> Member:
    """An Associate member whose desired outcome is certification, scored in `run`."""
    member = make_member(name=name, **fields)
    make_term(member=member, start_on=as_of - timedelta(days=100), offering=catalog["associate"], dues="200.00")
    make_desired_outcome(member=member, required_outcome=catalog["outcome"])
    if run is not None:
        make_vector(run=run, member=member, status=status, score=score, reasons=["Two milestones overdue."])
    return member


def offered(opportunities) -> list[tuple[str, str]]:
    return [(o.member_name, o.offering_code) for o in opportunities]


def test_an_on_track_member_is_ready_for_what_serves_their_outcome_and_they_lack(catalog, as_of):
    member_wanting(catalog, as_of, run=make_run(as_of=as_of), name="Ada")
    result = expansion_opportunities(as_of=as_of)
    assert offered(result.ready) == [("Ada", "prep"), ("Ada", "professional")]
    assert result.held_back == []


def test_the_reason_says_why_in_words(catalog, as_of):
    member_wanting(catalog, as_of, run=make_run(as_of=as_of), score=82)
    course, tier = expansion_opportunities(as_of=as_of).ready
    assert course.kind == CROSS_SELL
    assert course.reason == (
        "On track (score 82) toward “Earn certification”: Certification prep course serves it and they do not "
        "have it yet."
    )
    assert tier.kind == UPSELL
    assert "the Professional tier (450.00) serves it and they hold Associate (200.00)" in tier.reason


def test_a_cheaper_tier_is_not_expansion(catalog, as_of):
    member_wanting(catalog, as_of, run=make_run(as_of=as_of))
    assert "student" not in [o.offering_code for o in expansion_opportunities(as_of=as_of).ready]


def test_a_course_already_taken_is_not_offered_again(catalog, as_of):
    member = member_wanting(catalog, as_of, run=make_run(as_of=as_of))
    make_term(member=member, start_on=as_of - timedelta(days=700), offering=catalog["course"])
    assert [o.offering_code for o in expansion_opportunities(as_of=as_of).ready] == ["professional"]


def test_members_are_ranked_best_prepared_first(catalog, as_of):
    run = make_run(as_of=as_of)
    member_wanting(catalog, as_of, run=run, score=65, name="Steady")
    member_wanting(catalog, as_of, run=run, score=91, name="Thriving")
    assert [o.member_name for o in expansion_opportunities(as_of=as_of).ready][::2] == ["Thriving", "Steady"]


def test_offers_to_an_off_track_member_are_held_back_with_the_reason(catalog, as_of):
    member_wanting(catalog, as_of, run=make_run(as_of=as_of), status=OFF, name="Ben")
    result = expansion_opportunities(as_of=as_of)
    assert result.ready == []
    assert offered(result.held_back) == [("Ben", "prep"), ("Ben", "professional")]
    assert result.held_back[0].reason == (
        "Held back: off track. Two milestones overdue. Offers wait until a success plan is in motion — "
        "raise one first (msm renewals plan)."
    )


def test_once_a_success_plan_is_in_motion_the_offer_may_be_part_of_it(catalog, as_of):
    member = member_wanting(catalog, as_of, run=make_run(as_of=as_of), status=OFF)
    task = make_task(member=member, title="Success plan")
    RenewalPlan.objects.create(term=member.terms.get(), task=task, vector_status=OFF, raised_on=as_of)
    result = expansion_opportunities(as_of=as_of)
    assert result.held_back == []
    assert result.ready[0].reason.startswith("Off track, but a success plan is in motion (task open")


def test_a_cancelled_plan_is_not_in_motion(catalog, as_of):
    member = member_wanting(catalog, as_of, run=make_run(as_of=as_of), status=OFF)
    task = make_task(member=member, title="Success plan", status=Task.Status.CANCELLED)
    RenewalPlan.objects.create(term=member.terms.get(), task=task, vector_status=OFF, raised_on=as_of)
    assert len(expansion_opportunities(as_of=as_of).held_back) == 2


def test_members_too_early_to_tell_or_never_scored_are_held_back(catalog, as_of):
    member_wanting(catalog, as_of, run=make_run(as_of=as_of), status=EARLY, name="New")
    member_wanting(catalog, as_of, name="Unscored")
    reasons = {o.member_name: o.reason for o in expansion_opportunities(as_of=as_of).held_back}
    assert reasons == {
        "New": "Held back: too early to tell — nothing is due on their journey yet.",
        "Unscored": "Held back: not scored yet, so nobody can say they are on the path to their outcome.",
    }


def test_members_without_a_desired_outcome_or_membership_are_not_listed(catalog, as_of):
    run = make_run(as_of=as_of)
    no_outcome = make_member()
    make_term(member=no_outcome, start_on=as_of - timedelta(days=10))
    make_vector(run=run, member=no_outcome)
    lapsed = member_wanting(catalog, as_of, run=run)
    lapsed.status = Member.Status.LAPSED
    lapsed.save()
    assert expansion_opportunities(as_of=as_of).ready == []


def test_staff_see_only_their_members(catalog, as_of):
    run = make_run(as_of=as_of)
    staff = make_staff_user(role=Role.STAFF)
    mine = member_wanting(catalog, as_of, run=run, name="Mine")
    make_task(member=mine, assignee=staff)
    member_wanting(catalog, as_of, run=run, name="Not mine")
    assert {o.member_name for o in expansion_opportunities(as_of=as_of, user=staff).ready} == {"Mine"}


def test_the_page_shows_ready_and_held_back_offers(catalog):
    today = timezone.localdate()
    run = make_run(as_of=today)
    member_wanting(catalog, today, run=run, name="Ada Ready")
    member_wanting(catalog, today, run=run, status=OFF, name="Ben Held")
    client = Client()
    client.force_login(make_staff_user(role=Role.EXECUTIVE))
    response = client.get("/renewals/expansion/")
    assert response.status_code == 200
    content = response.content.decode()
    ready, held = content.split('id="held-heading"')
    assert "Ada Ready" in ready and "Ben Held" in held
    assert "Offers wait until a success plan is in motion" in held


def test_the_page_refuses_a_bad_date(client):
    client.force_login(make_staff_user(role=Role.SUCCESS_MANAGER))
    response = client.get("/renewals/expansion/?as_of=yesterday")
    assert response.status_code == 400
    assert b"is not a date; write it as YYYY-MM-DD" in response.content


def test_the_api_lists_opportunities_with_reasons(catalog, client):
    today = timezone.localdate()
    member_wanting(catalog, today, run=make_run(as_of=today), external_id="M-ADA")
    _, key = api_token_create(name="CRM", scope="read")
    response = client.get("/api/v1/renewals/expansion", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    body = response.json()
    assert [(o["member_id"], o["offering"], o["kind"]) for o in body["ready"]] == [
        ("M-ADA", "prep", "cross_sell"), ("M-ADA", "professional", "upsell")
    ]


def test_the_api_refuses_a_bad_date(client):
    _, key = api_token_create(name="CRM", scope="read")
    response = client.get("/api/v1/renewals/expansion?as_of=2025-02-30", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 400
    assert "is not a date" in response.json()["detail"]
