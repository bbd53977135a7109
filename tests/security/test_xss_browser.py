"""In a real browser: markup stored in any field people or imports fill in shows as text and never runs."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.utils import timezone

from membersuccess.accounts.models import Role
from membersuccess.interactions.models import Interaction
from membersuccess.members.models import Contact
from tests.factories import (
    TEST_PASSWORD,
    make_desired_outcome,
    make_journey,
    make_member,
    make_milestone,
    make_required_outcome,
    make_segment,
    make_staff_user,
    make_survey,
    make_task,
    make_term,
    make_ticket,
)
from tests.web.test_browser import browser  # noqa: F401 - the chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def payload(field: str) -> str:
    """Markup that would show an alert and leave a marked element behind if it were ever rendered as HTML."""
    return f'<img src=x data-xss="{field}" onerror="alert(1)"><script>alert("{field}")</script>{field}'


FIELDS = [
    "member name", "city", "channel", "segment", "contact", "outcome", "journey", "milestone",
    "accessibility", "interaction kind", "interaction source", "interaction attribute", "ticket subject",
    "ticket category", "survey comment", "task title", "cancellation reason",
]


@pytest.fixture
def hostile_member(transactional_db) -> int:
    """A member whose every text field, and everything recorded about them, carries a payload."""
    make_staff_user(role=Role.ADMIN, username="ada")
    outcome = make_required_outcome(name=payload("outcome"))
    journey = make_journey(name=payload("journey"), required_outcome=outcome)
    make_milestone(journey=journey, order=1, name=payload("milestone"), due_offset_days=30)
    member = make_member(
        name=payload("member name"), city=payload("city"), acquisition_channel=payload("channel")[:60],
        segment=make_segment(name=payload("segment")), journey=journey,
    )
    Contact.objects.create(member=member, name=payload("contact"))
    make_desired_outcome(member=member, required_outcome=outcome, accessibility=payload("accessibility")[:200])
    Interaction.objects.create(
        source=payload("interaction source")[:40], external_id="X-1", member=member,
        kind=payload("interaction kind")[:60], occurred_at=timezone.now(),
        attributes={"title": payload("interaction attribute")},
    )
    make_ticket(member=member, subject=payload("ticket subject"), category=payload("ticket category")[:60])
    make_survey(member=member, comment=payload("survey comment"))
    make_task(member=member, title=payload("task title"))
    term = make_term(member=member, start_on=timezone.localdate())
    term.cancellation_reason = payload("cancellation reason")
    term.save()
    return member.pk


def _signed_in_page(browser, live_server):  # noqa: F811
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page, dialogs


def _assert_inert(page, dialogs: list[str]) -> None:
    assert dialogs == [], f"a stored payload ran: {dialogs}"
    assert page.locator("[data-xss]").count() == 0, "a stored payload became an element"
    assert page.evaluate("[...document.scripts].filter(s => s.text.includes('alert(')).length") == 0


PAGES = ["/", "/members/", "/members/{pk}/", "/portfolio/"]


def test_stored_markup_never_runs_on_any_page_that_shows_the_member(browser, live_server, hostile_member):  # noqa: F811
    page, dialogs = _signed_in_page(browser, live_server)
    for path in PAGES:
        page.goto(live_server.url + path.format(pk=hostile_member))
        page.wait_for_load_state("load")
        _assert_inert(page, dialogs)


def test_the_member_page_shows_each_payload_as_the_text_that_was_stored(browser, live_server, hostile_member):  # noqa: F811
    page, dialogs = _signed_in_page(browser, live_server)
    page.goto(f"{live_server.url}/members/{hostile_member}/")
    text = page.locator("body").inner_text()
    assert payload("member name") in text
    assert payload("ticket subject") in text
    assert payload("survey comment") in text
    _assert_inert(page, dialogs)


def test_markup_in_the_search_box_is_echoed_as_text(browser, live_server, hostile_member):  # noqa: F811
    page, dialogs = _signed_in_page(browser, live_server)
    page.goto(f"{live_server.url}/members/?q={quote(payload('search'))}")
    assert page.get_by_label("Search").input_value() == payload("search")
    _assert_inert(page, dialogs)
