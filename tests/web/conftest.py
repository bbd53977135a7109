"""Fixtures for the web pages: fast password hashing and signed-in clients per role."""

from __future__ import annotations

import pytest
from django.test import Client

from membersuccess.accounts.models import Role
from tests.factories import make_staff_user


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def manager(db):  # type: ignore[no-untyped-def]
    return make_staff_user(role=Role.SUCCESS_MANAGER, username="mona", first_name="Mona", last_name="Reyes")


@pytest.fixture
def manager_client(manager) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(manager)
    return client
