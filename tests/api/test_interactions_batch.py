"""POST /api/v1/interactions/batch: scoped tokens, per-item errors, idempotency, a size limit."""

from __future__ import annotations

import json
from datetime import date

import pytest

from membersuccess.api.interactions import MAX_ITEMS
from membersuccess.api.services import api_token_create, api_token_revoke
from membersuccess.interactions.models import Interaction
from membersuccess.members.models import Member

pytestmark = pytest.mark.django_db
URL = "/api/v1/interactions/batch"


@pytest.fixture
def member(db) -> Member:
    return Member.objects.create(external_id="M-1", name="Ada Okafor", joined_on=date(2023, 1, 5))


@pytest.fixture
def ingest_key(db) -> str:
    return api_token_create(name="Event platform", scope="ingest")[1]


def item(n: int, **overrides: object) -> dict[str, object]:
    return {
        "external_id": str(n), "source": "events", "member_id": "M-1", "kind": "event_attended",
        "occurred_at": "2024-03-05T18:00:00Z", **overrides,
    }


def post(client, items, key: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post(URL, data=json.dumps({"items": items}), content_type="application/json", **headers)


def test_batch_stores_valid_items_and_lists_errors_per_item(client, member, ingest_key):
    items = [item(1), item(2, occurred_at="03/05/2024"), item(3, member_id="M-404"), item(4, value="lots")]
    response = post(client, items, ingest_key)
    assert response.status_code == 200
    body = response.json()
    assert (body["received"], body["created"], body["rejected"]) == (4, 1, 3)
    errors = {(e["index"], e["field"]) for e in body["errors"]}
    assert errors == {(1, "occurred_at"), (2, "member_id"), (3, "value")}
    assert Interaction.objects.count() == 1


def test_sending_the_same_batch_twice_adds_nothing(client, member, ingest_key):
    items = [item(n) for n in range(50)]
    assert post(client, items, ingest_key).json()["created"] == 50
    again = post(client, items, ingest_key).json()
    assert (again["created"], again["unchanged"]) == (0, 50)
    assert Interaction.objects.count() == 50


def test_missing_required_field_is_an_item_error(client, member, ingest_key):
    body = post(client, [{"external_id": "1", "source": "events", "member_id": "M-1"}], ingest_key).json()
    assert {e["field"] for e in body["errors"]} == {"kind"}


def test_extra_fields_are_kept_in_attributes(client, member, ingest_key):
    post(client, [item(1, room="B12", attributes={"event": "Summit"})], ingest_key)
    assert Interaction.objects.get().attributes == {"event": "Summit", "room": "B12"}


def test_more_than_the_limit_is_413(client, member, ingest_key):
    response = post(client, [item(n) for n in range(MAX_ITEMS + 1)], ingest_key)
    assert response.status_code == 413
    assert "at most 10,000" in response.json()["detail"]
    assert Interaction.objects.count() == 0


def test_exactly_the_limit_is_accepted(client, member, ingest_key):
    response = post(client, [item(n) for n in range(MAX_ITEMS)], ingest_key)
    assert response.status_code == 200
    assert response.json()["created"] == MAX_ITEMS


@pytest.mark.parametrize("key", [None, "msm_not-a-real-token", "Basic abc"])
def test_no_or_bad_token_is_401(client, member, key):
    assert post(client, [item(1)], key).status_code == 401


def test_read_scope_token_cannot_ingest(client, member):
    key = api_token_create(name="BI tool", scope="read")[1]
    assert post(client, [item(1)], key).status_code == 401


def test_revoked_token_is_refused(client, member):
    token, key = api_token_create(name="Old LMS", scope="ingest")
    api_token_revoke(token)
    assert post(client, [item(1)], key).status_code == 401


def test_endpoint_is_documented_in_the_openapi_schema(admin_client):
    schema = admin_client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert "10,000" in operation["description"]
    assert "413" in operation["responses"]


def test_openapi_schema_needs_a_login(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 302
