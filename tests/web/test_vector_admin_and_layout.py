"""Scoring records in the Django admin are read-only; the vector pages keep the shared accessible layout."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from membersuccess.accounts.models import Role
from membersuccess.scoring.models import ScoreRun, SignalSet, VectorSnapshot
from membersuccess.scoring.services import signal_set_active
from tests.factories import make_member, make_staff_user
from tests.web.test_layout import Page
from tests.web.vector_factories import make_run, make_vector

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> Client:
    client = Client()
    client.force_login(make_staff_user(role=Role.ADMIN))
    return client


@pytest.fixture
def pages(admin) -> dict[str, str]:
    signal_set_active()
    member = make_member(name="Ada Okafor")
    before, now = make_run(as_of=date(2025, 5, 1)), make_run(as_of=date(2025, 5, 8))
    make_vector(run=before, member=member, status=VectorSnapshot.Status.ON_TRACK)
    make_vector(run=now, member=member, status=VectorSnapshot.Status.OFF_TRACK, flags=["quiet"])
    paths = {
        "portfolio": "/portfolio/",
        "member": f"/members/{member.pk}/",
        "members": "/members/?flag=quiet",
        "signals": "/signals/",
        "signals edit": "/signals/edit/",
        "signals version": "/signals/versions/1/",
    }
    rendered = {}
    for name, path in paths.items():
        response = admin.get(path)
        assert response.status_code == 200, name
        rendered[name] = response.content.decode()
    return rendered


@pytest.mark.parametrize("model", [SignalSet, ScoreRun, VectorSnapshot], ids=lambda m: m.__name__)
def test_scoring_records_open_in_the_admin_and_cannot_be_edited_there(admin, model):
    signal_set_active()
    make_vector(run=make_run(as_of=date(2025, 5, 8)), member=make_member(name="Ada Okafor"))
    changelist = reverse(f"admin:scoring_{model._meta.model_name}_changelist")
    assert admin.get(changelist).status_code == 200
    assert admin.get(changelist, {"q": "Ada"}).status_code == 200
    obj = model.objects.first()
    assert admin.get(reverse(f"admin:scoring_{model._meta.model_name}_change", args=[obj.pk])).status_code == 200
    assert admin.get(reverse(f"admin:scoring_{model._meta.model_name}_add")).status_code == 403


def test_every_control_on_the_vector_pages_has_a_label(pages):
    for name, html in pages.items():
        page = Page(html)
        for control in page.controls:
            assert control.get("id") in page.label_targets or control.get("aria-label"), (name, control)


def test_every_table_on_the_vector_pages_is_named(pages):
    for name, html in pages.items():
        page = Page(html)
        unnamed = [t for t in page.tables if not (t.get("aria-label") or t.get("aria-labelledby"))]
        assert len(unnamed) <= page.captions, name


def test_the_vector_pages_load_only_local_assets(pages):
    for name, html in pages.items():
        for url in Page(html).asset_urls:
            assert url.startswith("/static/"), f"{name} loads {url}"
