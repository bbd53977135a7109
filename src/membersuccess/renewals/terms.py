"""Recording what became of a membership term: renewed, upgraded, downgraded, lapsed — and members who return.

The rows these services write are the rows `msm import memberships` writes for the same facts (see
docs/import-formats.md): the ended term carries the outcome in its status (renewed, upgraded, downgraded,
lapsed or cancelled, with the reason), and a renewal or a return is a new active term. So a term recorded
here and one imported from the membership system read the same everywhere (pipeline, retention, reports).
Whether a renewal is an upgrade or a downgrade is decided by the dues of the new term against the old."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from membersuccess.accounts.models import AuditEntry
from membersuccess.members.models import Member, MembershipTerm, Offering
from membersuccess.renewals.errors import RenewalError

REASON_MAX = 200
EXTERNAL_ID_MAX = 64


@dataclass(frozen=True)
class NextTerm:
    """The term a renewal or a return starts; unset fields take the previous term's (or a year's) values."""

    start_on: date | None = None
    end_on: date | None = None
    dues: Decimal | None = None
    offering: Offering | None = None
    external_id: str = ""


def a_year_from(start_on: date) -> date:
    """The last day of a one-year term starting on `start_on` (29 Feb starts end on 28 Feb)."""
    try:
        return start_on.replace(year=start_on.year + 1) - timedelta(days=1)
    except ValueError:
        return date(start_on.year + 1, 2, 28)


def _actor(by: Any) -> Any:
    return by if getattr(by, "pk", None) else None


def _audit(*, by: Any, action: str, term: MembershipTerm, detail: dict[str, object]) -> None:
    AuditEntry.objects.create(
        actor=_actor(by), action=action, object_type="membership_term", object_id=str(term.pk),
        detail={"member": term.member.external_id, "term": term.external_id, **detail},
    )


def _require_active(term: MembershipTerm) -> None:
    if term.status != MembershipTerm.Status.ACTIVE:
        raise RenewalError(
            f"this term ({term.start_on:%-d %b %Y} to {term.end_on:%-d %b %Y}) is already recorded as "
            f"{term.get_status_display().lower()}",
            field="term",
        )


def _new_term(
    *, member: Member, spec: NextTerm, start_on: date, dues: Decimal, offering: Offering | None
) -> MembershipTerm:
    end_on = spec.end_on or a_year_from(start_on)
    if end_on <= start_on:
        raise RenewalError(f"the new term must end after it starts ({start_on:%-d %b %Y})", field="end_on")
    if dues < 0:
        raise RenewalError("dues cannot be negative", field="dues")
    external_id = spec.external_id.strip() or f"{member.external_id}-{start_on:%Y%m%d}"
    if len(external_id) > EXTERNAL_ID_MAX:
        raise RenewalError(
            f"the term id is {len(external_id)} characters; at most {EXTERNAL_ID_MAX}", field="external_id"
        )
    if MembershipTerm.objects.filter(external_id=external_id).exists():
        raise RenewalError(f"a term with id {external_id!r} is already recorded", field="start_on")
    if member.terms.filter(status=MembershipTerm.Status.ACTIVE, start_on__lte=start_on, end_on__gte=start_on).exists():
        raise RenewalError(f"{member.name} already has an active term on {start_on:%-d %b %Y}", field="start_on")
    return MembershipTerm.objects.create(
        external_id=external_id, member=member, offering=offering, start_on=start_on, end_on=end_on, dues=dues,
        status=MembershipTerm.Status.ACTIVE,
    )


@transaction.atomic
def record_renewal(*, term: MembershipTerm, by: Any, next_term: NextTerm | None = None) -> MembershipTerm:
    """Record that the member renewed `term`; returns the new term. More dues is an upgrade, fewer a downgrade."""
    term = MembershipTerm.objects.select_for_update(of=("self",)).select_related("member", "offering").get(pk=term.pk)
    _require_active(term)
    spec = next_term or NextTerm()
    start_on = spec.start_on or term.end_on + timedelta(days=1)
    if start_on <= term.start_on:
        raise RenewalError(
            f"the new term must start after the current one started ({term.start_on:%-d %b %Y})", field="start_on"
        )
    dues = term.dues if spec.dues is None else spec.dues
    offering = spec.offering or term.offering
    term.status = (
        MembershipTerm.Status.UPGRADED if dues > term.dues
        else MembershipTerm.Status.DOWNGRADED if dues < term.dues
        else MembershipTerm.Status.RENEWED
    )
    term.save(update_fields=["status"])
    new = _new_term(member=term.member, spec=spec, start_on=start_on, dues=dues, offering=offering)
    Member.objects.filter(pk=term.member_id).update(status=Member.Status.ACTIVE)
    _audit(by=by, action=f"term_{term.status}", term=term, detail={
        "new_term": new.external_id, "dues_before": str(term.dues), "dues_after": str(new.dues),
        "offering": offering.code if offering else None,
    })
    return new


@transaction.atomic
def record_lapse(*, term: MembershipTerm, by: Any, reason: str = "", cancelled: bool = False) -> MembershipTerm:
    """Record that the member did not renew `term` (lapsed) or cancelled it, with the reason they gave."""
    term = MembershipTerm.objects.select_for_update(of=("self",)).select_related("member").get(pk=term.pk)
    _require_active(term)
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise RenewalError(f"the reason is {len(reason)} characters; at most {REASON_MAX}", field="reason")
    term.status = MembershipTerm.Status.CANCELLED if cancelled else MembershipTerm.Status.LAPSED
    term.cancellation_reason = reason
    term.save(update_fields=["status", "cancellation_reason"])
    if not term.member.terms.filter(status=MembershipTerm.Status.ACTIVE).exists():
        Member.objects.filter(pk=term.member_id).update(
            status=Member.Status.CANCELLED if cancelled else Member.Status.LAPSED
        )
    _audit(by=by, action=f"term_{term.status}", term=term, detail={"reason": reason})
    return term


@transaction.atomic
def record_return(*, member: Member, by: Any, next_term: NextTerm) -> MembershipTerm:
    """Record that a member who had left joined again: a new active term; they count as retained from then on."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.terms.filter(status=MembershipTerm.Status.ACTIVE).exists():
        raise RenewalError(
            f"{member.name} still has an active term: record its renewal instead of a return", field="term"
        )
    if next_term.start_on is None:
        raise RenewalError("say when the new term starts", field="start_on")
    last = member.terms.order_by("-start_on", "-pk").first()
    dues = next_term.dues if next_term.dues is not None else (last.dues if last else None)
    if dues is None:
        raise RenewalError("say what dues the new term carries", field="dues")
    offering = next_term.offering or (last.offering if last else None)
    new = _new_term(member=member, spec=next_term, start_on=next_term.start_on, dues=dues, offering=offering)
    Member.objects.filter(pk=member.pk).update(status=Member.Status.ACTIVE)
    _audit(by=by, action="member_returned", term=new, detail={"dues": str(dues)})
    return new
