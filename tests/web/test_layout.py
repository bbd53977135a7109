"""Every page shares one layout: local assets only, a skip link, labelled controls, described tables."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

import membersuccess.web
from tests.factories import make_desired_outcome, make_interaction, make_member, make_term, make_ticket

pytestmark = pytest.mark.django_db

WEB = Path(membersuccess.web.__file__).parent


class Page(HTMLParser):
    """The parts of a page these checks look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.asset_urls: list[str] = []
        self.controls: list[dict[str, str]] = []
        self.label_targets: set[str] = set()
        self.tables: list[dict[str, str]] = []
        self.captions = 0
        self.ids: set[str] = set()
        self.html_lang = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "html":
            self.html_lang = a.get("lang", "")
        if tag in {"link", "script", "img", "iframe"}:
            self.asset_urls.append(a.get("href") or a.get("src") or "")
        if tag in {"input", "select", "textarea"} and a.get("type") not in {"hidden", "submit"}:
            self.controls.append(a)
        if tag == "label" and "for" in a:
            self.label_targets.add(a["for"])
        if tag == "table":
            self.tables.append(a)
        if tag == "caption":
            self.captions += 1


@pytest.fixture
def pages(manager_client: Client) -> dict[str, str]:
    member = make_member(name="Ada Okafor")
    make_desired_outcome(member=member)
    make_term(member=member)
    make_ticket(member=member)
    make_interaction(member=member)
    paths = {"login": "/login/", "home": "/", "members": "/members/", "member": f"/members/{member.pk}/"}
    rendered = {name: manager_client.get(path).content.decode() for name, path in paths.items() if name != "login"}
    rendered["login"] = Client().get("/login/").content.decode()
    return rendered


def test_pages_load_only_local_assets(pages):
    for name, html in pages.items():
        for url in Page(html).asset_urls:
            assert url.startswith("/static/"), f"{name} loads {url}"


def test_stylesheets_and_templates_reference_no_other_site():
    for path in [*WEB.rglob("*.html"), *WEB.rglob("*.css")]:
        text = path.read_text()
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text, flags=re.I), path
        assert "@import" not in text, path


def test_every_page_has_a_language_a_skip_link_and_a_main_target(pages):
    for name, html in pages.items():
        page = Page(html)
        assert page.html_lang == "en", name
        assert '<a class="skip-link" href="#content">Skip to content</a>' in html, name
        assert "content" in page.ids, name


def test_every_form_control_has_a_label(pages):
    for name, html in pages.items():
        page = Page(html)
        for control in page.controls:
            assert control.get("id") in page.label_targets or control.get("aria-label"), (name, control)


def test_every_table_has_a_caption_or_an_accessible_name(pages):
    for name, html in pages.items():
        page = Page(html)
        unnamed = [t for t in page.tables if not (t.get("aria-label") or t.get("aria-labelledby"))]
        assert len(unnamed) <= page.captions, name


def test_statuses_are_shown_as_words_not_colour_alone(pages):
    assert '<span class="badge badge--active">Active</span>' in pages["members"]
