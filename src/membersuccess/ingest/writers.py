"""Writing validated rows: upsert by external id for entities, insert-once for interactions."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
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


# source, external_id, member pk, kind, occurred_at as the database takes it, value, attributes as JSON
InteractionRow = tuple[str, str, int, str, Any, float | None, str]
EMPTY_ATTRIBUTES = "{}"


def interaction_row(values: dict[str, Any], extras: dict[str, Any]) -> InteractionRow:
    """The stored form of one parsed interaction; extra columns join its attributes."""
    attributes = {**(values.get("attributes") or {}), **extras}
    return (
        values["source"],
        values["external_id"],
        values["member_id"],
        values["kind"],
        connection.ops.adapt_datetimefield_value(values["occurred_at"]),
        values.get("value"),
        json.dumps(attributes, sort_keys=True, default=str) if attributes else EMPTY_ATTRIBUTES,
    )


def insert_interactions(rows: list[ParsedRow], outcome: BatchOutcome, *, stored_before: int) -> None:
    """Append facts; a (source, external_id) already stored is left untouched (idempotent)."""
    stored = store_interactions([interaction_row(row.values, row.extras) for row in rows], stored_before=stored_before)
    outcome.created += stored.created
    outcome.unchanged += stored.unchanged
    for position in stored.duplicates:
        row = rows[position]
        outcome.rejects.append(reject(row, "external_id", duplicate_in_file(row.values["external_id"])))


def duplicate_in_file(external_id: str) -> str:
    return f"{external_id!r} appears earlier in this file"


@dataclass(frozen=True)
class Stored:
    created: int
    unchanged: int  # stored by an earlier import: nothing added
    duplicates: list[int]  # positions of rows whose identity came earlier in this same import


def latest_interaction_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Interaction._meta.db_table}")
        return int(cursor.fetchone()[0])


_COLUMNS = "source, external_id, member_id, kind, occurred_at, value, attributes"
_ONCE = "ON CONFLICT (source, external_id) DO NOTHING"
_STAGE = "msm_interaction_stage"


def _copy_then_insert(cursor: Any, rows: list[InteractionRow]) -> int:
    """PostgreSQL: COPY the batch into a temporary table, then insert it once with one statement —
    several times faster than a parameterized INSERT per row."""
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (source text, external_id text, member_id bigint, kind text, "
        "occurred_at timestamptz, value double precision, attributes jsonb) ON COMMIT DELETE ROWS"
    )
    # Inside an outer transaction nothing has been committed yet, so empty it here as well.
    cursor.execute(f"TRUNCATE {_STAGE}")
    with cursor.cursor.copy(f"COPY {_STAGE} ({_COLUMNS}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    table = Interaction._meta.db_table
    cursor.execute(f"INSERT INTO {table} ({_COLUMNS}) SELECT {_COLUMNS} FROM {_STAGE} {_ONCE}")
    return int(cursor.rowcount)


def store_interactions(rows: list[InteractionRow], *, stored_before: int) -> Stored:
    """Insert each row once. Rows that were not inserted are told apart afterwards, and only when
    there are any: stored before this import began (unchanged) or earlier in it (a duplicate)."""
    if not rows:
        return Stored(0, 0, [])
    table = Interaction._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        before_batch = int(cursor.fetchone()[0])
        if connection.vendor == "postgresql":
            created = _copy_then_insert(cursor, rows)
        else:
            # sqlite3 reports the rows executemany() inserted, summed over the batch.
            cursor.executemany(f"INSERT INTO {table} ({_COLUMNS}) VALUES ({', '.join(['%s'] * 7)}) {_ONCE}", rows)
            created = cursor.rowcount
    if created == len(rows):
        return Stored(created, 0, [])
    sources = {row[0] for row in rows}
    earlier = dict(
        ((source, external_id), pk)
        for source, external_id, pk in Interaction.objects.filter(
            pk__lte=before_batch, source__in=sources, external_id__in=[row[1] for row in rows]
        ).values_list("source", "external_id", "pk")
    )
    duplicates = [i for i, row in enumerate(rows) if earlier.get((row[0], row[1]), 0) > stored_before]
    return Stored(created, len(rows) - created - len(duplicates), duplicates)
