"""Text with a NUL character is refused by every API operation with a 400 naming where it is.

PostgreSQL cannot store or compare such text, so before this guard a NUL in a filter or a batch item
was a server error there (the fuzzer found it); the answer is now the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from membersuccess.api.services import api_token_create
from membersuccess.interactions.models import Interaction
from membersuccess.potential.models import Applicant
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def _client(scope: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(name=f'nul {scope}', scope=scope)[1]}")


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/api/v1/potential/applicants?channel=web%00", "channel"),
        ("/api/v1/renewals/pipeline?segment=%00", "query.segment"),
        ("/api/v1/renewals/expansion?as_of=2024-01-01%00", "query.as_of"),
    ],
)
def test_a_nul_in_a_query_parameter_is_a_400_naming_it(path, where):
    response = _client("read").get(path)
    assert response.status_code == 400
    assert response.json() == {"detail": f"{where} contains a NUL character (\\u0000); remove it"}


def test_a_nul_in_a_batch_item_is_a_400_naming_the_item_and_field_and_nothing_is_stored():
    make_member(external_id="M-1")
    items = [
        {"external_id": "I-1", "source": "events", "member_id": "M-1", "kind": "event_attended",
         "occurred_at": "2024-05-01T10:00:00"},
        {"external_id": "I-2", "source": "events", "member_id": "M-1\x00", "kind": "event_attended",
         "occurred_at": "2024-05-01T10:00:00"},
    ]
    response = _client("ingest").post("/api/v1/interactions/batch", data=json.dumps({"items": items}),
                                       content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("payload.items.1.member_id contains a NUL character")
    assert not Interaction.objects.exists()


def test_a_nul_in_an_attribute_name_is_refused_too():
    items = [{"external_id": "A-1", "name": "Ana", "applied_on": "2024-05-01", "required_outcome": "x",
              "acquisition_channel": "web", "attributes": {"shoe\x00size": 9}}]
    response = _client("ingest").post("/api/v1/potential/applicants", data=json.dumps({"items": items}),
                                      content_type="application/json")
    assert response.status_code == 400
    assert "payload.items.0.attributes contains a NUL character" in response.json()["detail"]
    assert not Applicant.objects.exists()


def test_a_nul_in_an_outreach_draft_is_a_400():
    response = _client("read").post("/api/v1/outreach/check", data=json.dumps({"text": "Hi", "member_id": "\x00"}),
                                    content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("payload.member_id contains a NUL character")
