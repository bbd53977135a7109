"""The tables the engine reads, with their columns; how to get them from Arrow or Parquet into a backend.

Days are whole days since 1970-01-01 (UTC) in int32 columns, so window arithmetic is plain integer
arithmetic and gives the same answer on every backend. `tables.py` in the scoring app builds these
from the system of record; a Parquet lake only needs the same columns (docs/scale-out.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa

EPOCH = date(1970, 1, 1)

SCHEMAS: dict[str, dict[str, str]] = {
    # Every member, whatever their status: renewed members set segment targets even after they leave.
    "members": {
        "member_id": "int64", "segment_id": "int64", "journey_id": "int64", "joined_day": "int32", "status": "string",
    },
    "terms": {"member_id": "int64", "start_day": "int32", "end_day": "int32", "status": "string"},
    "interactions": {"member_id": "int64", "source": "string", "kind": "string", "day": "int32", "value": "float64"},
    # Times in seconds since the epoch: resolution hours need more than days.
    "tickets": {"member_id": "int64", "severity": "string", "opened_s": "int64", "resolved_s": "int64"},
    # Achievements confirmed by staff (rule-based ones are recomputed from interactions).
    "achievements": {"member_id": "int64", "milestone_id": "int64", "achieved_day": "int32"},
    # The member's vector in the previous completed run, for saved_at_risk.
    "previous": {"member_id": "int64", "status": "string", "saved_at_risk": "boolean", "next_milestone_id": "int64"},
}

RENEWED_TERM_STATUSES = ("renewed", "upgraded", "downgraded")
ACTIVE_MEMBER_STATUSES = ("active", "grace")


def day_number(day: date) -> int:
    """Days since 1970-01-01."""
    return (day - EPOCH).days


def day_date(number: int) -> date:
    """The date of a day number."""
    return EPOCH + timedelta(days=int(number))


def arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema of one input table."""
    return ibis.schema({k: dt.dtype(v) for k, v in SCHEMAS[name].items()}).to_pyarrow()


def empty_arrow(name: str) -> pa.Table:
    """An input table with no rows."""
    return arrow_schema(name).empty_table()


@dataclass(frozen=True)
class EngineInputs:
    """The input tables on one backend connection."""

    members: ibis.Table
    terms: ibis.Table
    interactions: ibis.Table
    tickets: ibis.Table
    achievements: ibis.Table
    previous: ibis.Table | None = None
