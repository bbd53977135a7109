"""The `applicants` KIND of import: applicants and prospects with their stated required outcome,
acquisition channel and campaign. Registered in membersuccess.ingest.kinds.KINDS."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from membersuccess.ingest import cells
from membersuccess.ingest.spec import BatchOutcome, Column, KindSpec, ParsedRow, WriteContext
from membersuccess.ingest.writers import reject, resolve_codes, upsert_by_external_id
from membersuccess.members.models import Member, RequiredOutcome, Segment
from membersuccess.potential.attributes import AttributeError_, attribute_rules
from membersuccess.potential.models import Applicant

APPLIED_ON = cells.date_between(latest=cells.today_plus(1))


def _by_code(model: type[Segment] | type[RequiredOutcome]) -> Any:
    def lookup(codes: set[str]) -> dict[str, Any]:
        return {obj.code: obj for obj in model.objects.filter(code__in=codes)}

    return lookup


def _unknown(label: str, model: type[Segment] | type[RequiredOutcome]) -> Any:
    def message(code: str) -> str:
        known = list(model.objects.values_list("code", flat=True)[:12])
        return f"{label} {code!r} is not set up (known: {', '.join(known) if known else 'none are set up yet'})"

    return message


def _with_attributes(rows: list[ParsedRow], outcome: BatchOutcome) -> list[ParsedRow]:
    """Attributes come from the `attributes` JSON column and any extra column; only declared names pass."""
    rules = attribute_rules()
    kept = []
    for row in rows:
        given = {**(row.values.get("attributes") or {}), **row.extras}
        try:
            row.values["attributes"] = rules.clean(given)
        except AttributeError_ as error:
            outcome.rejects.append(reject(row, "attributes", str(error)))
            continue
        kept.append(row)
    return kept


def write_applicants(rows: list[ParsedRow], context: WriteContext) -> BatchOutcome:
    outcome = BatchOutcome()
    rows = resolve_codes(
        rows, column="required_outcome", lookup=_by_code(RequiredOutcome),
        unknown=_unknown("required outcome", RequiredOutcome), outcome=outcome,
    )
    rows = resolve_codes(
        rows, column="segment", lookup=_by_code(Segment), unknown=_unknown("segment", Segment), outcome=outcome
    )
    rows = _with_attributes(rows, outcome)
    with transaction.atomic():
        upsert_by_external_id(Applicant, rows, field_for={}, outcome=outcome)
    return outcome


APPLICANTS = KindSpec(
    name="applicants",
    columns=(
        Column("external_id", cells.identifier(64), required=True, aliases=("id", "applicant id", "application id")),
        Column("name", cells.text(200), required=True, aliases=("applicant name", "full name")),
        Column("applied_on", APPLIED_ON, required=True, aliases=("applied", "application date", "date")),
        Column("required_outcome", cells.identifier(40), required=True,
               aliases=("outcome", "goal", "stated outcome")),
        Column("acquisition_channel", cells.text(60), required=True, aliases=("channel", "source")),
        Column("campaign", cells.text(120), default="", aliases=("utm campaign",)),
        Column("segment", cells.identifier(40), default=None),
        Column("kind", cells.choice(Member.Kind.values), default=Member.Kind.INDIVIDUAL,
               aliases=("applicant type",)),
        Column("email", cells.email, default=""),
        Column("country", cells.country, default=""),
        Column("status", cells.choice(Applicant.Status.values), default=Applicant.Status.APPLIED),
        Column("attributes", cells.json_object, default=None),
    ),
    write=write_applicants,
    keeps_extra_columns=True,
)
