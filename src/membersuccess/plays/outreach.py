"""Sending outreach that passed the value check: by email through Django's backend, recorded and audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from membersuccess.accounts.models import AuditEntry
from membersuccess.members.models import Member
from membersuccess.outreach.checks import DraftCheck, MemberContext, check_draft
from membersuccess.outreach.checks import Resource as ResourceLink
from membersuccess.outreach.selectors import RESOURCES_SUGGESTED, outreach_context
from membersuccess.plays.models import OutreachMessage, Resource
from membersuccess.plays.selectors import next_best_actions
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


def next_milestone_resources(member: Member, *, as_of: date | None = None) -> list[Resource]:
    """Resources with a link from the plays that move this member to their next milestone, best fit first."""
    found: list[Resource] = []
    recommendations = next_best_actions(member=member, as_of=as_of)
    # Each play's best-fitting resource first, in the plays' rank; then the rest of those plays' resources.
    candidates = [r.resource for r in recommendations if r.resource is not None]
    candidates += [resource for r in recommendations for resource in r.play.resources.all()]
    for resource in candidates:
        if resource.url and resource not in found:
            found.append(resource)
    return found[:RESOURCES_SUGGESTED]


def member_outreach_context(member: Member, *, as_of: date | None = None) -> MemberContext:
    """What the value check knows of the member, with the links of the resources for their next milestone first.

    The advice on a rejected draft names the first resource, so staff see a link they can add."""
    context = outreach_context(member=member, as_of=as_of)
    links = tuple(
        ResourceLink(name=r.name, kind=str(r.get_kind_display()), url=r.url)
        for r in next_milestone_resources(member, as_of=as_of)
    )
    return replace(context, resources=links + context.resources)


def draft_check(member: Member, *, body: str, as_of: date | None = None) -> DraftCheck:
    """The value check of a draft for this member, knowing their next milestone and resources."""
    return check_draft(body, member_context=member_outreach_context(member, as_of=as_of))


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
