"""The pipeline page, its CSV export and its API endpoint."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone

from membersuccess.accounts.models import AuditEntry, Role
from membersuccess.api.services import api_token_create
from membersuccess.scoring.models import VectorSnapshot
from tests.factories import make_staff_user, make_task
from tests.renewals.builders import renewing
from tests.web.vector_factories import make_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client() -> Client:
    client = Client()
    client.force_login(make_staff_user(role=Role.SUCCESS_MANAGER, username="mona"))
    return client


@pytest.fixture
def today():
    return timezone.localdate()


def test_the_pipeline_is_in_the_navigation(manager_client):
    response = manager_client.get("/")
    assert b'href="/renewals/"' in response.content


def test_the_page_lists_members_whose_term_ends_in_the_window_with_links_to_them(manager_client, today):
    member, _ = renewing(as_of=today, ends_in_days=20, name="Ada Okafor", dues="300.00")
    response = manager_client.get("/renewals/?window=30")
    assert response.status_code == 200
    assert f'href="/members/{member.pk}/"'.encode() in response.content
    assert b"300.00" in response.content


def test_an_unknown_window_is_shown_next_to_the_field(manager_client):
    response = manager_client.get("/renewals/?window=45")
    assert response.status_code == 400
    assert b'id="window-error"' in response.content
    assert b"window must be one of 30, 60, 90, 180 days" in response.content


def test_a_bad_sort_is_shown_next_to_the_sort_field(manager_client):
    response = manager_client.get("/renewals/?sort=shoe_size")
    assert response.status_code == 400
    assert b'id="sort-error"' in response.content


def test_an_empty_pipeline_says_what_to_do(manager_client):
    response = manager_client.get("/renewals/")
    assert b"No membership terms of members you can see end within 90 days" in response.content


def test_the_csv_export_guards_against_formula_injection_and_is_audited(manager_client, today):
    renewing(as_of=today, ends_in_days=20, name="=HYPERLINK(\"http://evil\")", dues="300.00")
    response = manager_client.get("/renewals/pipeline.csv?window=30")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["member_id", "member", "segment"]
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\")"
    assert AuditEntry.objects.filter(action="renewal_pipeline_exported").count() == 1


def test_the_csv_export_refuses_bad_filters_with_the_reason(manager_client):
    response = manager_client.get("/renewals/pipeline.csv?window=7")
    assert response.status_code == 400
    assert b"window must be one of" in response.content


def test_staff_see_only_their_members_on_the_page(today):
    staff = make_staff_user(role=Role.STAFF)
    mine, _ = renewing(as_of=today, ends_in_days=10, name="Mine")
    make_task(member=mine, assignee=staff)
    renewing(as_of=today, ends_in_days=10, name="Someone else")
    client = Client()
    client.force_login(staff)
    content = client.get("/renewals/").content
    assert b"Mine" in content and b"Someone else" not in content


def test_the_api_returns_the_pipeline_for_a_read_token(client, today):
    run = make_run(as_of=today)
    renewing(as_of=today, ends_in_days=20, name="Ada", external_id="M-ADA", run=run,
             status=VectorSnapshot.Status.OFF_TRACK)
    _, key = api_token_create(name="Board pack", scope="read")
    response = client.get("/api/v1/renewals/pipeline?window=30", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    body = response.json()
    assert body["window"] == 30
    assert [(r["member_id"], r["success_status"]) for r in body["rows"]] == [("M-ADA", "off_track")]
    assert body["renewal_model"]["method"] == "no_history"


@pytest.mark.parametrize(
    ("query", "message"),
    [("window=45", "window must be one of"), ("sort=x", "cannot sort the pipeline"),
     ("as_of=2025-02-30", "is not a date"), ("status=happy", "unknown success status")],
)
def test_the_api_refuses_bad_input_with_a_400_and_the_reason(client, query, message):
    _, key = api_token_create(name="Board pack", scope="read")
    response = client.get(f"/api/v1/renewals/pipeline?{query}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_the_api_needs_a_token_or_a_session(client):
    assert client.get("/api/v1/renewals/pipeline").status_code == 401


def test_an_ingest_token_cannot_read_the_pipeline(client):
    _, key = api_token_create(name="Events", scope="ingest")
    assert client.get("/api/v1/renewals/pipeline", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
