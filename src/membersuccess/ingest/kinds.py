"""The six KINDs of import (DESIGN.md §5) and how each one's rows are stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from membersuccess.ingest import cells
from membersuccess.ingest.errors import CellError
from membersuccess.ingest.spec import BatchOutcome, Column, KindSpec, ParsedRow, WriteContext
from membersuccess.ingest.writers import (
    insert_interactions,
    member_ids,
    resolve_codes,
    unknown_member,
    upsert_by_external_id,
)
from membersuccess.interactions.models import SupportTicket, SurveyResponse
from membersuccess.journeys.services import assign_journeys
from membersuccess.members.models import (
    Contact,
    DesiredOutcome,
    Member,
    MembershipTerm,
    Offering,
    RequiredOutcome,
    Segment,
)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


ID_LENGTH, SOURCE_LENGTH, KIND_LENGTH = 64, 40, 60
EXTERNAL_ID = Column("external_id", cells.identifier(ID_LENGTH), required=True, aliases=("id", "externalid"))
MEMBER_ID = Column(
    "member_id",
    cells.identifier(ID_LENGTH),
    required=True,
    aliases=("member", "member external id", "member number", "memberno", "constituent id", "customerno"),
)
PAST_DATE = cells.date_between(latest=cells.today_plus(366))
TERM_DATE = cells.date_between(latest=cells.today_plus(3660))
# An event cannot have happened later than now; a day of slack absorbs clock and zone skew.
EVENT_LATEST = cells.now_plus(hours=24)
EVENT_TIME = cells.timestamp_until(latest=EVENT_LATEST, zone=_zone)


def _known(codes: set[str], model: Any, *, field: str = "code") -> dict[str, Any]:
    return {getattr(obj, field): obj for obj in model._default_manager.filter(**{f"{field}__in": codes})}


def _unknown(label: str, model: Any, *, field: str = "code") -> Callable[[str], str]:
    def message(code: str) -> str:
        known = list(model._default_manager.values_list(field, flat=True)[:12])
        listing = ", ".join(known) if known else "none are set up yet"
        return f"{label} {code!r} is not set up (known: {listing})"

    return message


def _by_members(rows: list[ParsedRow], outcome: BatchOutcome) -> list[ParsedRow]:
    return resolve_codes(rows, column="member_id", lookup=member_ids, unknown=unknown_member, outcome=outcome)


# members ---------------------------------------------------------------------------------


def _staff_users(usernames: set[str]) -> dict[str, Any]:
    return {u.get_username(): u for u in get_user_model()._default_manager.filter(username__in=usernames)}


def write_members(rows: list[ParsedRow], context: WriteContext) -> BatchOutcome:
    outcome = BatchOutcome()
    rows = resolve_codes(
        rows, column="segment", lookup=lambda c: _known(c, Segment),
        unknown=_unknown("segment", Segment), outcome=outcome,
    )
    rows = resolve_codes(
        rows, column="success_manager", lookup=_staff_users,
        unknown=_unknown("staff user", get_user_model(), field="username"), outcome=outcome,
    )
    contacts = {}
    for row in rows:
        contact = {k: row.values.pop(k) for k in ("contact_name", "contact_email", "contact_role") if k in row.values}
        contacts[row.values["external_id"]] = contact
        if row.extras:
            row.values["attributes"] = dict(row.extras)
    with transaction.atomic():
        saved = upsert_by_external_id(Member, rows, field_for={}, outcome=outcome)
        _save_primary_contacts(saved, contacts)
    return outcome


def _save_primary_contacts(saved: dict[str, Any], contacts: dict[str, dict[str, str]]) -> None:
    """Individuals are their own primary contact; organizations name theirs in contact_* columns."""
    members = list(saved.values())
    current = {c.member_id: c for c in Contact.objects.filter(member__in=members, is_primary=True)}
    to_create, to_update = [], []
    for external_id, member in saved.items():
        given = contacts.get(external_id, {})
        name = given.get("contact_name") or (member.name if member.kind == Member.Kind.INDIVIDUAL else "")
        if not name:
            continue
        email = given.get("contact_email") or (member.email if member.kind == Member.Kind.INDIVIDUAL else "")
        role = given.get("contact_role", "")
        contact = current.get(member.pk)
        if contact is None:
            to_create.append(Contact(member=member, name=name, email=email, role=role, is_primary=True))
        elif (contact.name, contact.email, contact.role) != (name, email, role):
            contact.name, contact.email, contact.role = name, email, role
            to_update.append(contact)
    Contact.objects.bulk_create(to_create)
    Contact.objects.bulk_update(to_update, ["name", "email", "role"])


MEMBERS = KindSpec(
    name="members",
    columns=(
        Column(
            "external_id",
            cells.identifier(),
            required=True,
            aliases=("id", "member id", "member number", "memberno", "constituent id", "customerno"),
        ),
        Column("name", cells.text(200), required=True, aliases=("member name", "full name", "organization name")),
        Column("joined_on", PAST_DATE, required=True, aliases=("joined", "join date", "member since")),
        Column("kind", cells.choice(Member.Kind.values), default=Member.Kind.INDIVIDUAL, aliases=("member type",)),
        Column("email", cells.email, default=""),
        Column("segment", cells.identifier(40), default=None),
        Column("status", cells.choice(Member.Status.values), default=Member.Status.ACTIVE),
        Column("city", cells.text(120), default=""),
        Column("country", cells.country, default=""),
        Column("acquisition_channel", cells.text(60), default="", aliases=("channel", "source")),
        Column("success_manager", cells.identifier(150), default=None, aliases=("owner", "account manager")),
        Column("contact_name", cells.text(200), default=""),
        Column("contact_email", cells.email, default=""),
        Column("contact_role", cells.text(120), default=""),
    ),
    write=write_members,
    keeps_extra_columns=True,
)


# memberships -----------------------------------------------------------------------------


def check_term(values: dict[str, Any]) -> None:
    if values["end_on"] <= values["start_on"]:
        raise CellError(
            f"ends on {values['end_on']} which is not after its start {values['start_on']}", column="end_on"
        )


def write_memberships(rows: list[ParsedRow], context: WriteContext) -> BatchOutcome:
    outcome = BatchOutcome()
    rows = _by_members(rows, outcome)
    rows = resolve_codes(
        rows, column="offering", lookup=lambda c: _known(c, Offering),
        unknown=_unknown("offering", Offering), outcome=outcome,
    )
    with transaction.atomic():
        upsert_by_external_id(MembershipTerm, rows, field_for={"member_id": "member_id"}, outcome=outcome)
    return outcome


MEMBERSHIPS = KindSpec(
    name="memberships",
    columns=(
        EXTERNAL_ID,
        MEMBER_ID,
        Column("start_on", TERM_DATE, required=True, aliases=("start", "start date", "term start")),
        Column("end_on", TERM_DATE, required=True, aliases=("end", "end date", "term end", "expires")),
        Column("offering", cells.identifier(60), default=None, aliases=("tier", "membership type", "product")),
        Column("dues", cells.decimal_amount, default=0, aliases=("amount", "price")),
        Column("status", cells.choice(MembershipTerm.Status.values), default=MembershipTerm.Status.ACTIVE),
        Column("cancellation_reason", cells.text(200), default=""),
    ),
    write=write_memberships,
    check=check_term,
)


# interactions ----------------------------------------------------------------------------


def write_interactions(rows: list[ParsedRow], context: WriteContext) -> BatchOutcome:
    outcome = BatchOutcome()
    # Members are found by code as the rows are stored (ingest/writers.py: store_interactions).
    insert_interactions(rows, outcome, stored_before=context.stored_before)
    return outcome


INTERACTIONS = KindSpec(
    name="interactions",
    columns=(
        EXTERNAL_ID,
        Column("source", cells.identifier(SOURCE_LENGTH), required=True, aliases=("system",)),
        MEMBER_ID,
        Column("kind", cells.identifier(KIND_LENGTH), required=True, aliases=("type", "activity", "event type")),
        Column("occurred_at", EVENT_TIME, required=True, aliases=("timestamp", "date", "when", "occurred")),
        Column("value", cells.number(minimum=0), default=None, aliases=("amount", "credits", "quantity")),
        Column("attributes", cells.json_object, default=None),
    ),
    write=write_interactions,
    keeps_extra_columns=True,
    identity=("source", "external_id"),
    append_only=True,
)


# tickets ---------------------------------------------------------------------------------


def check_ticket(values: dict[str, Any]) -> None:
    resolved = values.get("resolved_at")
    if resolved is not None and resolved < values["opened_at"]:
        raise CellError(f"resolved at {resolved:%Y-%m-%d %H:%M}, before it was opened", column="resolved_at")


def write_tickets(rows: list[ParsedRow], context: WriteContext) -> BatchOutcome:
    outcome = BatchOutcome()
    rows = _by_members(rows, outcome)
    with transaction.atomic():
        upsert_by_external_id(SupportTicket, rows, field_for={}, outcome=outcome)
    return outcome


TICKETS = KindSpec(
    name="tickets",
    columns=(
        EXTERNAL_ID,
        MEMBER_ID,
        Column("opened_at", EVENT_TIME, required=True, aliases=("opened", "created", "created at")),
        Column("resolved_at", EVENT_TIME, default=None, aliases=("resolved", "closed", "closed at")),
        Column("category", cells.text(60), default=""),
        Column("severity", cells.choice(SupportTicket.Severity.values), default=SupportTicket.Severity.NORMAL,
               aliases=("priority",)),
        Column("subject", cells.text(300), default="", aliases=("title", "summary")),
    ),
    write=write_tickets,
    check=check_ticket,
)


# surveys ---------------------------------------------------------------------------------


def check_survey(values: dict[str, Any]) -> None:
    kind, score = values.get("kind", SurveyResponse.Kind.NPS), values["score"]
    low, high = (0, 10) if kind == SurveyResponse.Kind.NPS else (1, 5)
    if not low <= score <= high:
        raise CellError(f"{score} is outside the {kind.upper()} range {low}–{high}", column="score")


def write_surveys(rows: list[ParsedRow], context: WriteContext) -> BatchOutcome:
    outcome = BatchOutcome()
    rows = _by_members(rows, outcome)
    with transaction.atomic():
        upsert_by_external_id(SurveyResponse, rows, field_for={}, outcome=outcome)
    return outcome


SURVEYS = KindSpec(
    name="surveys",
    columns=(
        EXTERNAL_ID,
        MEMBER_ID,
        Column("responded_at", EVENT_TIME, required=True, aliases=("responded", "submitted", "date")),
        Column("score", cells.integer(minimum=0, maximum=10), required=True, aliases=("nps", "rating")),
        Column("kind", cells.choice(SurveyResponse.Kind.values), default=SurveyResponse.Kind.NPS,
               aliases=("survey",)),
        Column("comment", cells.text(5000), default="", aliases=("comments", "verbatim")),
    ),
    write=write_surveys,
    check=check_survey,
)


# outcomes --------------------------------------------------------------------------------


def write_outcomes(rows: list[ParsedRow], context: WriteContext) -> BatchOutcome:
    outcome = BatchOutcome()
    rows = _by_members(rows, outcome)
    rows = resolve_codes(
        rows, column="required_outcome", lookup=lambda c: _known(c, RequiredOutcome),
        unknown=_unknown("required outcome", RequiredOutcome), outcome=outcome,
    )
    with transaction.atomic():
        upsert_by_external_id(DesiredOutcome, rows, field_for={}, outcome=outcome, defaults={"is_current": False})
        touched = {row.values["member_id"] for row in rows}
        _mark_current_outcomes(touched)
        assign_journeys(member_ids=touched)
    return outcome


def _mark_current_outcomes(member_pks: set[int]) -> None:
    """The newest recorded desired outcome of each member is the current one."""
    newest: dict[int, int] = {}
    for pk, member_pk in (
        DesiredOutcome.objects.filter(member_id__in=member_pks)
        .order_by("member_id", "recorded_on", "pk")
        .values_list("pk", "member_id")
    ):
        newest[member_pk] = pk
    DesiredOutcome.objects.filter(member_id__in=member_pks, is_current=True).exclude(
        pk__in=newest.values()
    ).update(is_current=False)
    DesiredOutcome.objects.filter(pk__in=newest.values(), is_current=False).update(is_current=True)


OUTCOMES = KindSpec(
    name="outcomes",
    columns=(
        EXTERNAL_ID,
        MEMBER_ID,
        Column("required_outcome", cells.identifier(40), required=True, aliases=("outcome", "goal")),
        Column("recorded_on", PAST_DATE, required=True, aliases=("recorded", "date")),
        Column("channels", cells.word_list, default=list),
        Column("formats", cells.word_list, default=list),
        Column("cadence", cells.text(40), default=""),
        Column("language", cells.text(20), default=""),
        Column("accessibility", cells.text(200), default=""),
        Column("time_budget_hours_per_month", cells.integer(minimum=0, maximum=744), default=None,
               aliases=("time budget", "hours per month")),
        Column("source", cells.choice(DesiredOutcome.Source.values), default=DesiredOutcome.Source.STATED),
        Column("target_date", TERM_DATE, default=None),
    ),
    write=write_outcomes,
)

KINDS: dict[str, KindSpec] = {
    spec.name: spec for spec in (MEMBERS, MEMBERSHIPS, INTERACTIONS, TICKETS, SURVEYS, OUTCOMES)
}

# Applicants and prospects (Success Potential) live in their own app and join the registry here.
from membersuccess.potential.kinds import APPLICANTS  # noqa: E402

KINDS[APPLICANTS.name] = APPLICANTS
