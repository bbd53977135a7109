"""The Django admin is where admins configure the product; every model is there and its pages open."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from membersuccess.accounts.models import AuditEntry, Role
from membersuccess.ingest.models import ImportRun
from tests.factories import make_journey, make_member, make_milestone, make_staff_user

pytestmark = pytest.mark.django_db

OUR_APPS = ["accounts", "members", "journeys", "interactions", "plays", "ingest"]


@pytest.fixture
def admin_client_(db) -> Client:
    client = Client()
    client.force_login(make_staff_user(role=Role.ADMIN))
    return client


def test_every_model_of_our_apps_is_registered():
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            assert admin.site.is_registered(model), model


@pytest.mark.parametrize(
    "model", [m for label in OUR_APPS for m in apps.get_app_config(label).get_models()], ids=lambda m: m.__name__
)
def test_changelist_opens_and_searches(admin_client_, model):
    make_member(name="Ada Okafor")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client_.get(url).status_code == 200
    assert admin_client_.get(url, {"q": "Ada"}).status_code == 200


def test_journey_page_edits_its_milestones_inline(admin_client_):
    journey = make_journey(name="Certification path")
    make_milestone(journey=journey, order=1, name="Attend orientation")
    page = admin_client_.get(reverse("admin:journeys_journey_change", args=[journey.pk])).content.decode()
    assert "Attend orientation" in page
    assert "milestones-TOTAL_FORMS" in page


def test_user_page_edits_role_and_team_inline(admin_client_):
    user = make_staff_user(role=Role.STAFF)
    page = admin_client_.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()
    assert "staff_profile-0-role" in page


@pytest.mark.parametrize("model", [ImportRun, AuditEntry])
def test_import_runs_and_audit_entries_are_read_only(admin_client_, model):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert admin_client_.get(reverse(f"{name}_add")).status_code == 403
    instance = (
        ImportRun.objects.create(kind="members", file_name="members.csv")
        if model is ImportRun
        else AuditEntry.objects.create(action="login")
    )
    page = admin_client_.get(reverse(f"{name}_change", args=[instance.pk])).content.decode()
    assert 'name="_save"' not in page
