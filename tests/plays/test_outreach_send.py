"""Sending outreach: only drafts that carry value leave, by email, recorded and audited."""

from __future__ import annotations

import pytest
from django.core import mail

from membersuccess.accounts.models import AuditEntry
from membersuccess.plays.library import install_default_library
from membersuccess.plays.models import OutreachMessage, Play
from membersuccess.plays.outreach import DraftRejected, next_milestone_resources, outreach_send
from membersuccess.plays.selectors import render_message
from membersuccess.plays.services import PlayError
from tests.plays.helpers import AS_OF, make_play, make_resource, off_track_member

pytestmark = pytest.mark.django_db


def test_just_checking_in_is_rejected_with_advice_naming_the_next_milestone() -> None:
    ada = off_track_member().member

    with pytest.raises(DraftRejected) as rejected:
        outreach_send(ada, subject="Hello", body="Just checking in!", by=None, as_of=AS_OF)

    assert "“Just checking in” is an empty contact phrase" in rejected.value.check.reasons[0]
    assert "Name Ada Okafor's next milestone, “Complete prep course”" in rejected.value.check.reasons[1]
    assert not OutreachMessage.objects.exists() and not mail.outbox


def test_the_advice_points_to_the_link_of_the_best_fitting_resource_for_the_next_milestone() -> None:
    course = make_resource(name="Online review course", url="https://learn.example.org/review", channels=["online"])
    make_play(name="Chapter dinner", resources=[make_resource(name="Dinner", url="https://events.example.org/dinner",
                                                              channels=["in_person"])])
    make_play(name="Self-paced course", resources=[course, make_resource(name="No link", url="")])
    ada = off_track_member(channels=["online"]).member

    with pytest.raises(DraftRejected) as rejected:
        outreach_send(ada, subject="Hello", body="Just checking in!", by=None, as_of=AS_OF)

    assert "such as “Online review course” (https://learn.example.org/review)" in rejected.value.check.reasons[1]
    assert [r.name for r in next_milestone_resources(ada, as_of=AS_OF)] == ["Online review course", "Dinner"]


def test_a_play_toward_a_later_milestone_lends_no_resource_for_the_next_one() -> None:
    case = off_track_member()
    make_play(name="Exam cram", toward=case.later, resources=[make_resource(url="https://learn.example.org/cram")])

    assert next_milestone_resources(case.member, as_of=AS_OF) == []


def test_a_draft_with_a_resource_link_is_sent_recorded_and_audited() -> None:
    ada = off_track_member().member

    message = outreach_send(ada, subject="Your prep course", by=None, as_of=AS_OF,
                            body="Just checking in! The prep course is here: https://learn.example.org/prep")

    assert mail.outbox[0].to == ["ada@example.org"]
    assert mail.outbox[0].subject == "Your prep course"
    assert message.value_items == [{"kind": "resource_link", "text": "https://learn.example.org/prep"}]
    assert AuditEntry.objects.get(action="outreach_sent").object_id == ada.external_id


def test_a_member_without_an_email_address_cannot_be_sent_to() -> None:
    ada = off_track_member().member
    ada.email = ""
    ada.save()

    with pytest.raises(PlayError, match="has no email address on record") as error:
        outreach_send(ada, subject="Prep", body="https://learn.example.org/prep", by=None, as_of=AS_OF)
    assert error.value.field == "to"


def test_a_message_needs_a_subject() -> None:
    ada = off_track_member().member
    with pytest.raises(PlayError, match="needs a subject"):
        outreach_send(ada, subject="  ", body="https://learn.example.org/prep", by=None, as_of=AS_OF)


def test_every_default_play_message_rendered_for_a_member_passes_the_check() -> None:
    install_default_library()
    case = off_track_member()

    for play in Play.objects.prefetch_related("resources"):
        resource = play.resources.first()
        text = render_message(play=play, member=case.member, resource=resource, next_milestone="Complete prep course")
        message = outreach_send(case.member, subject=play.name, body=text, by=None, as_of=AS_OF)
        assert message.value_items, play.code
