"""Sending outreach that passed the value check: by email through Django's backend, recorded and audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from membersuccess.accounts.models import AuditEntry
from membersuccess.members.models import Member
from membersuccess.outreach.checks import DraftCheck, check_draft
from membersuccess.outreach.selectors import outreach_context
from membersuccess.plays.models import OutreachMessage
from membersuccess.plays.services import PlayError

SUBJECT_MAX = 200


class DraftRejected(PlayError):
    """The draft carries no value for the member; `check` holds the reasons and the advice."""

    def __init__(self, check: DraftCheck) -> None:
        super().__init__(" ".join(check.reasons), field="body")
        self.check = check


def outreach_address(member: Member) -> str:
    """Where outreach goes: the member's email, else their primary contact's, else any contact's."""
    if member.email:
        return member.email
    contact = member.contacts.exclude(email="").order_by("-is_primary", "name").first()
    return contact.email if contact is not None else ""


def draft_check(member: Member, *, body: str, as_of: date | None = None) -> DraftCheck:
    """The value check of a draft for this member, knowing their next milestone and resources."""
    return check_draft(body, member_context=outreach_context(member=member, as_of=as_of))


def outreach_send(member: Member, *, subject: str, body: str, by: Any, as_of: date | None = None) -> OutreachMessage:
    """Send a draft that passes the value check; raises DraftRejected with the advice when it does not."""
    subject = " ".join(subject.split())
    if not subject:
        raise PlayError("the message needs a subject", field="subject")
    if len(subject) > SUBJECT_MAX:
        raise PlayError(f"the subject is {len(subject)} characters; at most {SUBJECT_MAX}", field="subject")
    to = outreach_address(member)
    if not to:
        raise PlayError(f"{member.name} has no email address on record, nor does any contact", field="to")
    check = draft_check(member, body=body, as_of=as_of)
    if not check.passes:
        raise DraftRejected(check)
    with transaction.atomic():
        message = OutreachMessage.objects.create(
            member=member, to_email=to, subject=subject, body=body,
            value_items=[{"kind": str(i.kind), "text": i.text} for i in check.value_items],
            sent_by=by if getattr(by, "pk", None) else None,
        )
        AuditEntry.objects.create(
            actor=message.sent_by, action="outreach_sent", object_type="member", object_id=member.external_id,
            detail={"message": message.pk, "subject": subject, "value_items": message.value_items},
        )
    send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[to])
    return message
