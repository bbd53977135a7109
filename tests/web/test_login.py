"""Logging in and out through the pages."""

from __future__ import annotations

import pytest

from membersuccess.accounts.models import Role
from tests.factories import TEST_PASSWORD, make_staff_user

pytestmark = pytest.mark.django_db


def test_login_form_has_labelled_fields(client):
    page = client.get("/login/").content.decode()
    assert '<label for="id_username">' in page
    assert '<label for="id_password">' in page


def test_logging_in_goes_to_the_page_asked_for(client):
    make_staff_user(role=Role.SUCCESS_MANAGER, username="mona")
    credentials = {"username": "mona", "password": TEST_PASSWORD, "next": "/members/"}
    response = client.post("/login/?next=/members/", credentials)
    assert response.status_code == 302
    assert response["Location"] == "/members/"


def test_logging_in_without_next_goes_home(client):
    make_staff_user(role=Role.SUCCESS_MANAGER, username="mona")
    response = client.post("/login/", {"username": "mona", "password": TEST_PASSWORD})
    assert response["Location"] == "/"


def test_wrong_password_shows_an_error_and_no_session(client):
    make_staff_user(role=Role.SUCCESS_MANAGER, username="mona")
    response = client.post("/login/", {"username": "mona", "password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert client.get("/").status_code == 302


def test_next_pointing_to_another_site_is_ignored(client):
    make_staff_user(role=Role.SUCCESS_MANAGER, username="mona")
    response = client.post("/login/", {"username": "mona", "password": TEST_PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_logout_is_a_post_and_ends_the_session(manager_client):
    assert manager_client.get("/logout/").status_code == 405
    response = manager_client.post("/logout/")
    assert response["Location"] == "/login/"
    assert manager_client.get("/").status_code == 302


def test_signed_in_user_visiting_login_goes_on(manager_client):
    assert manager_client.get("/login/")["Location"] == "/"
