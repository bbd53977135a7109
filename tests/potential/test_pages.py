"""Success Potential pages: who may see and change what, forms with errors next to fields, the fit on
the member 360 page, the report, and the navigation link."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from membersuccess.accounts.models import Role
from membersuccess.members.models import Member
from membersuccess.potential.models import Applicant, FitCriterion
from membersuccess.potential.services import applicant_create, criterion_create, fit_model_train
from tests.factories import make_staff_user
from tests.potential.helpers import make_history

pytestmark = pytest.mark.django_db


def client_for(role: str) -> Client:
    client = Client()
    client.force_login(make_staff_user(role=role))
    return client


GOOD_FORM = {"name": "Ada Okafor", "required_outcome": "find-a-job", "acquisition_channel": "referral",
             "applied_on": "2024-05-01", "kind": "individual", "status": "applied"}


def test_the_applicants_list_shows_each_band_and_its_reasons_escaped(catalog) -> None:
    applicant_create(name="<script>x</script>", required_outcome="find-a-job", acquisition_channel="web",
                     applied_on=date(2024, 5, 1))
    criterion_create(kind=FitCriterion.Kind.OUTCOME_SERVED)
    page = client_for(Role.EXECUTIVE).get("/potential/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in body and "<script>x" not in body
    assert "Poor fit" in body
    assert "We have no journey or offering for the required outcome “Find a job”" in body


def test_the_empty_list_says_how_to_add_applicants(catalog) -> None:
    body = client_for(Role.SUCCESS_MANAGER).get("/potential/").content.decode()
    assert "No applicants yet" in body and "msm import applicants FILE" in body


def test_staff_cannot_see_applicants() -> None:
    assert client_for(Role.STAFF).get("/potential/").status_code == 403
    assert client_for(Role.STAFF).get("/potential/report/").status_code == 403


def test_the_navigation_links_potential_for_managers_but_not_for_staff() -> None:
    assert 'href="/potential/"' in client_for(Role.SUCCESS_MANAGER).get("/").content.decode()
    assert 'href="/potential/"' not in client_for(Role.STAFF).get("/").content.decode()


def test_a_manager_adds_an_applicant_through_the_form(catalog) -> None:
    response = client_for(Role.SUCCESS_MANAGER).post("/potential/new/", GOOD_FORM)
    assert response.status_code == 302
    assert Applicant.objects.get().name == "Ada Okafor"


def test_a_missing_channel_is_shown_next_to_the_field_and_nothing_is_added(catalog) -> None:
    response = client_for(Role.SUCCESS_MANAGER).post("/potential/new/", {**GOOD_FORM, "acquisition_channel": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["acquisition_channel"] == ["This field is required."]
    assert not Applicant.objects.exists()


def test_malformed_attributes_are_shown_next_to_the_field(catalog, declared) -> None:
    client = client_for(Role.SUCCESS_MANAGER)
    response = client.post("/potential/new/", {**GOOD_FORM, "attributes": "{years: 3"})
    assert response.context["form"].errors["attributes"][0].startswith("is not valid JSON")
    response = client.post("/potential/new/", {**GOOD_FORM, "attributes": '{"shoe_size": 9}'})
    assert response.context["form"].errors["attributes"] == [
        "attribute 'shoe_size' is not declared (declared: career_stage, employer_pays, years_experience)"
    ]
    assert 'class="field__error"' in response.content.decode()


def test_an_unknown_required_outcome_is_a_field_error(catalog) -> None:
    response = client_for(Role.SUCCESS_MANAGER).post("/potential/new/", {**GOOD_FORM, "required_outcome": "get-rich"})
    assert "required_outcome" in response.context["form"].errors


def test_executives_cannot_add_applicants_or_change_criteria(catalog) -> None:
    executive = client_for(Role.EXECUTIVE)
    assert executive.post("/potential/new/", GOOD_FORM).status_code == 403
    assert executive.post("/potential/criteria/add/", {"kind": "outcome_served", "effect": "poor"}).status_code == 403
    assert executive.post("/potential/train/").status_code == 403
    assert executive.get("/potential/criteria/").status_code == 200


def test_an_admin_adds_a_criterion_and_sees_it_explained(catalog) -> None:
    admin = client_for(Role.ADMIN)
    response = admin.post("/potential/criteria/add/", {"kind": "segment_in", "segments": ["early-career"],
                                                       "effect": "moderate"})
    assert response.status_code == 302
    body = admin.get("/potential/criteria/").content.decode()
    assert "The segment is one of: Early career. An applicant who fails it is at best a moderate fit." in body


def test_a_segment_criterion_without_segments_is_refused_next_to_the_field(catalog) -> None:
    response = client_for(Role.ADMIN).post("/potential/criteria/add/", {"kind": "segment_in", "effect": "poor"})
    assert response.status_code == 400
    assert response.context["form"].errors["segments"] == ["choose at least one segment"]


def test_an_admin_switches_a_criterion_off(catalog) -> None:
    criterion = criterion_create(kind=FitCriterion.Kind.OUTCOME_SERVED)
    client_for(Role.ADMIN).post(f"/potential/criteria/{criterion.pk}/toggle/")
    criterion.refresh_from_db()
    assert criterion.is_active is False


def test_training_from_the_page_with_too_little_history_says_why() -> None:
    admin = client_for(Role.ADMIN)
    response = admin.post("/potential/train/", follow=True)
    assert "cannot train the fit model" in response.content.decode()


def test_the_criteria_page_shows_the_model_auc_next_to_it_after_training() -> None:
    make_history(planted=True)
    admin = client_for(Role.ADMIN)
    admin.post("/potential/train/")
    body = admin.get("/potential/criteria/").content.decode()
    assert "cross-validated AUC <strong>0." in body
    assert "Acquisition channel" in body


def test_the_member_page_shows_the_fit_at_joining_with_reasons() -> None:
    make_history(planted=True)
    fit_model_train(as_of=date(2025, 6, 1))
    member = Member.objects.filter(acquisition_channel="paid-social").first()
    assert member is not None
    body = client_for(Role.SUCCESS_MANAGER).get(f"/members/{member.pk}/").content.decode()
    assert "Fit at joining" in body
    assert "Acquisition channel “paid-social”" in body


def test_the_report_shows_poor_fit_share_by_channel_and_outcomes_by_band() -> None:
    make_history(planted=True)
    fit_model_train(as_of=date(2025, 6, 1))
    page = client_for(Role.EXECUTIVE).get("/potential/report/")
    assert page.status_code == 200
    report = page.context["report"]
    shares = {row.label: row.poor_share for row in report.by_channel}
    assert shares["paid-social"] > shares["referral"]
    outcomes = {o.band: o for o in report.outcomes}
    assert outcomes["strong"].attainment > outcomes["poor"].attainment
    assert outcomes["strong"].retention > outcomes["poor"].retention
    assert "<svg" in page.content.decode() and "(no campaign recorded)" in page.content.decode()


def test_the_report_before_any_training_says_what_to_do() -> None:
    body = client_for(Role.ADMIN).get("/potential/report/").content.decode()
    assert "No member has a fit at joining yet" in body and "msm potential train" in body
