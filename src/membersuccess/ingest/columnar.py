"""The fast lane for interactions from Parquet: check whole columns at once with Arrow.

A row that passes every column check is stored without being looked at one cell at a time. A row
that fails any check is not rejected here: it goes down the ordinary row-by-row path, which finds
the exact column and reason. So the fast lane may only be stricter than the row parsers in
`kinds.py`, never more lenient, and an unusual but valid row still gets in, just more slowly."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from membersuccess.ingest.readers import RawRow
from membersuccess.ingest.spec import HeaderMap
from membersuccess.ingest.writers import EMPTY_ATTRIBUTES

# Any C0 control character or DEL: the identifier parser refuses all of them (tabs and line
# breaks included), so a match only means "let the row parser say why".
_CONTROL = r"[\x00-\x1f\x7f]"


@dataclass
class Lanes:
    """One batch split in two: rows ready to store (with their file row numbers) and the rest."""

    # (source, external_id, member code, kind, occurred_at as the database takes it, value, attributes JSON)
    ready: list[tuple[str, str, str, str, str, float | None, str]]
    ready_numbers: list[int]
    slow: list[RawRow]


def split_interactions(
    batch: pa.RecordBatch,
    *,
    header: HeaderMap,
    numbers: list[int],
    limits: dict[str, int],
    zone: str,
    latest: datetime,
    timestamp_suffix: str,
) -> Lanes:
    """Check a batch column by column; see the module docstring for the contract.

    `numbers` are the file lines (or rows) of the batch's rows; `limits` gives the longest allowed
    text per identifier column; `zone` reads timestamps that have none; `latest` (aware) is the
    latest acceptable time; `timestamp_suffix` is appended to the UTC text of each timestamp
    ("" for SQLite, which stores naive UTC; "+00:00" otherwise)."""
    columns = {column.name: batch.column(label) for label, column in header.by_label.items()}
    ok = pa.array([True] * batch.num_rows, pa.bool_())
    for label in header.extras:
        # Rows with something in an extra column keep it in attributes, the row path's way.
        ok = pc.and_(ok, _blank(batch.column(label)))
    texts: dict[str, pa.Array] = {}
    for name, longest in limits.items():
        values, checked = _identifier(columns[name], longest)
        texts[name] = values
        ok = pc.and_(ok, checked)
    occurred, checked = _timestamp(
        _text_times(columns["occurred_at"], zone), zone=zone, latest=latest, suffix=timestamp_suffix
    )
    ok = pc.and_(ok, checked)
    value, checked = _value(columns.get("value"), batch.num_rows)
    ok = pc.and_(ok, checked)
    attributes = columns.get("attributes")
    if attributes is not None:
        if pa.types.is_string(attributes.type) or pa.types.is_large_string(attributes.type):
            # JSON text is read below, one present cell at a time; a blank cell means none.
            ok = pc.and_(ok, pc.or_(_blank(attributes), _looks_like_object(attributes)))
        else:
            ok = pc.and_(ok, pc.is_null(attributes))
    ok = pc.fill_null(ok, False)

    accepted = pc.indices_nonzero(ok).to_pylist()
    lanes = Lanes(ready=[], ready_numbers=[], slow=[])
    if len(accepted) < batch.num_rows:
        rejected = pc.indices_nonzero(pc.invert(ok))
        for index, cells in zip(rejected.to_pylist(), batch.take(rejected).to_pylist(), strict=True):
            lanes.slow.append(RawRow(numbers[index], cells))
    if not accepted:
        return lanes
    take = pa.array(accepted, pa.int64())
    stored: list[str | None]
    if attributes is None:
        stored = [EMPTY_ATTRIBUTES] * len(accepted)
    else:
        stored = [_attributes(document) for document in pc.take(attributes, take).to_pylist()]
    ready = zip(
        *(pc.take(texts[name], take).to_pylist() for name in ("source", "external_id", "member_id", "kind")),
        pc.take(occurred, take).to_pylist(),
        pc.take(value, take).to_pylist(),
        stored,
        strict=True,
    )
    if None not in stored:
        lanes.ready = list(ready)
        lanes.ready_numbers = [numbers[index] for index in accepted]
        return lanes
    for row, index in zip(ready, accepted, strict=True):
        if row[-1] is None:  # attributes the row parser must judge
            lanes.slow.append(RawRow(numbers[index], batch.slice(index, 1).to_pylist()[0]))
        else:
            lanes.ready.append(row)
            lanes.ready_numbers.append(numbers[index])
    return lanes


def _identifier(column: pa.Array, longest: int) -> tuple[pa.Array, pa.Array]:
    if pa.types.is_integer(column.type):
        column = pc.cast(column, pa.string())  # the row parser reads 1001 as "1001" too
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column, pa.array([False] * len(column), pa.bool_())
    length = pc.utf8_length(column)
    checked = pc.and_(
        pc.and_(pc.greater(length, 0), pc.less_equal(length, longest)),
        pc.and_(
            pc.invert(pc.match_substring_regex(column, _CONTROL)), pc.equal(pc.utf8_trim_whitespace(column), column)
        ),
    )
    return column, checked


def _timestamp(column: pa.Array, *, zone: str, latest: datetime, suffix: str) -> tuple[pa.Array, pa.Array]:
    if not pa.types.is_timestamp(column.type):
        return column, pa.array([False] * len(column), pa.bool_())
    if column.type.tz is None:
        # Like the row parser: a time without a zone is the organization's local time.
        column = pc.assume_timezone(column, timezone=zone, ambiguous="earliest", nonexistent="earliest")
    utc = pc.cast(column, pa.timestamp("us", tz="UTC"))
    micros = pc.cast(utc, pa.int64())
    checked = pc.and_(
        pc.greater_equal(micros, 0),  # before 1970: rare enough to leave to the row parser
        pc.less_equal(micros, int(latest.timestamp() * 1_000_000)),
    )
    seconds = pc.divide(micros, 1_000_000)  # integer division; only rows from 1970 on are kept
    fraction = pc.subtract(micros, pc.multiply(seconds, 1_000_000))
    whole = pc.strftime(pc.cast(seconds, pa.timestamp("s")), format="%Y-%m-%d %H:%M:%S")
    # Django writes microseconds only when there are some; stored text must compare the same way.
    padded = pc.binary_join_element_wise(whole, pc.utf8_lpad(pc.cast(fraction, pa.string()), 6, "0"), ".")
    text = pc.if_else(pc.equal(fraction, 0), whole, padded)
    if suffix:
        text = pc.binary_join_element_wise(text, pa.scalar(suffix), "")
    return text, pc.fill_null(checked, False)


def _value(column: pa.Array | None, rows: int) -> tuple[pa.Array, pa.Array]:
    if column is None:
        return pa.nulls(rows, pa.float64()), pa.array([True] * rows, pa.bool_())
    if _is_text(column):
        # Plain decimals only ("2", "0.5"); "1,234", " 2 " or "-1" are for the row parser to judge.
        plain = pc.fill_null(pc.match_substring_regex(column, r"^[0-9]{1,15}(\.[0-9]{1,15})?$"), False)
        blank = pc.equal(pc.utf8_length(column), 0)
        numbers = pc.cast(pc.if_else(plain, column, pa.scalar(None, pa.string())), pa.float64())
        return numbers, pc.fill_null(pc.or_(plain, blank), True)
    if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)):
        return column, pc.is_null(column)  # text amounts are left to the row parser
    numbers = pc.cast(column, pa.float64())
    finite = pc.and_(pc.is_finite(numbers), pc.greater_equal(numbers, 0))
    return numbers, pc.or_(pc.is_null(numbers), pc.fill_null(finite, False))


def _is_text(column: pa.Array) -> bool:
    return bool(pa.types.is_string(column.type) or pa.types.is_large_string(column.type))


def _blank(column: pa.Array) -> pa.Array:
    """Null, or text that is empty or all spaces (an empty CSV cell)."""
    if not _is_text(column):
        return pc.is_null(column)
    return pc.fill_null(pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(column)), 0), True)


_ISO_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?"
_NAIVE = _ISO_TIME + "$"
_ZONED = _ISO_TIME + "(Z|[+-][0-9]{2}:[0-9]{2})$"


def _text_times(column: pa.Array, zone: str) -> pa.Array:
    """ISO 8601 text (CSV) as timestamps, read the way the row parser reads them; anything it
    would not read plainly (spaces around it, another format) becomes null for the row parser.

    Plain ISO text is read by Arrow a whole column at a time; a local time that a change of clocks
    makes ambiguous or skips is left to the row parser, which knows what it means."""
    if not _is_text(column):
        return column
    try:
        zoned = pc.cast(pc.if_else(_matches(column, _ZONED), column, pa.scalar(None, pa.string())), _UTC)
        naive = pc.cast(pc.if_else(_matches(column, _NAIVE), column, pa.scalar(None, pa.string())), pa.timestamp("us"))
    except pa.ArrowInvalid:  # e.g. 30 February: the exact reading below says nothing is wrong with the rest
        return _text_times_one_by_one(column, zone)
    earliest = pc.assume_timezone(naive, timezone=zone, ambiguous="earliest", nonexistent="earliest")
    latest = pc.assume_timezone(naive, timezone=zone, ambiguous="latest", nonexistent="latest")
    local = pc.if_else(pc.equal(earliest, latest), earliest, pa.scalar(None, earliest.type))
    return pc.coalesce(zoned, pc.cast(local, _UTC))


_UTC = pa.timestamp("us", tz="UTC")


def _matches(column: pa.Array, pattern: str) -> pa.Array:
    return pc.fill_null(pc.match_substring_regex(column, pattern), False)


def _text_times_one_by_one(column: pa.Array, zone: str) -> pa.Array:
    local = ZoneInfo(zone)
    values: list[datetime | None] = []
    for text in column.to_pylist():
        try:
            value = datetime.fromisoformat(text)
        except (TypeError, ValueError):
            values.append(None)
            continue
        values.append(value if value.tzinfo is not None else value.replace(tzinfo=local))
    return pa.array(values, _UTC)


def _looks_like_object(column: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(column)
    return pc.fill_null(pc.and_(pc.starts_with(trimmed, "{"), pc.ends_with(trimmed, "}")), False)


def _attributes(document: str | None) -> str | None:
    """The stored JSON of an attributes cell, or None when the row parser must look at it."""
    if document is None:
        return EMPTY_ATTRIBUTES
    document = document.strip()
    if not document:
        return EMPTY_ATTRIBUTES
    try:
        value: Any = json.loads(document)
    except ValueError:
        return None
    # Kept as written: it is valid JSON and an object, which is all the database needs.
    return document if isinstance(value, dict) else None
