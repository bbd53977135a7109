"""The plays library page: where resources are edited, and how to load the default library."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from membersuccess.accounts.models import Role
from tests.factories import make_staff_user
from tests.plays.helpers import make_resource

pytestmark = pytest.mark.django_db


def page_for(role: str) -> str:
    client = Client()
    client.force_login(make_staff_user(role=role))
    return client.get(reverse("plays")).content.decode()


def test_admins_get_a_link_to_edit_resources_and_managers_are_told_who_can() -> None:
    make_resource(name="Online review course")

    assert reverse("admin:plays_resource_changelist") in page_for(Role.ADMIN)
    manager = page_for(Role.SUCCESS_MANAGER)
    assert reverse("admin:plays_resource_changelist") not in manager
    assert "An admin adds and edits them in the admin." in manager


def test_an_empty_library_says_how_to_load_the_default_one() -> None:
    assert "<code>msm plays install</code>" in page_for(Role.SUCCESS_MANAGER)
