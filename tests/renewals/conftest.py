"""Fixtures for renewals: fast password hashing and a fixed day to count windows from."""

from __future__ import annotations

from datetime import date

import pytest

AS_OF = date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def as_of() -> date:
    return AS_OF
