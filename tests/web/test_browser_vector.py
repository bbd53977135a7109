"""In a real browser: from the portfolio dashboard to the members it counts, then to one member's vector."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from membersuccess.accounts.models import Role
from membersuccess.scoring.models import VectorSnapshot
from tests.factories import make_journey, make_member, make_milestone, make_staff_user
from tests.web.test_browser import browser, log_in  # noqa: F401 (the browser fixture)
from tests.web.vector_factories import make_run, make_signal_set, make_vector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADA_REASONS = ["No event attended in 9 months", "Certification exam not booked — milestone 3 is 40 days overdue"]
OFF, DRIFT, ON = VectorSnapshot.Status.OFF_TRACK, VectorSnapshot.Status.DRIFTING, VectorSnapshot.Status.ON_TRACK


@pytest.fixture
def scored_association(transactional_db) -> None:
    """Three members scored weekly for a month; Ada slid off track and went quiet."""
    today = timezone.localdate()
    make_staff_user(role=Role.SUCCESS_MANAGER, username="mona", first_name="Mona", last_name="Reyes")
    journey = make_journey(name="Certification path")
    exam = make_milestone(journey=journey, order=3, name="Book the certification exam", due_offset_days=120)
    ada = make_member(name="Ada Okafor", journey=journey, joined_on=today - timedelta(days=200))
    bo = make_member(name="Bo Lindqvist")
    cy = make_member(name="Chen Wei")
    signal_set = make_signal_set(version=1)
    history = {ada: [(72, ON), (64, ON), (55, DRIFT), (41, DRIFT), (33, OFF)], bo: [(70, ON)] * 5, cy: [(60, ON)] * 4}
    history[cy].append((52, DRIFT))
    for weeks_ago in range(4, -1, -1):
        run = make_run(as_of=today - timedelta(days=7 * weeks_ago), signal_set=signal_set)
        for member, points in history.items():
            score, status = points[4 - weeks_ago]
            flags = {ada: ["off_track", "quiet", "renewal_at_risk"], cy: ["drifting", "quiet"]}.get(member, [])
            make_vector(
                run=run, member=member, score=score, status=status, velocity=-22.0 if member is ada else -1.0,
                flags=flags if weeks_ago == 0 else [],
                reasons=ADA_REASONS if member is ada else [],
                next_milestone=exam if member is ada else None,
                next_milestone_due_on=today - timedelta(days=40) if member is ada else None,
            )


def test_dashboard_to_flagged_members_to_a_members_vector(browser, live_server, scored_association, tmp_path: Path):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server, next_path="/portfolio/")

    assert page.get_by_role("heading", name="Portfolio", level=1).is_visible()
    changes = page.locator("section", has=page.get_by_role("heading", name="What changed since last week"))
    assert "Ada Okafor" in changes.inner_text() and "Chen Wei" in changes.inner_text()
    page.screenshot(path=str(tmp_path / "portfolio-1280.png"), full_page=True)

    page.get_by_role("link", name="2 Quiet").click()
    page.wait_for_url("**/members/?flag=quiet")
    rows = page.locator("table.table--members tbody tr")
    assert rows.count() == 2
    assert page.get_by_role("link", name="Bo Lindqvist").count() == 0
    assert page.get_by_label("Flag").input_value() == "quiet"
    page.screenshot(path=str(tmp_path / "members-quiet-1280.png"), full_page=True)

    page.get_by_role("link", name="Ada Okafor").click()
    page.wait_for_url("**/members/*/")
    vector = page.locator("section", has=page.get_by_role("heading", name="Success Vector"))
    text = vector.inner_text()
    assert "33" in text and "Off track" in text and "Declining" in text
    assert "Certification exam not booked — milestone 3 is 40 days overdue" in text
    assert "Book the certification exam" in text
    sparkline = vector.get_by_role("img", name="Score history: from 72")
    assert sparkline.count() == 1
    page.screenshot(path=str(tmp_path / "member-vector-1280.png"), full_page=True)

    for path in ["/portfolio/", "/members/?flag=quiet", page.url.removeprefix(live_server.url)]:
        page.set_viewport_size({"width": 768, "height": 1024})
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} should fit a tablet's width without sideways scrolling"
        if path.startswith("/members/?"):
            table = page.evaluate("(w => w.scrollWidth - w.clientWidth)(document.querySelector('.table-wrap'))")
            assert table <= 0, "the members table, Success column included, should fit a tablet upright"
    page.screenshot(path=str(tmp_path / "member-vector-768.png"), full_page=True)


def test_dashboard_links_are_reachable_by_keyboard(browser, live_server, scored_association):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server, next_path="/portfolio/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip to content
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.getAttribute('href')"))
    assert "/members/?vector_status=off_track" in reached
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_an_admin_changes_a_weight_on_the_signals_page(browser, live_server, transactional_db, tmp_path: Path):  # noqa: F811
    make_staff_user(role=Role.ADMIN, username="mona")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server, next_path="/signals/")
    assert page.get_by_role("heading", name="In use: version 1").is_visible()
    page.screenshot(path=str(tmp_path / "signals-1280.png"), full_page=True)

    page.get_by_role("link", name="Edit signals and weights").click()
    page.wait_for_url("**/signals/edit/")
    events = page.get_by_role("group", name="Events attended")
    events.get_by_label("Weight").fill("3")
    page.get_by_label("Why this change").fill("Events matter more to our members")
    page.screenshot(path=str(tmp_path / "signals-edit-1280.png"))
    page.get_by_role("button", name="Save as a new version").click()
    page.wait_for_url("**/signals/")
    assert "Saved as version 2" in page.locator(".messages").inner_text()
    assert page.get_by_role("heading", name="In use: version 2").is_visible()

    for path in ["/signals/", "/signals/edit/"]:
        page.set_viewport_size({"width": 768, "height": 1024})
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} should fit a tablet's width without sideways scrolling"
    page.screenshot(path=str(tmp_path / "signals-edit-768.png"), full_page=True)
