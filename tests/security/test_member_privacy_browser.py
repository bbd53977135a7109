"""In chromium: an admin downloads a member's data from their page, then erases them with the ID typed out."""

from __future__ import annotations

import json

import pytest

from membersuccess.accounts.models import AuditEntry, Role
from membersuccess.members.models import Member
from tests.factories import TEST_PASSWORD, make_interaction, make_member, make_staff_user, make_ticket
from tests.web.test_browser import browser  # noqa: F401 - the chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dana(transactional_db) -> Member:
    make_staff_user(role=Role.ADMIN, username="ada")
    member = make_member(name="Dana Whitfield", external_id="M-DANA", email="dana@example.org")
    make_interaction(member=member)
    make_ticket(member=member, subject="Dana cannot log in")
    return member


def test_an_admin_downloads_a_members_data_then_erases_them(browser, live_server, dana, tmp_path):  # noqa: F811
    page = browser.new_page()
    page.goto(f"{live_server.url}/login/?next=/members/{dana.pk}/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/members/{dana.pk}/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export their data (JSON)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"member-{dana.pk}-data.json"
    document = json.loads(saved.read_text())
    assert document["support_tickets"][0]["subject"] == "Dana cannot log in"

    page.get_by_role("link", name="Erase member…").click()
    page.wait_for_url(f"{live_server.url}/members/{dana.pk}/erase/")
    page.get_by_label("Type the member's ID to confirm").fill("M-DAN")
    page.get_by_label("Reason").fill("Request 2024-117")
    page.get_by_role("button", name="Erase member").click()
    assert page.get_by_text("Type M-DANA exactly to confirm the erasure.").is_visible()
    assert Member.objects.filter(pk=dana.pk).exists()

    page.get_by_label("Type the member's ID to confirm").fill("M-DANA")
    page.get_by_role("button", name="Erase member").click()
    page.wait_for_url(f"{live_server.url}/members/")
    assert page.get_by_text("were erased (audit entry").is_visible()
    assert not Member.objects.filter(pk=dana.pk).exists()
    assert list(AuditEntry.objects.filter(action__in=["member_data_exported", "member_erased"])
                .order_by("at").values_list("action", flat=True)) == ["member_data_exported", "member_erased"]
