"""In a real browser: a success manager takes an off-track member from the next milestone to a sent message.

The walk of issue 5: open an off-track member, see the next milestone and the matching play with its reason,
create a task for the Events team, write "Just checking in!" and see it rejected with advice, add a resource
link for the next milestone and send it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from membersuccess.accounts.models import AuditEntry, Role
from membersuccess.plays.models import OutreachMessage, Play, Task
from membersuccess.scoring.models import VectorSnapshot
from tests.factories import TEST_PASSWORD, make_member, make_staff_user
from tests.plays.helpers import make_play, make_resource, off_track_member, team
from tests.web.test_browser import browser, log_in  # noqa: F401  (the chromium fixture and the login walk)
from tests.web.vector_factories import make_run, make_vector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REVIEW_COURSE_URL = "https://learn.example.org/prep-review"


@pytest.fixture
def association(transactional_db) -> None:
    """Ada is off track, her prep course overdue; she learns online. Bo is on track. Eve is on the Events team."""
    today = timezone.localdate()
    mona = make_staff_user(role=Role.SUCCESS_MANAGER, username="mona", first_name="Mona", last_name="Reyes")
    events = team("events", "Events")
    team("education", "Education")
    team("membership", "Membership")
    eve = make_staff_user(role=Role.STAFF, username="eve", first_name="Eve", last_name="Moreau", team=events)
    eve.email = "eve@example.org"
    eve.save(update_fields=["email"])
    ada = off_track_member(as_of=today, channels=["online"], formats=["courses"])
    ada.member.success_manager = mona
    ada.member.save(update_fields=["success_manager"])
    course = make_resource(name="Online review course", url=REVIEW_COURSE_URL, channels=["online"],
                           formats=["courses"], serves=[ada.outcome])
    make_play(name="Self-paced review", trigger=Play.Trigger.STATUS, trigger_value="off_track", resources=[course],
              steps=[("education", "Enrol Ada in the review course", 3)],
              message_template="Your next milestone is {{ next_milestone }}.")
    dinner = make_resource(name="Chapter study dinner", kind="event", url="https://events.example.org/dinner",
                           channels=["in_person"], formats=["events"])
    make_play(name="Study dinner invitation", trigger=Play.Trigger.STATUS, trigger_value="off_track",
              resources=[dinner], steps=[("events", "Reserve a seat at the study dinner", 5)])
    # A play whose trigger does not fire for Ada: she is no new member.
    make_play(name="Welcome call", trigger=Play.Trigger.NEW_MEMBER, trigger_value="30")
    bo = make_member(name="Bo Lindqvist", success_manager=mona, joined_on=today - timedelta(days=100))
    make_vector(run=make_run(as_of=today - timedelta(days=1)), member=bo, status=VectorSnapshot.Status.ON_TRACK)


def test_from_an_off_track_member_to_a_task_for_events_and_a_message_that_carries_value(
    browser, live_server, association, tmp_path: Path,  # noqa: F811
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server, next_path="/members/")

    # Open an off-track member.
    page.get_by_label("Success status").select_option("off_track")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/members/?**vector_status=off_track**")
    assert page.get_by_role("link", name="Bo Lindqvist").count() == 0
    page.get_by_role("link", name="Ada Okafor").click()
    page.wait_for_url("**/members/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ada Okafor"

    # The next milestone, and the matching play with its reason, best fit first.
    panel = page.locator("#plays")
    next_milestone = panel.get_by_test_id("nba-next-milestone").inner_text()
    assert "Next milestone: Complete prep course" in next_milestone and "Overdue" in next_milestone
    recommendations = panel.get_by_test_id("recommendation")
    assert recommendations.count() == 2
    best = recommendations.nth(0)
    assert "Self-paced review" in best.inner_text() and "Best fit" in best.inner_text()
    reason = best.locator(".recommendation__reason").inner_text()
    assert "Ada Okafor is off track." in reason
    assert "It moves them toward their next milestone, “Complete prep course”" in reason
    assert "Suggested resource: “Online review course” (course) — Ada Okafor prefers courses and online" in reason
    assert best.get_by_role("link", name="Online review course").get_attribute("href") == REVIEW_COURSE_URL
    assert "Study dinner invitation" in recommendations.nth(1).inner_text()
    assert "Welcome call" not in panel.inner_text()
    page.screenshot(path=str(tmp_path / "member-plays-1280.png"), full_page=True)

    # A task for the Events team.
    panel.get_by_text("New task for a team").click()
    panel.get_by_label("What to do").fill("Save Ada a seat at the prep workshop")
    panel.get_by_label("Team").select_option(label="Events")
    due = timezone.localdate() + timedelta(days=7)
    panel.get_by_label("Due").fill(due.isoformat())
    panel.get_by_role("button", name="Create task").click()
    page.wait_for_url("**/members/*/#plays")
    assert "Task “Save Ada a seat at the prep workshop” created for Events." in page.locator(".messages").inner_text()
    open_tasks = page.locator("#plays").get_by_role("listitem").filter(has_text="Save Ada a seat at the prep workshop")
    assert f"Events, due {due.day} {due:%b %Y}" in open_tasks.inner_text()
    task = Task.objects.select_related("team", "member").get(title="Save Ada a seat at the prep workshop")
    assert task.team is not None and task.member is not None
    assert (task.team.name, task.due_on, task.member.name) == ("Events", due, "Ada Okafor")
    told = mail.outbox[-1]
    assert told.to == ["eve@example.org"]
    assert told.subject == "New task for Ada Okafor: Save Ada a seat at the prep workshop"

    # Eve, on the Events team, finds it among her team's tasks.
    eves = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    eves.goto(f"{live_server.url}/tasks/team/")
    eves.get_by_label("Username").fill("eve")
    eves.get_by_label("Password").fill(TEST_PASSWORD)
    eves.get_by_role("button", name="Log in").click()
    eves.wait_for_url(f"{live_server.url}/tasks/team/")
    team_tasks = eves.locator("main").inner_text()
    assert "Save Ada a seat at the prep workshop" in team_tasks and "Ada Okafor" in team_tasks
    eves.close()

    # "Just checking in!" is rejected, with advice naming the next milestone and a resource link.
    panel = page.locator("#plays")
    panel.get_by_label("Subject").fill("Your prep course")
    panel.get_by_label("Draft").fill("Just checking in!")
    panel.get_by_role("button", name="Send").click()
    page.wait_for_url("**/members/*/outreach/")
    rejected = page.get_by_test_id("draft-rejected").inner_text()
    assert "Not sent: the draft carries no value for Ada Okafor." in rejected
    assert "“Just checking in” is an empty contact phrase" in rejected
    assert "Name Ada Okafor's next milestone, “Complete prep course”" in rejected
    assert REVIEW_COURSE_URL in rejected
    assert not OutreachMessage.objects.exists()
    page.screenshot(path=str(tmp_path / "outreach-rejected-1280.png"), full_page=True)

    # Add the resource link for the next milestone, as the page lists it, and send.
    resources = page.locator("section", has=page.get_by_role("heading", name="Resources for the next milestone"))
    link = resources.get_by_role("link", name="Online review course").get_attribute("href")
    assert link == REVIEW_COURSE_URL
    draft = page.get_by_label("Draft")
    assert draft.input_value() == "Just checking in!"
    draft.fill(f"Just checking in! Here is the online review course for your prep course: {link}")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/members/*/#plays")
    assert "Sent “Your prep course” to Ada Okafor." in page.locator(".messages").inner_text()
    assert "“Your prep course” to ada@example.org by Mona Reyes" in page.locator("#plays").inner_text()
    page.screenshot(path=str(tmp_path / "outreach-sent-1280.png"), full_page=True)

    sent = OutreachMessage.objects.select_related("member", "sent_by").get()
    assert sent.sent_by is not None
    assert (sent.member.name, sent.to_email, sent.sent_by.username) == ("Ada Okafor", "ada@example.org", "mona")
    assert {"kind": "resource_link", "text": REVIEW_COURSE_URL} in sent.value_items
    audit = AuditEntry.objects.select_related("actor").get(action="outreach_sent")
    assert audit.actor is not None
    assert (audit.actor.username, audit.object_id, audit.detail["message"]) == ("mona", sent.member.external_id,
                                                                               sent.pk)
    assert mail.outbox[-1].to == ["ada@example.org"] and REVIEW_COURSE_URL in mail.outbox[-1].body

