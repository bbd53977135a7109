"""/api/v1/potential: applicants in with per-item errors, applicants out with their fit, the model's AUC."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from membersuccess.accounts.models import Role
from membersuccess.api.services import api_token_create
from membersuccess.potential.models import Applicant, FitModel
from membersuccess.potential.services import applicant_create
from tests.factories import make_staff_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/potential/applicants"


def item(n: int, **overrides: object) -> dict[str, object]:
    return {"external_id": f"A-{n}", "name": f"Applicant {n}", "applied_on": "2024-05-01",
            "required_outcome": "find-a-job", "acquisition_channel": "referral", **overrides}


def bearer(scope: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(name='CRM', scope=scope)[1]}"}


def post(client: Client, items: list[dict[str, object]], headers: dict[str, Any]):
    return client.post(URL, data=json.dumps({"items": items}), content_type="application/json", **headers)


def test_valid_applicants_are_stored_and_bad_ones_listed_with_field_and_reason(client, catalog) -> None:
    items = [item(1), item(2, required_outcome="get-rich"), item(3, acquisition_channel=""),
             item(4, attributes={"shoe_size": 9})]
    response = post(client, items, bearer("ingest"))
    assert response.status_code == 200
    body = response.json()
    assert (body["received"], body["created"], body["rejected"]) == (4, 1, 3)
    assert [(e["index"], e["field"]) for e in body["errors"]] == [
        (1, "required_outcome"), (2, "acquisition_channel"), (3, "attributes")
    ]
    assert body["errors"][0]["reason"].startswith("required outcome 'get-rich' is not set up")
    assert list(Applicant.objects.values_list("external_id", flat=True)) == ["A-1"]


def test_a_batch_with_no_valid_applicant_is_a_422_with_the_first_reason(client, catalog) -> None:
    response = post(client, [item(1, applied_on="next tuesday")], bearer("ingest"))
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "no applicant was stored: item 0, applied_on: 'next tuesday' is not an ISO 8601 date, e.g. 2024-03-31"
    )


def test_a_read_token_cannot_add_applicants(client, catalog) -> None:
    assert post(client, [item(1)], bearer("read")).status_code == 401


def test_a_success_manager_session_may_add_applicants_but_staff_may_not(client, catalog) -> None:
    client.force_login(make_staff_user(role=Role.STAFF))
    assert post(client, [item(1)], {}).status_code == 401
    client.force_login(make_staff_user(role=Role.SUCCESS_MANAGER))
    assert post(client, [item(1)], {}).status_code == 200


def test_the_list_gives_each_applicant_its_band_and_reasons(client, catalog) -> None:
    applicant_create(name="Ada", required_outcome="find-a-job", acquisition_channel="web",
                     applied_on=date(2024, 5, 1), external_id="A-1")
    response = client.get(URL, **bearer("read"))
    assert response.status_code == 200
    [row] = response.json()
    assert (row["external_id"], row["band"], row["chance"]) == ("A-1", "moderate", None)
    assert row["reasons"][0].startswith("No fit model is trained yet")


def test_an_unknown_band_filter_is_a_400_naming_the_bands(client, catalog) -> None:
    response = client.get(URL + "?band=great", **bearer("read"))
    assert response.status_code == 400
    assert response.json()["detail"] == "unknown band 'great'; use one of strong, moderate, poor"


def test_an_executive_may_read_applicants_and_staff_may_not(client, catalog) -> None:
    client.force_login(make_staff_user(role=Role.EXECUTIVE))
    assert client.get(URL).status_code == 200
    client.force_login(make_staff_user(role=Role.STAFF))
    assert client.get(URL).status_code == 401


def test_the_model_endpoint_shows_the_cross_validated_auc_or_says_none_is_trained(client) -> None:
    headers = bearer("read")
    missing = client.get("/api/v1/potential/model", **headers)
    assert missing.status_code == 404
    assert "no fit model is trained yet" in missing.json()["detail"]
    FitModel.objects.create(as_of=date(2025, 1, 1), members_used=100, members_reached=40, cv_auc=0.71, folds=5,
                            intercept=0.0, weights={}, poor_below=0.3, strong_from=0.6)
    body = client.get("/api/v1/potential/model", **headers).json()
    assert (body["cv_auc"], body["members_used"], body["as_of"]) == (0.71, 100, "2025-01-01")
