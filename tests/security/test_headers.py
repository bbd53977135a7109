"""Every response carries the Content-Security-Policy and the other protective headers."""

from __future__ import annotations

import pytest
from django.test import Client

from membersuccess.web.middleware import CONTENT_SECURITY_POLICY
from tests.factories import make_staff_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/login/", "/", "/members/", "/admin/", "/healthz", "/api/v1/openapi.json"])
def test_pages_carry_a_content_security_policy_without_inline_scripts(path):
    client = Client()
    client.force_login(make_staff_user())
    response = client.get(path, follow=True)
    policy = response["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_may_not_be_framed_or_sniffed():
    response = Client().get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_session_and_csrf_cookies_are_kept_from_scripts():
    client = Client()
    client.get("/login/")
    client.post("/login/", {"username": "x", "password": "y"})
    assert client.cookies["csrftoken"]["httponly"]
