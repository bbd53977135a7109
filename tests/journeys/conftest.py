"""Fixtures for journeys: signed-in clients per role, and fast password hashing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from membersuccess.accounts.models import Role
from tests.factories import make_staff_user


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_user(db) -> User:
    return make_staff_user(role=Role.ADMIN, username="ada-admin")


@pytest.fixture
def manager(db) -> User:
    return make_staff_user(role=Role.SUCCESS_MANAGER, username="mona", first_name="Mona", last_name="Reyes")


@pytest.fixture
def executive(db) -> User:
    return make_staff_user(role=Role.EXECUTIVE, username="eve")


@pytest.fixture
def staff(db) -> User:
    return make_staff_user(role=Role.STAFF, username="sam")


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    return _client(admin_user)


@pytest.fixture
def manager_client(manager: User) -> Client:
    return _client(manager)


@pytest.fixture
def executive_client(executive: User) -> Client:
    return _client(executive)


@pytest.fixture
def staff_client(staff: User) -> Client:
    return _client(staff)
