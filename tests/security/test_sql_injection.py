"""Search, filters, sorting and the API take hostile strings as plain values: no error, no extra rows, no damage."""

from __future__ import annotations

import pytest
from django.test import Client

from membersuccess.accounts.models import Role
from membersuccess.api.services import api_token_create
from membersuccess.members.models import Member
from tests.factories import make_member, make_staff_user, make_task

pytestmark = pytest.mark.django_db

INJECTIONS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE members_member; --",
    "x' UNION SELECT username, password FROM auth_user --",
    "%' AND 1=0 UNION SELECT NULL --",
    "') OR ('a'='a",
    "name; SELECT pg_sleep(0)",
    "\\x27; --",
]
LIST_PARAMETERS = ["q", "segment", "status", "sort", "page", "success", "flag", "was"]


@pytest.fixture
def staff_client() -> Client:
    """A staff member who works on one member only; two others exist."""
    eva = make_staff_user(role=Role.STAFF, username="eva")
    make_task(member=make_member(name="Eva's Member"), assignee=eva)
    make_member(name="Hidden One")
    make_member(name="Hidden Two")
    client = Client()
    client.force_login(eva)
    return client


@pytest.mark.parametrize("parameter", LIST_PARAMETERS)
@pytest.mark.parametrize("value", INJECTIONS)
def test_members_list_filters_treat_injection_strings_as_values(staff_client, parameter, value):
    response = staff_client.get("/members/", {parameter: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hidden One" not in page
    assert "Hidden Two" not in page
    assert Member.objects.count() == 3


def test_a_search_for_an_injection_string_finds_nothing_but_a_member_named_so(staff_client):
    response = staff_client.get("/members/", {"q": "' OR '1'='1"})
    assert "Eva&#x27;s Member" not in response.content.decode()


@pytest.mark.parametrize("value", INJECTIONS)
def test_the_api_takes_injection_strings_as_a_member_id(value):
    make_member(name="Someone")
    _, key = api_token_create(name="reader", scope="read")
    response = Client().post(
        "/api/v1/outreach/check", {"text": "See the course: https://example.org/c", "member_id": value},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 404
    assert Member.objects.count() == 1


@pytest.mark.parametrize("value", INJECTIONS)
def test_the_api_takes_injection_strings_in_a_batch_as_data(value):
    member = make_member(name="Someone", external_id="M-1")
    _, key = api_token_create(name="events", scope="ingest")
    item = {"external_id": value, "source": value[:40], "member_id": member.external_id, "kind": "event_attended",
            "occurred_at": "2026-01-05T10:00:00"}
    response = Client().post(
        "/api/v1/interactions/batch", {"items": [item]}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200
    assert Member.objects.count() == 1
