"""Recording one applicant (the form and the API use this): each bad field is named with the reason."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from membersuccess.potential.models import Applicant
from membersuccess.potential.services import PotentialError, applicant_create

pytestmark = pytest.mark.django_db

GOOD: dict[str, Any] = {
    "name": "Ada Okafor",
    "required_outcome": "earn-certification",
    "acquisition_channel": "referral",
    "applied_on": date(2024, 5, 1),
}


def test_a_valid_applicant_is_recorded_with_cleaned_attributes(catalog, declared) -> None:
    applicant = applicant_create(**GOOD, campaign="spring", segment="early-career",
                                 attributes={"years_experience": "3", "employer_pays": "no"})
    assert applicant.external_id.startswith("APP-")
    assert applicant.attributes == {"years_experience": 3.0, "employer_pays": False}
    assert applicant.segment is not None
    assert (applicant.segment.code, applicant.campaign) == ("early-career", "spring")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"required_outcome": "get-rich"}, "required_outcome",
         "required outcome 'get-rich' is not set up (known: earn-certification, find-a-job)"),
        ({"acquisition_channel": "  "}, "acquisition_channel",
         "the acquisition channel is required: where did this applicant come from?"),
        ({"name": ""}, "name", "a name is required"),
        ({"segment": "retirees"}, "segment", "segment 'retirees' is not set up (known: early-career)"),
        ({"attributes": ["not", "an", "object"]}, "attributes",
         'must be a JSON object such as {"years_experience": 3}'),
        ({"attributes": {"shoe_size": 9}}, "attributes",
         "attribute 'shoe_size' is not declared (declared: career_stage, employer_pays, years_experience)"),
        ({"attributes": {"employer_pays": "maybe"}}, "attributes",
         "attribute 'employer_pays' must be yes or no, not 'maybe'"),
    ],
)
def test_bad_input_names_the_field_and_the_reason_and_records_nothing(
    catalog, declared, change: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(PotentialError) as caught:
        applicant_create(**{**GOOD, **change})
    assert (caught.value.field, caught.value.message) == (field, message)
    assert not Applicant.objects.exists()


def test_an_application_date_in_the_future_is_refused(catalog) -> None:
    later = timezone.localdate() + timedelta(days=30)
    with pytest.raises(PotentialError, match=f"applied on {later} is not between") as caught:
        applicant_create(**{**GOOD, "applied_on": later})
    assert caught.value.field == "applied_on"


def test_attributes_are_refused_when_none_are_declared_and_the_message_says_where_to_declare_them(catalog) -> None:
    with pytest.raises(PotentialError, match="no attributes are declared yet; an admin declares them"):
        applicant_create(**GOOD, attributes={"years_experience": 3})


def test_a_duplicate_external_id_is_refused(catalog) -> None:
    applicant_create(**GOOD, external_id="A-1")
    with pytest.raises(PotentialError, match="an applicant with id 'A-1' already exists"):
        applicant_create(**GOOD, external_id="A-1")
