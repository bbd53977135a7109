"""Fuzz the REST API from the OpenAPI schema it serves: no request, however odd, gets a 5xx, and every
answer matches the schema.

Schemathesis reads /api/v1/openapi.json as the Django app serves it and calls the app through WSGI
(no server, no network): generated requests, with valid and invalid bodies and query strings, go to
every operation with a token of the scope that operation needs. The examples are bounded (30 per
operation and kind, about half a minute in all); MSM_FUZZ_EXAMPLES=200 makes a longer hunt."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from membersuccess.accounts.models import Role
from membersuccess.api.models import ApiToken
from membersuccess.api.services import api_token_create
from membersuccess.config.wsgi import application
from tests.factories import make_member, make_required_outcome, make_segment, make_staff_user
from tests.security.routes import openapi_operations

SCHEMA_PATH = "/api/v1/openapi.json"
MAX_EXAMPLES = int(os.environ.get("MSM_FUZZ_EXAMPLES", "30"))
# The operations that write data take an ingest token; every other one a read token.
INGEST_OPERATIONS = {("POST", "/api/v1/interactions/batch"), ("POST", "/api/v1/potential/applicants")}
CHECKS: list[Callable[..., Any]] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def tokens(db) -> dict[str, str]:
    """One token per scope, and a small association for the requests to find."""
    make_member(external_id="M-1", name="Fuzz Member", segment=make_segment(code="students"))
    make_required_outcome(code="find-a-job")
    return {scope: api_token_create(name=f"fuzz {scope}", scope=scope)[1] for scope in ApiToken.Scope.values}


@pytest.fixture
def _connection_kept(api_schema: Any, admin_session: Any, tokens: Any) -> Iterator[None]:
    """Keep the test's database connection open across requests, as Django's test client does: the real
    WSGI handler closes it when a request finishes, which would end the test's transaction on PostgreSQL.
    (After the other fixtures: a test client request puts the closing back when it is done.)"""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, settings: Any) -> Any:
    """The schema as the app serves it, to a signed-in member of staff (the docs need a session)."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    reader: User = make_staff_user(role=Role.EXECUTIVE, username="fuzz-reader")
    client = Client()
    client.force_login(reader)
    response = client.get(SCHEMA_PATH)
    assert response.status_code == 200, response
    # What schemathesis.openapi.from_wsgi does, with the staff session its own client cannot carry.
    loaded = schemathesis.openapi.from_dict(response.json())
    loaded.app = application
    loaded.location = SCHEMA_PATH
    return loaded


@pytest.fixture
def admin_session(db) -> tuple[dict[str, str], dict[str, str]]:
    """The cookies and CSRF header of a signed-in admin, as a browser on the API's docs page would send."""
    client = Client()
    client.force_login(make_staff_user(role=Role.ADMIN, username="fuzz-admin"))
    csrf = get_random_string(32)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}, {"X-CSRFToken": csrf}


def _bearer(method: str, path: str, tokens: dict[str, str]) -> dict[str, str]:
    scope = ApiToken.Scope.INGEST if (method, path) in INGEST_OPERATIONS else ApiToken.Scope.READ
    return {"Authorization": f"Bearer {tokens[scope]}"}


# Each operation is its own test, with data that fits the schema and data that does not, sent by a system
# with a token of the operation's scope and by an admin signed in to the web app (who may call them all).
@pytest.mark.parametrize("caller", ["token", "admin session"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("operation", openapi_operations(), ids=" ".join)
def test_the_api_answers_generated_requests_without_a_server_error_and_as_its_schema_says(
    api_schema, tokens, admin_session, _connection_kept, operation, mode, caller
):
    method, path = operation
    cookies, headers = admin_session if caller == "admin session" else ({}, _bearer(method, path, tokens))

    @given(case=api_schema[path][method].as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    def fuzz(case: Any) -> None:
        response = case.call_and_validate(headers=headers, cookies=cookies, checks=CHECKS)
        # Refused callers would pass every check without reaching the operation: make sure they got in.
        assert response.status_code not in (401, 403), response.text

    fuzz()


def test_every_operation_is_fuzzed(api_schema):
    """The schema the fuzzer reads lists every operation of the access matrix: none is left out."""
    from tests.security.access_matrix import OPERATIONS

    served = {(result.ok().method.upper(), result.ok().path) for result in api_schema.get_all_operations()}
    assert served == set(OPERATIONS) == set(openapi_operations())
