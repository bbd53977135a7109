"""Too many failed sign-ins for one username from one address lock that pair for a while, and say so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from membersuccess.accounts.models import AuditEntry, Role
from tests.factories import TEST_PASSWORD, make_staff_user

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins for this username from your address"


@pytest.fixture(autouse=True)
def _limits(settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60


def sign_in(password: str, *, username: str = "mona", address: str = "10.0.0.1", path: str = "/login/"):
    client = Client(REMOTE_ADDR=address)
    return client.post(path, {"username": username, "password": password})


def fail(times: int, **kwargs) -> None:
    for _ in range(times):
        assert sign_in("wrong-password-here", **kwargs).status_code == 200


def test_a_correct_password_signs_in_and_is_audited():
    user = make_staff_user(username="mona")
    response = sign_in(TEST_PASSWORD)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="login")
    assert entry.actor == user
    assert entry.detail["ip"] == "10.0.0.1"


def test_each_failed_sign_in_is_audited_with_the_username_and_address():
    make_staff_user(username="mona")
    fail(2)
    entries = AuditEntry.objects.filter(action="login_failed")
    assert entries.count() == 2
    assert {(e.object_id, e.detail["username"], e.detail["ip"]) for e in entries} == {("mona", "mona", "10.0.0.1")}


def test_after_the_limit_even_the_right_password_is_refused_with_a_clear_message():
    make_staff_user(username="mona")
    fail(3)
    response = sign_in(TEST_PASSWORD)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "Try again in 15 minutes" in response.content.decode()
    assert not AuditEntry.objects.filter(action="login").exists()


def test_a_refused_attempt_is_audited_as_locked_and_does_not_extend_the_lock():
    make_staff_user(username="mona")
    fail(3)
    sign_in(TEST_PASSWORD)
    assert AuditEntry.objects.filter(action="login_locked").count() == 1
    assert AuditEntry.objects.filter(action="login_failed").count() == 3


def test_the_lock_is_per_username_and_address():
    make_staff_user(username="mona")
    make_staff_user(username="eva")
    fail(3)
    assert sign_in(TEST_PASSWORD, address="10.0.0.2").status_code == 302
    assert sign_in(TEST_PASSWORD, username="eva").status_code == 302


def test_the_username_is_matched_whatever_its_case():
    make_staff_user(username="mona")
    fail(3, username="MONA")
    assert LOCKED in sign_in(TEST_PASSWORD).content.decode()


def test_the_lock_ends_when_the_failures_leave_the_window():
    make_staff_user(username="mona")
    fail(3)
    AuditEntry.objects.filter(action="login_failed").update(at=AuditEntry.objects.first().at - timedelta(minutes=16))
    assert sign_in(TEST_PASSWORD).status_code == 302


def test_the_admin_sign_in_is_limited_too():
    make_staff_user(username="root", role=Role.ADMIN)
    fail(3, username="root", path="/admin/login/")
    response = sign_in(TEST_PASSWORD, username="root", path="/admin/login/")
    assert response.status_code == 200
    assert LOCKED in response.content.decode()


def test_unknown_usernames_are_limited_like_known_ones():
    fail(3, username="nobody")
    assert LOCKED in sign_in("anything-at-all", username="nobody").content.decode()


def test_signing_out_is_audited():
    user = make_staff_user(username="mona")
    client = Client()
    client.force_login(user)
    client.post("/logout/")
    assert AuditEntry.objects.filter(action="logout", actor=user).exists()
