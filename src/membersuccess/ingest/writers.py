"""Writing validated rows: upsert by external id for entities, insert-once for interactions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models, transaction

from membersuccess.ingest.spec import BatchOutcome, ParsedRow, RowReject
from membersuccess.interactions.models import Interaction
from membersuccess.members.models import Member


def reject(row: ParsedRow, column: str, reason: str) -> RowReject:
    return RowReject(line=row.line, column=column, reason=reason, cells=row.cells)


def resolve_codes(
    rows: list[ParsedRow],
    *,
    column: str,
    lookup: Callable[[set[str]], dict[str, Any]],
    unknown: Callable[[str], str],
    outcome: BatchOutcome,
) -> list[ParsedRow]:
    """Replace a code (member id, segment, offering...) by the row it names; reject unknown ones."""
    wanted = {row.values[column] for row in rows if row.values.get(column)}
    found = lookup(wanted) if wanted else {}
    kept: list[ParsedRow] = []
    for row in rows:
        code = row.values.get(column)
        if not code:
            kept.append(row)
        elif code in found:
            row.values[column] = found[code]
            kept.append(row)
        else:
            outcome.rejects.append(reject(row, column, unknown(code)))
    return kept


def member_ids(codes: set[str]) -> dict[str, int]:
    return dict(Member.objects.filter(external_id__in=codes).values_list("external_id", "id"))


def unknown_member(code: str) -> str:
    return f"member {code!r} is not known (import members first)"


def upsert_by_external_id(
    model: type[models.Model],
    rows: list[ParsedRow],
    *,
    field_for: dict[str, str],
    outcome: BatchOutcome,
    defaults: dict[str, Any] | None = None,
) -> dict[str, models.Model]:
    """Create new rows, update changed ones, leave identical ones; only columns present are set."""
    by_id: dict[str, ParsedRow] = {row.values["external_id"]: row for row in rows}
    existing = {obj.external_id: obj for obj in model._default_manager.filter(external_id__in=by_id)}  # type: ignore[attr-defined]
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    changed_fields: set[str] = set()
    saved: dict[str, models.Model] = {}
    for external_id, row in by_id.items():
        values = {field_for.get(k, k): v for k, v in row.values.items() if k != "external_id"}
        obj = existing.get(external_id)
        if obj is None:
            obj = model(external_id=external_id, **{**(defaults or {}), **values})
            to_create.append(obj)
        else:
            differing = [f for f, v in values.items() if getattr(obj, f) != v]
            for name in differing:
                setattr(obj, name, values[name])
            if differing:
                changed_fields.update(differing)
                to_update.append(obj)
            else:
                outcome.unchanged += 1
        saved[external_id] = obj
    for obj in to_create:
        obj.full_clean(exclude=_unchecked_fields(model), validate_unique=False, validate_constraints=False)
    model._default_manager.bulk_create(to_create)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(changed_fields))
    outcome.created += len(to_create)
    outcome.updated += len(to_update)
    return saved


def _unchecked_fields(model: type[models.Model]) -> list[str]:
    # Values are already parsed and checked by the KIND's column rules; re-running
    # Django's field validation only guards against a mismatch between the two.
    return [f.name for f in model._meta.get_fields() if f.is_relation or f.name == "external_id"]


def insert_interactions(rows: list[ParsedRow], outcome: BatchOutcome) -> None:
    """Append facts; a (source, external_id) already stored is left untouched (idempotent)."""
    if not rows:
        return
    table = Interaction._meta.db_table
    sql = (
        f"INSERT INTO {table} (source, external_id, member_id, kind, occurred_at, value, attributes) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (source, external_id) DO NOTHING"
    )
    adapt = connection.ops.adapt_datetimefield_value
    params: Iterable[tuple[Any, ...]] = [
        (
            v["source"],
            v["external_id"],
            v["member_id"],
            v["kind"],
            adapt(v["occurred_at"]),
            v.get("value"),
            json.dumps({**(v.get("attributes") or {}), **row.extras}, sort_keys=True, default=str),
        )
        for row in rows
        for v in (row.values,)
    ]
    # Both sqlite3 and psycopg 3 report the rows executemany() inserted, summed over the batch.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, list(params))
        created = cursor.rowcount
    outcome.created += created
    outcome.unchanged += len(rows) - created

