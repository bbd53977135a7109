"""The Report page: the executive report of the latest scoring run, read-only, with its PDF, for the roles
that see every member."""

from __future__ import annotations

import pytest
from django.urls import reverse

from membersuccess.accounts.models import Role
from membersuccess.scoring.services import score_run
from tests.evidence.report.conftest import AS_OF, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def scored(happy_and_demanding):
    return score_run(as_of=AS_OF)


def test_staff_who_see_only_their_members_are_refused_and_not_shown_the_link(db):
    client = client_for(Role.STAFF)
    assert client.get(reverse("report")).status_code == 403
    assert client.get(reverse("report_pdf")).status_code == 403
    assert f'href="{reverse("report")}"' not in client.get(reverse("dashboard")).content.decode()


def test_member_names_are_escaped(scored):
    html = client_for(Role.EXECUTIVE).get(reverse("report")).content.decode()
    assert "Quinn &lt;Quiet&gt;" in html
    assert "Quinn <Quiet>" not in html


def test_before_any_scoring_run_the_page_says_how_to_get_a_report(db):
    response = client_for(Role.EXECUTIVE).get(reverse("report"))
    assert response.status_code == 200
    assert "No report yet" in response.content.decode()
    assert "msm score" in response.content.decode()


def test_before_any_scoring_run_the_pdf_link_leads_back_to_the_page(db):
    response = client_for(Role.EXECUTIVE).get(reverse("report_pdf"))
    assert response.status_code == 302 and response["Location"] == reverse("report")


def test_executives_cannot_post_to_the_report(db):
    assert client_for(Role.EXECUTIVE).post(reverse("report")).status_code == 405
