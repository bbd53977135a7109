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
    """The primary key of each known member code. The codes travel as one parameter (a JSON
    array on SQLite, an array on PostgreSQL): a batch names thousands of members, and an IN list
    of that many parameters costs more to build than the lookup itself."""
    if not codes:
        return {}
    table = Member._meta.db_table
    parameter: list[str] | str
    if connection.vendor == "postgresql":
        sql, parameter = f"SELECT external_id, id FROM {table} WHERE external_id = ANY(%s)", list(codes)
    else:
        sql = f"SELECT external_id, id FROM {table} WHERE external_id IN (SELECT value FROM json_each(%s))"
        parameter = json.dumps(list(codes))
    with connection.cursor() as cursor:
        cursor.execute(sql, [parameter])
        return dict(cursor.fetchall())


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


# source, external_id, member code, kind, occurred_at as the database takes it, value, attributes as JSON
InteractionRow = tuple[str, str, str, str, Any, float | None, str]
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
    refused = [
        *((at, "member_id", unknown_member(rows[at].values["member_id"])) for at in stored.unknown_members),
        *((at, "external_id", duplicate_in_file(rows[at].values["external_id"])) for at in stored.duplicates),
    ]
    for at, column, reason in sorted(refused):  # in the order of the rows
        outcome.rejects.append(reject(rows[at], column, reason))


def duplicate_in_file(external_id: str) -> str:
    return f"{external_id!r} appears earlier in this file"


@dataclass(frozen=True)
class Stored:
    created: int
    unchanged: int  # stored by an earlier import: nothing added
    duplicates: list[int]  # positions of rows whose identity came earlier in this same import
    unknown_members: list[int]  # positions of rows whose member code names no member


def latest_interaction_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Interaction._meta.db_table}")
        return int(cursor.fetchone()[0])


_COLUMNS = "source, external_id, member_code, kind, occurred_at, value, attributes"
_STAGE = "msm_interaction_stage"


def _stage_postgresql(cursor: Any, rows: list[InteractionRow]) -> str:
    """COPY the batch into a temporary table, numbered: several times faster than an INSERT per row."""
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (position bigint, source text, external_id text, "
        "member_code text, kind text, occurred_at timestamptz, value double precision, attributes jsonb) "
        "ON COMMIT DELETE ROWS"
    )
    # Inside an outer transaction nothing has been committed yet, so empty it here as well.
    cursor.execute(f"TRUNCATE {_STAGE}")
    with cursor.cursor.copy(f"COPY {_STAGE} (position, {_COLUMNS}) FROM STDIN") as copy:
        for position, row in enumerate(rows):
            copy.write_row((position, *row))
    return "stage.position"


def _stage_sqlite(cursor: Any, rows: list[InteractionRow]) -> str:
    """The same in memory. Inserting row by row into the interactions table pays, per row, a
    statement's bookkeeping (AUTOINCREMENT's sequence, constraint checks set up and torn down);
    one INSERT ... SELECT from an index-free temporary table pays it once."""
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (source TEXT, external_id TEXT, member_code TEXT, kind TEXT, "
        "occurred_at TEXT, value REAL, attributes TEXT)"
    )
    cursor.execute(f"DELETE FROM {_STAGE}")
    cursor.executemany(f"INSERT INTO {_STAGE} ({_COLUMNS}) VALUES ({', '.join(['%s'] * 7)})", rows)
    # An emptied table numbers its rows from 1 again, in the order they were inserted.
    return "(stage.rowid - 1)"


def store_interactions(rows: list[InteractionRow], *, stored_before: int) -> Stored:
    """Insert each row once, its member found by code in the same statement. Rows that were not
    inserted are told apart afterwards, and only when there are any: an unknown member, stored
    before this import began (unchanged), or earlier in it (a duplicate)."""
    if not rows:
        return Stored(0, 0, [], [])
    table = Interaction._meta.db_table
    members = Member._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        before_batch = int(cursor.fetchone()[0])
        stage = _stage_postgresql if connection.vendor == "postgresql" else _stage_sqlite
        position = stage(cursor, rows)
        # WHERE true: SQLite's grammar needs it between a SELECT and its ON CONFLICT clause.
        # ORDER BY position: of two rows with one identity, the earlier in the file is stored.
        cursor.execute(
            f"INSERT INTO {table} (source, external_id, member_id, kind, occurred_at, value, attributes) "
            "SELECT stage.source, stage.external_id, member.id, stage.kind, stage.occurred_at, stage.value, "
            f"stage.attributes FROM {_STAGE} stage JOIN {members} member ON member.external_id = stage.member_code "
            f"WHERE true ORDER BY {position} ON CONFLICT (source, external_id) DO NOTHING"
        )
        created = int(cursor.rowcount)
        unknown: list[int] = []
        stored_as: dict[int, int] = {}
        if created < len(rows):
            cursor.execute(
                f"SELECT {position} FROM {_STAGE} stage WHERE NOT EXISTS "
                f"(SELECT 1 FROM {members} member WHERE member.external_id = stage.member_code) ORDER BY 1"
            )
            unknown = [int(found) for (found,) in cursor.fetchall()]
        if created + len(unknown) < len(rows):
            cursor.execute(
                f"SELECT {position}, stored.id FROM {_STAGE} stage JOIN {table} stored "
                "ON stored.source = stage.source AND stored.external_id = stage.external_id"
            )
            stored_as = {int(at): int(pk) for at, pk in cursor.fetchall()}
        cursor.execute(f"DELETE FROM {_STAGE}")
    if created + len(unknown) == len(rows):
        return Stored(created, 0, [], unknown)
    return _tell_apart(
        rows,
        created=created,
        unknown=unknown,
        stored_as=stored_as,
        before_batch=before_batch,
        stored_before=stored_before,
    )


def _tell_apart(
    rows: list[InteractionRow],
    *,
    created: int,
    unknown: list[int],
    stored_as: dict[int, int],
    before_batch: int,
    stored_before: int,
) -> Stored:
    """Of the rows not inserted: a row whose identity this batch stored is a duplicate unless it is
    the first with that identity (the one stored); one stored earlier in this import is a
    duplicate; one stored before the import began is unchanged."""
    skipped = set(unknown)
    first: set[tuple[str, str]] = set()
    duplicates: list[int] = []
    for at, row in enumerate(rows):
        pk = stored_as.get(at, 0)
        if at in skipped or pk <= stored_before:
            continue
        identity = (row[0], row[1])
        if pk <= before_batch or identity in first:
            duplicates.append(at)
        else:
            first.add(identity)
    return Stored(created, len(rows) - created - len(unknown) - len(duplicates), duplicates, unknown)
