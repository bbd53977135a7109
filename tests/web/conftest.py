"""Fixtures for the web pages: fast password hashing and signed-in clients per role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from membersuccess.accounts.models import Role
from tests.factories import make_staff_user


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def manager(db) -> User:
    return make_staff_user(role=Role.SUCCESS_MANAGER, username="mona", first_name="Mona", last_name="Reyes")


@pytest.fixture
def manager_client(manager: User) -> Client:
    client = Client()
    client.force_login(manager)
    return client
