"""POST /api/v1/outreach/check: staff sessions and read tokens, member context, bad input, the schema."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from membersuccess.accounts.models import Role
from membersuccess.api.services import api_token_create
from tests.factories import make_journey, make_member, make_milestone, make_staff_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/outreach/check"


def post(client: Client, body: object, key: str | None = None):
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(make_staff_user(role=Role.SUCCESS_MANAGER))
    return client


@pytest.fixture
def member():
    journey = make_journey()
    make_milestone(journey=journey, order=1, name="Earn 10 CE credits", due_offset_days=90)
    return make_member(external_id="M-1", name="Ada Okafor", journey=journey, joined_on=date(2024, 1, 1))


def test_just_checking_in_is_rejected_with_reasons(staff_client):
    response = post(staff_client, {"text": "Just checking in!"})
    assert response.status_code == 200
    body = response.json()
    assert body["passes"] is False
    assert body["value_items"] == []
    assert body["empty_phrases"] == [{"text": "Just checking in", "start": 0, "end": 16}]
    assert "empty contact phrase" in body["reasons"][0]


def test_a_resource_link_passes(staff_client):
    body = post(staff_client, {"text": "Here is the guide: https://example.org/guide"}).json()
    assert body["passes"] is True
    assert body["value_items"] == [{"kind": "resource_link", "text": "https://example.org/guide"}]
    assert body["reasons"] == []


def test_with_member_id_the_next_milestone_counts_and_is_suggested(staff_client, member):
    rejected = post(staff_client, {"text": "touching base", "member_id": "M-1"}).json()
    assert "“Earn 10 CE credits”" in rejected["reasons"][-1]
    passed = post(staff_client, {"text": "You're close to: earn 10 CE credits.", "member_id": "M-1"}).json()
    assert passed["passes"] is True
    assert passed["value_items"][0]["kind"] == "next_milestone"


def test_a_read_token_may_check(client, member):
    key = api_token_create(name="Email tool", scope="read")[1]
    response = post(client, {"text": "Just following up", "member_id": "M-1"}, key)
    assert response.status_code == 200
    assert response.json()["passes"] is False


def test_without_login_it_is_401(client):
    assert post(client, {"text": "Just checking in"}).status_code == 401


def test_an_ingest_token_is_not_enough(client):
    key = api_token_create(name="Event platform", scope="ingest")[1]
    assert post(client, {"text": "Just checking in"}, key).status_code == 401


def test_a_session_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff_user(role=Role.SUCCESS_MANAGER))
    assert post(client, {"text": "Just checking in"}).status_code == 403


def test_an_unknown_member_is_404_with_a_clear_message(staff_client):
    response = post(staff_client, {"text": "https://example.org", "member_id": "M-404"})
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no member with id 'M-404'."


def test_staff_cannot_check_against_a_member_they_do_not_work_with(client, member):
    client.force_login(make_staff_user(role=Role.STAFF))
    assert post(client, {"text": "https://example.org", "member_id": "M-1"}).status_code == 404


def test_missing_text_is_422_naming_the_field(staff_client):
    response = post(staff_client, {"member_id": "M-1"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "text"


def test_text_that_is_not_a_string_is_422(staff_client):
    assert post(staff_client, {"text": ["just", "checking", "in"]}).status_code == 422


def test_a_huge_draft_is_413_with_the_limit(staff_client):
    response = post(staff_client, {"text": "word " * 5000})
    assert response.status_code == 413
    assert "at most 20,000" in response.json()["detail"]


def test_html_in_a_draft_is_returned_as_text(staff_client):
    body = post(staff_client, {"text": "<b>just checking in</b><script>alert(1)</script>"}).json()
    assert body["passes"] is False
    assert body["empty_phrases"][0]["text"] == "just checking in"


def test_the_endpoint_is_in_the_openapi_schema(staff_client):
    schema = staff_client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert operation["summary"] == "Check an outreach draft carries value"
    assert {"200", "404", "413"} <= set(operation["responses"])
