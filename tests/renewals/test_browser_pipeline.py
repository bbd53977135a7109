"""In a real browser: from the renewal pipeline to a member who is off track, and the success plan raised for them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from membersuccess.accounts.models import Role
from membersuccess.renewals.services import raise_renewal_plans
from membersuccess.scoring.models import VectorSnapshot
from tests.factories import make_member, make_staff_user, make_term
from tests.web.test_browser import browser, log_in  # noqa: F401  (the chromium fixture and the login walk)
from tests.web.vector_factories import make_run, make_vector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def renewing_association(transactional_db) -> None:
    """Ada is off track with 100 days left and a success plan raised; Bo is on track and needs none."""
    today = timezone.localdate()
    mona = make_staff_user(role=Role.SUCCESS_MANAGER, username="mona", first_name="Mona", last_name="Reyes")
    run = make_run(as_of=today)
    for name, status, days in [("Ada Okafor", VectorSnapshot.Status.OFF_TRACK, 100),
                               ("Bo Lindqvist", VectorSnapshot.Status.ON_TRACK, 40)]:
        member = make_member(name=name, success_manager=mona)
        end_on = today + timedelta(days=days)
        make_term(member=member, start_on=end_on - timedelta(days=364), end_on=end_on, dues="300.00")
        make_vector(run=run, member=member, status=status, reasons=["The prep course is overdue."])
    raise_renewal_plans(as_of=today)


def test_walk_the_pipeline_to_a_member_and_their_renewal_plan(browser, live_server, renewing_association,  # noqa: F811
                                                              tmp_path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server, next_path="/")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Renewals").click()
    page.wait_for_url("**/renewals/")
    assert page.get_by_role("heading", level=1).inner_text() == "Renewal pipeline"
    page.get_by_label("Term ends within").select_option("180")
    page.get_by_label("Sort by").select_option("status")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/renewals/?window=180**")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    first = rows.nth(0).inner_text()
    assert "Ada Okafor" in first and "Off track" in first and "Plan open" in first and "Mona Reyes" in first
    assert "Not needed" in rows.nth(1).inner_text()
    page.screenshot(path=str(tmp_path / "pipeline-1280.png"), full_page=True)

    page.get_by_role("link", name="Ada Okafor").click()
    page.wait_for_url("**/members/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ada Okafor"
    plan = page.locator("#renewal-plan").inner_text()
    assert "Success plan: Open" in plan and "held by Mona Reyes" in plan
    page.get_by_role("link", name="Record the renewal, an upgrade or downgrade, or a lapse").click()
    page.wait_for_url("**/members/*/renewal/")
    page.get_by_label("Dues").fill("450.00")
    page.get_by_role("button", name="Record renewal").click()
    page.wait_for_url("**/members/*/")
    assert "Recorded: renewed, upgraded" in page.locator(".messages").inner_text()
    page.screenshot(path=str(tmp_path / "member-renewal-1280.png"), full_page=True)
