"""In a real browser (Debian's chromium): log in, find a member in the list, open their 360 page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from membersuccess.accounts.models import Role
from tests.factories import (
    TEST_PASSWORD,
    make_achievement,
    make_desired_outcome,
    make_interaction,
    make_journey,
    make_member,
    make_milestone,
    make_offering,
    make_required_outcome,
    make_segment,
    make_staff_user,
    make_term,
    make_ticket,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _unavailable(reason: str) -> None:
    """Skip on a developer machine without the browser; fail under CI, which must run this test."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser test cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def browser(monkeypatch) -> Iterator[object]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing; install Debian's chromium package (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"the playwright package is not installed ({exc})")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def association(transactional_db) -> None:
    """A manager and a few members; Ada is 200 days in, with one milestone overdue past grace."""
    today = timezone.localdate()
    make_staff_user(role=Role.SUCCESS_MANAGER, username="mona", first_name="Mona", last_name="Reyes")
    early = make_segment(name="Early career")
    certification = make_required_outcome(name="Earn certification")
    journey = make_journey(name="Certification path", required_outcome=certification)
    orientation = make_milestone(journey=journey, order=1, name="Attend orientation", due_offset_days=30)
    make_milestone(journey=journey, order=2, name="Complete prep course", due_offset_days=90)
    make_milestone(journey=journey, order=3, name="Pass the certification exam", due_offset_days=365)
    ada = make_member(
        name="Ada Okafor", email="ada@example.org", segment=early, journey=journey,
        joined_on=today - timedelta(days=200), acquisition_channel="Chapter referral",
    )
    make_achievement(member=ada, milestone=orientation, achieved_on=today - timedelta(days=185))
    make_desired_outcome(
        member=ada, required_outcome=certification, channels=["email", "community"],
        formats=["courses", "mentoring"], cadence="monthly", language="en", time_budget_hours_per_month=6,
    )
    make_term(member=ada, start_on=today - timedelta(days=200), offering=make_offering(name="Professional"))
    for days_ago, kind in [(3, "portal_login"), (20, "event_attended"), (60, "course_started")]:
        make_interaction(member=ada, kind=kind, source="portal", occurred_at=timezone.now() - timedelta(days=days_ago))
    make_ticket(member=ada, subject="Exam voucher not received")
    for name in ["Bo Lindqvist", "Chen Wei", "Dara Murphy"]:
        make_member(name=name, segment=early)


def log_in(page, live_server, *, next_path: str) -> None:
    """Open a page, get sent to the login form, log in through it and land back on the page."""
    page.goto(f"{live_server.url}{next_path}")
    assert "/login/" in page.url
    page.get_by_label("Username").fill("mona")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}{next_path}")


def test_log_in_find_a_member_and_open_their_360(browser, live_server, association, tmp_path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server, next_path="/members/")

    assert page.get_by_role("heading", name="Members").is_visible()
    assert page.get_by_role("link", name="Ada Okafor").is_visible()
    page.get_by_label("Search").fill("okafor")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/members/?q=okafor**")
    assert page.get_by_role("link", name="Bo Lindqvist").count() == 0
    page.screenshot(path=str(tmp_path / "members-1280.png"), full_page=True)

    page.get_by_role("link", name="Ada Okafor").click()
    page.wait_for_url("**/members/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ada Okafor"
    outcome = page.locator("section", has=page.get_by_role("heading", name="Desired outcome"))
    assert "Earn certification" in outcome.inner_text()
    milestones = page.locator(".milestone")
    assert milestones.count() == 3
    assert "Overdue" in page.locator(".milestone--overdue").inner_text()
    assert "Complete prep course" in page.locator(".milestone--next").inner_text()
    page.screenshot(path=str(tmp_path / "member-1280.png"), full_page=True)

    page.set_viewport_size({"width": 768, "height": 1024})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "the 360 page should fit a tablet's width without sideways scrolling"
    page.screenshot(path=str(tmp_path / "member-768.png"), full_page=True)


def test_keyboard_users_can_skip_to_content_and_see_focus(browser, live_server, association):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server, next_path="/members/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # Skipping lands in the main content: the next stop is the search box, not the navigation.
    assert page.evaluate("document.activeElement.id") == "id_q"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
