"""Between the system of record and the engine: read a consistent snapshot out as Arrow, write vectors back.

Reading: every input table is read inside one read-only snapshot (a deferred read transaction on a
separate SQLite connection, REPEATABLE READ on PostgreSQL), so imports and the web app keep writing
while a run reads, and a run never sees half of an import. Dates are turned into day numbers by the
database itself, so Python only moves integers and short strings (docs/engine.md has the figures).

Writing: snapshots go in small transactions while their run is still 'running' (invisible to every
reader), so the database is never locked for long; the run is flipped to 'completed' at the end."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa
from django.db import connection, transaction

from membersuccess.engine.explain import explain_batches
from membersuccess.engine.inputs import arrow_schema, day_date, day_number
from membersuccess.engine.milestones import Milestone, rule_from_json
from membersuccess.engine.signals import ScoringConfig
from membersuccess.interactions.models import Interaction, SupportTicket
from membersuccess.journeys.models import MilestoneAchievement, SuccessMilestone
from membersuccess.members.models import Member, MembershipTerm
from membersuccess.scoring.models import ScoreRun, VectorSnapshot

FETCH_ROWS = 100_000
WRITE_ROWS = 5_000
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Snapshot:
    """The engine's inputs as read from the system of record at one moment."""

    tables: dict[str, pa.Table]
    milestones: list[Milestone]

    @property
    def interactions(self) -> int:
        return self.tables["interactions"].num_rows


def _day(column: str) -> str:
    """SQL for the UTC day number of a date or datetime column."""
    if connection.vendor == "sqlite":
        return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"
    return f"(CAST(({column}) AT TIME ZONE 'UTC' AS DATE) - DATE '1970-01-01')"


def _date_day(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"
    return f"({column} - DATE '1970-01-01')"


def _seconds(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"CAST(strftime('%s', {column}) AS INTEGER)"
    return f"CAST(EXTRACT(EPOCH FROM {column}) AS BIGINT)"


def _queries(*, as_of: date) -> dict[str, tuple[str, list[Any]]]:
    member, term = Member._meta.db_table, MembershipTerm._meta.db_table
    interaction, ticket = Interaction._meta.db_table, SupportTicket._meta.db_table
    achievement = MilestoneAchievement._meta.db_table
    until = day_number(as_of)
    return {
        "members": (
            f"SELECT id, segment_id, journey_id, {_date_day('joined_on')}, status FROM {member}", [],
        ),
        "terms": (
            f"SELECT member_id, {_date_day('start_on')}, {_date_day('end_on')}, status FROM {term}", [],
        ),
        # Only what happened up to the as-of day; a backtest never sees the future.
        "interactions": (
            f"SELECT member_id, source, kind, {_day('occurred_at')}, value FROM {interaction} "
            f"WHERE {_day('occurred_at')} <= %s",
            [until],
        ),
        "tickets": (
            f"SELECT member_id, severity, {_seconds('opened_at')}, {_seconds('resolved_at')} FROM {ticket} "
            f"WHERE {_day('opened_at')} <= %s",
            [until],
        ),
        "achievements": (
            f"SELECT member_id, milestone_id, {_date_day('achieved_on')} FROM {achievement} WHERE source = %s",
            [MilestoneAchievement.Source.MANUAL],
        ),
    }


def read_snapshot(*, as_of: date, progress: Progress | None = None) -> Snapshot:
    """Everything the engine needs for `as_of`, read in one consistent snapshot."""
    say = progress or (lambda _message: None)
    tables: dict[str, pa.Table] = {}
    with _read_cursor() as (cursor, placeholder):
        for name, (sql, params) in _queries(as_of=as_of).items():
            say(f"Reading {name}")
            tables[name] = _fetch(cursor, sql.replace("%s", placeholder), params, arrow_schema(name))
    milestones = [
        Milestone(
            milestone_id=m.pk, journey_id=m.journey_id, order=m.order, name=m.name,
            due_offset_days=m.due_offset_days, due_from=m.due_from,  # type: ignore[arg-type]
            grace_days=m.grace_days, rule=rule_from_json(m.rule, milestone=m.name),
        )
        for m in SuccessMilestone.objects.order_by("journey_id", "order")
    ]
    return Snapshot(tables=tables, milestones=milestones)


@contextmanager
def _read_cursor() -> Iterator[tuple[Any, str]]:
    """A cursor inside a read-only snapshot, and the parameter placeholder its driver uses."""
    if connection.in_atomic_block:
        # Called inside a caller's transaction (tests, a shell): that transaction is the snapshot.
        with connection.cursor() as cursor:
            yield cursor, "%s"
        return
    path = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and "mode=memory" not in path and path != ":memory:":
        # A separate read-only connection: Django's own takes the write lock up front (IMMEDIATE).
        raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, isolation_level=None)
        try:
            raw.execute("BEGIN")  # deferred: a WAL read snapshot, no lock that blocks writers
            yield raw.cursor(), "?"
            raw.execute("COMMIT")
        finally:
            raw.close()
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield cursor, "%s"


def _fetch(cursor: Any, sql: str, params: Sequence[Any], schema: pa.Schema) -> pa.Table:
    cursor.execute(sql, params)
    batches = []
    while rows := cursor.fetchmany(FETCH_ROWS):
        columns = list(zip(*rows, strict=True))
        batches.append(pa.record_batch(
            [pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)], schema=schema
        ))
    return pa.Table.from_batches(batches, schema=schema)


def previous_vectors(*, as_of: date) -> pa.Table | None:
    """The vectors of the latest completed run before `as_of`, for saved_at_risk."""
    run = (
        ScoreRun.objects.filter(status=ScoreRun.Status.COMPLETED, as_of__lt=as_of)
        .order_by("-as_of", "-finished_at").first()
    )
    if run is None:
        return None
    from membersuccess.plays.selectors import open_saves

    # A save staff recorded (plays.record_save) puts the member at risk as if the engine had flagged it.
    recorded = set(open_saves())
    rows = VectorSnapshot.objects.filter(run=run).values_list("member_id", "status", "flags", "next_milestone_id")
    member_ids, statuses, saved, next_ids = [], [], [], []
    for member_id, status, flags, next_id in rows.iterator(chunk_size=FETCH_ROWS):
        member_ids.append(member_id)
        statuses.append(status)
        saved.append("saved_at_risk" in (flags or []) or member_id in recorded)
        next_ids.append(next_id)
    schema = arrow_schema("previous")
    return pa.table([member_ids, statuses, saved, next_ids], schema=schema)


def write_snapshots(
    *,
    run: ScoreRun,
    result: pa.Table,
    config: ScoringConfig,
    milestones: Sequence[Milestone],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert one VectorSnapshot per result row, in short transactions; returns how many."""
    as_of_day = day_number(run.as_of)
    rows = _snapshot_rows(run=run, result=result, config=config, milestones=milestones, as_of_day=as_of_day)
    table = VectorSnapshot._meta.db_table
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    sql = (
        f"INSERT INTO {table} (run_id, member_id, as_of, score, velocity, status, confidence, milestone_position, "
        f"contributions, reasons, flags, next_milestone_id, next_milestone_due_on) VALUES "
        f"(%s, %s, %s, %s, %s, %s, %s, %s, %s{json_cast}, %s{json_cast}, %s{json_cast}, %s, %s)"
    )
    written = 0
    for batch in _batches(rows, WRITE_ROWS):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
        written += len(batch)
        if progress:
            progress(written)
    return written


def _snapshot_rows(
    *, run: ScoreRun, result: pa.Table, config: ScoringConfig, milestones: Sequence[Milestone], as_of_day: int
) -> Iterator[tuple[Any, ...]]:
    as_of = connection.ops.adapt_datefield_value(run.as_of)
    names = ("member_id", "score", "velocity", "status", "confidence", "milestone_position", "next_milestone_id",
             "next_milestone_due_day")
    for explained in explain_batches(result, config=config, milestones=milestones, as_of_day=as_of_day):
        columns = [explained.rows.column(name).to_pylist() for name in names]
        texts = zip(explained.contributions, explained.reasons, explained.flags, strict=True)
        for values, (contributions, reasons, flags) in zip(zip(*columns, strict=True), texts, strict=True):
            member_id, score, velocity, status, confidence, position, next_id, due = values
            yield (
                run.pk, member_id, as_of, score, velocity, status, confidence, position, contributions, reasons,
                flags, next_id, None if due is None else connection.ops.adapt_datefield_value(day_date(due)),
            )


def _batches(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def delete_snapshots(*, run_ids: Sequence[int]) -> None:
    """Remove the snapshots of runs in short transactions (a million rows must not lock the database)."""
    for run_id in run_ids:
        while True:
            with transaction.atomic():
                ids = list(VectorSnapshot.objects.filter(run_id=run_id).values_list("pk", flat=True)[:WRITE_ROWS])
                if not ids:
                    break
                VectorSnapshot.objects.filter(pk__in=ids).delete()
