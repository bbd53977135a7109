"""The admin's fit criteria: explained in words, judged with a reason, and capping the fit band."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from membersuccess.accounts.models import AuditEntry
from membersuccess.members.models import RequiredOutcome, Segment
from membersuccess.potential.criteria import criteria_context
from membersuccess.potential.models import FitCriterion
from membersuccess.potential.selectors import applicants_with_fit, criteria_rows
from membersuccess.potential.services import (
    PotentialError,
    applicant_create,
    criterion_create,
    criterion_set_active,
)
from tests.factories import make_journey, make_offering

pytestmark = pytest.mark.django_db


def _apply(**change: str) -> None:
    fields: dict[str, Any] = {"name": "Ada", "required_outcome": "earn-certification", "acquisition_channel": "web",
                              "applied_on": date(2024, 5, 1), **change}
    applicant_create(**fields)


def test_each_criterion_is_explained_in_words(catalog, declared) -> None:
    criterion_create(kind=FitCriterion.Kind.OUTCOME_SERVED)
    criterion_create(kind=FitCriterion.Kind.SEGMENT_IN, segments=["early-career"], effect="moderate")
    criterion_create(kind=FitCriterion.Kind.ATTRIBUTE_GIVEN, attribute="years_experience")
    assert [row.explanation for row in criteria_rows()] == [
        "The stated required outcome is one we serve: it has a journey or an offering that serves it. "
        "An applicant who fails it is a poor fit.",
        "The segment is one of: Early career. An applicant who fails it is at best a moderate fit.",
        "The applicant tells us “Years of experience”. An applicant who fails it is a poor fit.",
    ]


def test_an_outcome_we_have_no_journey_or_offering_for_makes_a_poor_fit_with_the_reason(catalog) -> None:
    criterion_create(kind=FitCriterion.Kind.OUTCOME_SERVED)
    make_journey(required_outcome=RequiredOutcome.objects.get(code="earn-certification"))
    _apply(name="Served")
    _apply(name="Unserved", required_outcome="find-a-job")
    fits = {row.applicant.name: row.fit for row in applicants_with_fit()}
    assert fits["Unserved"].band == "poor"
    assert fits["Unserved"].reasons[0] == "We have no journey or offering for the required outcome “Find a job”"
    assert fits["Served"].band == "moderate"  # no model yet: criteria pass, nothing more to say


def test_an_offering_that_serves_the_outcome_counts_as_serving_it(catalog) -> None:
    criterion_create(kind=FitCriterion.Kind.OUTCOME_SERVED)
    offering = make_offering(kind="course")
    offering.serves.add(RequiredOutcome.objects.get(code="find-a-job"))
    _apply(required_outcome="find-a-job")
    [row] = applicants_with_fit()
    assert all(result.passed for result in row.fit.criteria)


def test_a_segment_outside_the_list_fails_with_the_segments_we_serve(catalog) -> None:
    Segment.objects.create(code="retirees", name="Retirees")
    criterion_create(kind=FitCriterion.Kind.SEGMENT_IN, segments=["early-career"])
    _apply(segment="retirees")
    [row] = applicants_with_fit()
    assert row.fit.reasons[0] == "Segment “Retirees” is not one we serve (Early career)"


def test_a_switched_off_criterion_is_not_judged(catalog) -> None:
    criterion = criterion_create(kind=FitCriterion.Kind.OUTCOME_SERVED)
    criterion_set_active(criterion, active=False)
    _apply(required_outcome="find-a-job")
    assert criteria_context().criteria == []
    [row] = applicants_with_fit()
    assert row.fit.band == "moderate"
    assert AuditEntry.objects.filter(action="fit_criterion_switched_off").exists()


def test_the_no_model_reason_tells_staff_how_to_get_one(catalog) -> None:
    _apply()
    [row] = applicants_with_fit()
    assert row.fit.chance is None
    assert row.fit.reasons == [
        "No fit model is trained yet, so only the criteria decide (an admin trains it on the fit criteria page)"
    ]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"kind": "vibes"}, "kind", "unknown kind of criterion 'vibes'"),
        ({"kind": "segment_in"}, "segments", "choose at least one segment"),
        ({"kind": "segment_in", "segments": ["nope"]}, "segments",
         "segment(s) nope are not set up (known: early-career)"),
        ({"kind": "attribute_given", "attribute": "shoe_size"}, "attribute", "attribute 'shoe_size' is not declared"),
        ({"kind": "outcome_served", "effect": "fatal"}, "effect", "unknown effect 'fatal'; use poor or moderate"),
    ],
)
def test_a_bad_criterion_is_refused_naming_the_field(catalog, kwargs: dict[str, object], field: str,
                                                     message: str) -> None:
    with pytest.raises(PotentialError) as caught:
        criterion_create(**kwargs)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.message) == (field, message)
    assert not FitCriterion.objects.exists()
