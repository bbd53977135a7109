"""The outreach page: every problem with a draft is shown at once, next to its field."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from membersuccess.accounts.models import Role
from membersuccess.outreach.checks import MAX_DRAFT_CHARS
from membersuccess.plays.models import OutreachMessage
from tests.factories import make_staff_user
from tests.plays.helpers import make_play, make_resource, off_track_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager() -> Client:
    client = Client()
    client.force_login(make_staff_user(role=Role.SUCCESS_MANAGER))
    return client


@pytest.fixture
def ada():
    make_play(name="Self-paced course", resources=[make_resource(name="Online review course",
                                                                 url="https://learn.example.org/review")])
    return off_track_member(as_of=timezone.localdate()).member


def test_a_send_without_a_subject_also_says_the_draft_carries_no_value(manager, ada) -> None:
    page = manager.post(reverse("member_outreach", args=[ada.pk]),
                        {"subject": "", "body": "Just checking in!", "action": "send"}).content.decode()

    assert "the message needs a subject" in page
    assert 'data-testid="draft-rejected"' in page and "is an empty contact phrase" in page
    assert not OutreachMessage.objects.exists()


def test_the_page_lists_the_links_of_the_resources_for_the_next_milestone(manager, ada) -> None:
    page = manager.get(reverse("member_outreach", args=[ada.pk])).content.decode()

    assert "Resources for the next milestone" in page
    assert '<a href="https://learn.example.org/review" rel="noopener noreferrer">Online review course</a>' in page


def test_a_draft_too_long_to_check_is_refused_by_the_field_even_without_a_subject(manager, ada) -> None:
    body = "x" * (MAX_DRAFT_CHARS + 1)
    response = manager.post(reverse("member_outreach", args=[ada.pk]), {"subject": "", "body": body, "action": "send"})

    assert response.status_code == 200
    assert "at most 20,000 are checked" in response.content.decode()
    assert not OutreachMessage.objects.exists()


def test_a_draft_that_passes_says_in_words_what_value_it_carries(manager, ada) -> None:
    draft = {"subject": "Prep", "action": "check",
             "body": "Your Complete prep course milestone: https://learn.example.org/review"}
    page = manager.post(reverse("member_outreach", args=[ada.pk]), draft).content.decode()

    assert "the next milestone “Complete prep course”; a resource link “https://learn.example.org/review”" in page
    assert not OutreachMessage.objects.exists()
