"""A member's right of access and right to erasure: export everything held about them, or erase it.

Both are recorded in the audit log. An erasure deletes the member and everything about them
(contacts, terms, desired outcomes, achievements, interactions, tickets, surveys, tasks, saves,
outreach, Success Vectors, fit at joining, their application) and keeps one audit entry naming the
member only by internal id and a hash of the external id, so the organization can show the request
was carried out without keeping who it was about. Earlier audit entries about the member keep who
did what and when, but lose the member's identifiers and details. docs/security.md says more,
including what happens when the same external id is imported again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from membersuccess.accounts.audit import audit_record
from membersuccess.accounts.models import AuditEntry
from membersuccess.members.models import Member

EXPORT_FORMAT = "member-success/member-data/1"
MAX_REASON_CHARS = 500
Actor = AbstractBaseUser | AnonymousUser | None


class PrivacyError(Exception):
    """A request about a member's data that cannot be carried out, in words staff understand."""


class UnknownMember(PrivacyError):
    """No member has the id given."""


def member_by_id(*, member_id: str) -> Member:
    """The member whose external id (the Member ID staff see) is `member_id`."""
    wanted = (member_id or "").strip()
    if not wanted:
        raise UnknownMember("Give the member's ID (the Member ID shown on their page).")
    member = Member.objects.filter(external_id=wanted).first()
    if member is None:
        raise UnknownMember(f"There is no member with ID {wanted!r}.")
    return member


def external_id_hash(external_id: str) -> str:
    """The SHA-256 of an external id, 64 hex digits (an audit entry's object id holds 64 characters).

    It lets the audit log answer "was this member erased?" for someone who already knows the id,
    without keeping the id itself."""
    return hashlib.sha256(external_id.encode("utf-8")).hexdigest()


def _row(obj: models.Model, **extra: object) -> dict[str, Any]:
    """Every stored field of a row (foreign keys as ids), plus readable extras."""
    row: dict[str, Any] = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    row.update(extra)
    return row


def _username(user: object) -> str:
    return str(user.get_username()) if isinstance(user, AbstractBaseUser) else ""


def _audit_about(member: Member) -> models.QuerySet[AuditEntry]:
    """Audit entries about the member, their membership terms and their tasks."""
    term_ids = [str(pk) for pk in member.terms.values_list("pk", flat=True)]
    task_ids = [str(pk) for pk in member.tasks.values_list("pk", flat=True)]
    return AuditEntry.objects.filter(
        Q(object_type="member", object_id__in=[str(member.pk), member.external_id])
        | Q(object_type="membership_term", object_id__in=term_ids)
        | Q(object_type="task", object_id__in=task_ids)
    )


def _sections(member: Member) -> dict[str, list[dict[str, Any]]]:
    """Everything held about the member, one list of rows per kind of record."""
    from membersuccess.potential.models import Applicant, MemberFit

    terms = member.terms.select_related("offering")
    outcomes = member.desired_outcomes.select_related("required_outcome")
    achievements = member.achievements.select_related("milestone__journey", "confirmed_by")
    tasks = member.tasks.select_related("team", "assignee", "play")
    vectors = member.vectors.select_related("next_milestone")
    return {
        "contacts": [_row(c) for c in member.contacts.all()],
        "membership_terms": [
            _row(t, offering=t.offering.code if t.offering else "") for t in terms
        ],
        "desired_outcomes": [_row(o, required_outcome=o.required_outcome.code) for o in outcomes],
        "milestone_achievements": [
            _row(a, milestone=a.milestone.name, journey=a.milestone.journey.name,
                 confirmed_by_username=_username(a.confirmed_by))
            for a in achievements
        ],
        "interactions": [_row(i) for i in member.interactions.order_by("occurred_at", "pk")],
        "support_tickets": [_row(t) for t in member.tickets.order_by("opened_at", "pk")],
        "survey_responses": [_row(s) for s in member.survey_responses.order_by("responded_at", "pk")],
        "tasks": [
            _row(t, team=t.team.name if t.team else "", assignee_username=_username(t.assignee),
                 play=t.play.name if t.play else "")
            for t in tasks
        ],
        "saves": [_row(s) for s in member.saves.all()],
        "outreach_messages": [_row(m) for m in member.outreach_messages.all()],
        "success_vectors": [
            _row(v, next_milestone=v.next_milestone.name if v.next_milestone else "")
            for v in vectors.order_by("as_of", "pk")
        ],
        "fit_at_joining": [_row(f) for f in MemberFit.objects.filter(member=member)],
        "application": [_row(a) for a in Applicant.objects.filter(member=member)],
        # What was done about them and by whom; not the address staff did it from (that is about staff).
        "audit_entries": [
            _row(e, actor_username=_username(e.actor), detail={k: v for k, v in e.detail.items() if k != "ip"})
            for e in _audit_about(member).select_related("actor")
        ],
    }


def member_data_export(
    member: Member, *, by: Actor, via: str = "web", request: HttpRequest | None = None
) -> dict[str, Any]:
    """Everything held about the member, as one JSON-ready document; the export is audited."""
    member = Member.objects.select_related("segment", "journey", "success_manager").get(pk=member.pk)
    sections = _sections(member)
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "exported_by": _username(by) or via,
        "member": _row(
            member,
            segment=member.segment.code if member.segment else "",
            journey=member.journey.name if member.journey else "",
            success_manager_username=_username(member.success_manager),
        ),
        **sections,
        "counts": {name: len(rows) for name, rows in sections.items()},
    }
    audit_record(
        action="member_data_exported", actor=by, object_type="member", object_id=member.pk, request=request,
        detail={"via": via, "counts": document["counts"]},
    )
    return document


def export_json(document: dict[str, Any]) -> str:
    """The export document as the JSON text people download (dates ISO 8601, decimals as strings)."""
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed: rows by kind, and the audit entry that records it."""

    member_pk: int
    external_id_hash: str
    erased: dict[str, int] = field(default_factory=dict)
    audit_entries_redacted: int = 0
    audit_entry_id: int = 0


def member_erase(
    member: Member, *, by: Actor, reason: str, via: str = "web", request: HttpRequest | None = None
) -> Erasure:
    """Erase the member and everything about them, at once and for good; the erasure is audited.

    Runs in one transaction: either everything goes or nothing does. The reason is kept in the
    audit entry, so it must not itself name the person (staff are told so on the confirm page)."""
    reason = (reason or "").strip()
    if not reason:
        raise PrivacyError("Say why the member's data is erased (e.g. the request's reference and date).")
    if len(reason) > MAX_REASON_CHARS:
        raise PrivacyError(f"The reason is {len(reason):,} characters; keep it to {MAX_REASON_CHARS}.")
    from membersuccess.potential.models import Applicant

    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        hashed = external_id_hash(member.external_id)
        sections = _sections(member)
        erased = {name: len(rows) for name, rows in sections.items() if name != "audit_entries"}
        erased["member"] = 1
        # Earlier entries about the member keep who did what and when, not whom it was about.
        earlier = list(_audit_about(member))
        for entry in earlier:
            entry.object_id = hashed if entry.object_type == "member" else entry.object_id
            entry.detail = {"redacted": "member erased"}
        AuditEntry.objects.bulk_update(earlier, ["object_id", "detail"])
        # The application is kept apart from the member (SET_NULL): it holds their name and email too.
        Applicant.objects.filter(member=member).delete()
        member_pk = member.pk
        # Every other record about the member hangs off it and goes with it (on_delete=CASCADE).
        member.delete()
        entry = audit_record(
            action="member_erased", actor=by, object_type="member", object_id=hashed, request=request,
            detail={"member_pk": member_pk, "reason": reason, "via": via, "erased": erased},
        )
    return Erasure(member_pk=member_pk, external_id_hash=hashed, erased=erased,
                   audit_entries_redacted=len(earlier), audit_entry_id=entry.pk)


def member_erasure_of(*, external_id: str) -> AuditEntry | None:
    """The audit entry of the erasure of the member who had this external id, if they were erased."""
    return (
        AuditEntry.objects.filter(action="member_erased", object_type="member", object_id=external_id_hash(external_id))
        .order_by("-at")
        .first()
    )
