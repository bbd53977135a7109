"""Recording from the member page: a panel on the member 360 and a page with the forms; executives read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from membersuccess.accounts.models import Role
from membersuccess.members.models import MembershipTerm
from tests.factories import make_member, make_staff_user, make_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def term():
    today = timezone.localdate()
    member = make_member(name="Ada Okafor", external_id="M-ADA")
    return make_term(member=member, start_on=today - timedelta(days=300), end_on=today + timedelta(days=65),
                     dues="200.00")


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(make_staff_user(role=role))
    return client


def test_the_member_page_shows_the_renewal_panel_with_a_link_to_record(term):
    response = signed_in(Role.SUCCESS_MANAGER).get(f"/members/{term.member_id}/")
    assert b'id="renewal-heading"' in response.content
    assert f'href="/members/{term.member_id}/renewal/"'.encode() in response.content
    assert b"in 65 days" in response.content


def test_recording_an_upgrade_from_the_page(term):
    client = signed_in(Role.SUCCESS_MANAGER)
    response = client.post(f"/members/{term.member_id}/renewal/", {"action": "renew", "renew-dues": "450.00"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.status == MembershipTerm.Status.UPGRADED
    page = client.get(response["Location"])
    assert b"Recorded: renewed, upgraded" in page.content


def test_a_bad_date_is_shown_next_to_the_field_and_nothing_is_written(term):
    client = signed_in(Role.SUCCESS_MANAGER)
    response = client.post(f"/members/{term.member_id}/renewal/",
                           {"action": "renew", "renew-end_on": "2020-01-01"})
    assert response.status_code == 400
    assert b'id="id_renew-end_on-error"' in response.content
    assert b"must end after it starts" in response.content
    assert MembershipTerm.objects.count() == 1


def test_a_malformed_date_is_refused_by_the_form(term):
    response = signed_in(Role.ADMIN).post(
        f"/members/{term.member_id}/renewal/", {"action": "renew", "renew-start_on": "31/12/2025"}
    )
    assert response.status_code == 400
    assert b"Enter a valid date." in response.content


def test_recording_a_lapse_with_the_reason(term):
    client = signed_in(Role.ADMIN)
    client.post(f"/members/{term.member_id}/renewal/",
                {"action": "lapse", "lapse-outcome": "lapsed", "lapse-reason": "Retired"})
    term.refresh_from_db()
    assert (term.status, term.cancellation_reason) == (MembershipTerm.Status.LAPSED, "Retired")


def test_executives_read_but_cannot_record(term):
    client = signed_in(Role.EXECUTIVE)
    assert b"Executives read renewals" in client.get(f"/members/{term.member_id}/renewal/").content
    response = client.post(f"/members/{term.member_id}/renewal/", {"action": "lapse", "lapse-outcome": "lapsed"})
    assert response.status_code == 403
    term.refresh_from_db()
    assert term.status == MembershipTerm.Status.ACTIVE


def test_staff_cannot_record_for_a_member_they_do_not_work_with(term):
    response = signed_in(Role.STAFF).post(f"/members/{term.member_id}/renewal/",
                                          {"action": "lapse", "lapse-outcome": "lapsed"})
    assert response.status_code == 404
