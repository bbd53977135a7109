"""Parquet and CSV interactions take a column-checked fast lane; it must keep and refuse exactly what the
row-by-row path keeps and refuses, with the same reasons, and find duplicates across batches."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from membersuccess.ingest import readers
from membersuccess.interactions.models import Interaction

from .conftest import import_file, rejects_of

WHEN = datetime(2024, 3, 5, 10, 0, tzinfo=UTC)

# One row per case; the fast lane must treat each exactly like the row parser does.
CASES: list[dict[str, Any]] = [
    {"external_id": "ok-1", "occurred_at": WHEN, "value": 2.5},
    {"external_id": "ok-2", "occurred_at": WHEN + timedelta(microseconds=1500)},
    {"external_id": "ok-attrs", "attributes": '{"event": "Summit", "room": "B"}'},
    {"external_id": "ok-blank-attrs", "attributes": "  "},
    {"external_id": " padded ", "kind": " login "},
    {"external_id": "ctrl\x07id"},
    {"external_id": "x" * 65},
    {"external_id": None},
    {"external_id": "no-kind", "kind": ""},
    {"external_id": "negative", "value": -1.0},
    {"external_id": "nan", "value": float("nan")},
    {"external_id": "future", "occurred_at": datetime.now(UTC) + timedelta(days=30)},
    {"external_id": "old", "occurred_at": datetime(1965, 6, 1, tzinfo=UTC)},
    {"external_id": "ancient", "occurred_at": datetime(1850, 6, 1, tzinfo=UTC)},
    {"external_id": "no-time", "occurred_at": None},
    {"external_id": "bad-json", "attributes": "{not json}"},
    {"external_id": "json-list", "attributes": "[1, 2]"},
    {"external_id": "stranger", "member_id": "M-404"},
    {"external_id": "ok-1"},  # the same id again: a duplicate within the file
    {"external_id": "other-source", "source": "lms"},
]


def _rows() -> list[dict[str, Any]]:
    base = {"source": "events", "member_id": "M-1", "kind": "event_attended", "occurred_at": WHEN, "value": None}
    rows = [{**base, "attributes": None, **case} for case in CASES]
    rows[-1]["external_id"] = "ok-1"  # same id, other source: not a duplicate
    return rows


def _parquet(path: Path, rows: list[dict[str, Any]]) -> Path:
    table = pa.table(
        {
            "external_id": [r["external_id"] for r in rows],
            "source": [r["source"] for r in rows],
            "member_id": [r["member_id"] for r in rows],
            "kind": [r["kind"] for r in rows],
            "occurred_at": pa.array([r["occurred_at"] for r in rows], pa.timestamp("us", tz="UTC")),
            "value": pa.array([r["value"] for r in rows], pa.float64()),
            "attributes": [r["attributes"] for r in rows],
        }
    )
    pq.write_table(table, path)
    return path


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    def cell(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, float) and value != value:
            return None  # NaN in a typed column is how pandas writes "missing"
        return value

    path.write_text("".join(json.dumps({k: cell(v) for k, v in row.items()}) + "\n" for row in rows))
    return path


def _csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    def cell(value: Any) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        return value.isoformat() if isinstance(value, datetime) else str(value)

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: cell(v) for k, v in row.items()} for row in rows)
    return path


def _stored() -> set[tuple[Any, ...]]:
    return {
        (i.source, i.external_id, i.member.external_id, i.kind, i.occurred_at, i.value, json.dumps(i.attributes))
        for i in Interaction.objects.select_related("member")
    }


def _reasons(result: Any) -> set[tuple[str, str, str]]:
    return {(r["external_id"].strip(), r["_column"], r["_reason"]) for r in rejects_of(result)}


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["parquet", "csv"])
def test_fast_lane_keeps_and_refuses_exactly_what_the_row_path_does(tmp_path, two_members, form):
    rows = _rows()
    by_rows = import_file("interactions", _jsonl(tmp_path / "i.jsonl", rows))
    expected_rows, expected_rejects = _stored(), _reasons(by_rows)
    Interaction.objects.all().delete()

    write = _parquet if form == "parquet" else _csv
    by_columns = import_file("interactions", write(tmp_path / f"i.{form}", rows))

    assert _stored() == expected_rows
    assert _reasons(by_columns) == expected_rejects
    assert (by_columns.rows_read, by_columns.rows_created, by_columns.rows_rejected) == (
        by_rows.rows_read,
        by_rows.rows_created,
        by_rows.rows_rejected,
    )
    kept = {external_id for _, external_id, *_ in expected_rows}
    assert kept == {"ok-1", "ok-2", "ok-attrs", "ok-blank-attrs", "padded", "nan", "old"}
    assert ("ok-1", "external_id", "'ok-1' appears earlier in this file") in expected_rejects


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["parquet", "csv"])
def test_rejected_rows_keep_their_row_numbers(tmp_path, two_members, form):
    write = _parquet if form == "parquet" else _csv
    result = import_file("interactions", write(tmp_path / f"i.{form}", _rows()))
    lines = {r["external_id"].strip(): int(r["_line"]) for r in rejects_of(result)}
    header_lines = 0 if form == "parquet" else 1  # Parquet counts rows, CSV counts lines
    assert lines["negative"] == header_lines + 1 + CASES.index({"external_id": "negative", "value": -1.0})
    assert lines["stranger"] == header_lines + 1 + [c["external_id"] for c in CASES].index("stranger")


@pytest.mark.django_db
def test_csv_lines_count_the_line_breaks_inside_quoted_cells(tmp_path, two_members):
    path = tmp_path / "i.csv"
    path.write_text(
        "external_id,source,member_id,kind,occurred_at,value\n"
        'a,events,M-1,event_attended,2024-03-05T10:00:00Z,1\n'
        '"b\nb",events,M-1,event_attended,2024-03-05T10:00:00Z,1\n'
        "\n"
        "c,events,M-1,event_attended,2024-03-05T10:00:00Z,-4\n"
        "d,events,M-1,event_attended\n"
    )
    result = import_file("interactions", path)
    assert {(r["_line"], r["_column"]) for r in rejects_of(result)} == {
        ("3", "external_id"),
        ("6", "value"),
        ("7", ""),
    }
    assert result.rows_created == 1


@pytest.mark.django_db
def test_duplicates_in_later_batches_are_found_without_remembering_the_file(tmp_path, two_members, monkeypatch):
    monkeypatch.setattr(readers, "ARROW_BATCH_ROWS", 3)
    base = {"source": "portal", "member_id": "M-2", "kind": "login", "occurred_at": WHEN, "value": None}
    rows = [{**base, "attributes": None, "external_id": f"e{n}"} for n in range(7)]
    rows.append({**rows[1]})  # row 8 repeats row 2, two batches later
    path = _parquet(tmp_path / "i.parquet", rows)

    first = import_file("interactions", path)
    assert (first.rows_created, first.rows_rejected) == (7, 1)
    ((reject),) = rejects_of(first)
    assert (reject["_line"], reject["external_id"], reject["_column"]) == ("8", "e1", "external_id")

    # Importing the file again adds nothing; every row, the repeated one too, is already stored.
    again = import_file("interactions", path)
    assert (again.rows_created, again.rows_unchanged, again.rows_rejected) == (0, 8, 0)
    assert Interaction.objects.count() == 7


@pytest.mark.django_db
def test_naive_times_are_read_in_the_organizations_zone(tmp_path, two_members, settings):
    settings.TIME_ZONE = "America/Chicago"
    base = {"external_id": "n1", "source": "events", "member_id": "M-1", "kind": "event_attended"}
    table = pa.table({**{k: [v] for k, v in base.items()}, "occurred_at": pa.array([datetime(2024, 7, 1, 9)])})
    path = tmp_path / "naive.parquet"
    pq.write_table(table, path)
    assert import_file("interactions", path).rows_created == 1
    assert Interaction.objects.get().occurred_at == datetime(2024, 7, 1, 14, tzinfo=UTC)


@pytest.mark.django_db
def test_within_one_batch_the_first_known_row_of_an_identity_is_stored(tmp_path, two_members):
    # One batch: the first "d" names an unknown member, so the second "d" is the one stored and
    # the third is the duplicate; "e" is stored once, its repeat refused.
    base = {"source": "portal", "kind": "login", "occurred_at": WHEN, "value": None, "attributes": None}
    rows = [
        {**base, "external_id": "d", "member_id": "M-404"},
        {**base, "external_id": "e", "member_id": "M-1"},
        {**base, "external_id": "d", "member_id": "M-2"},
        {**base, "external_id": "d", "member_id": "M-1"},
        {**base, "external_id": "e", "member_id": "M-2"},
    ]
    result = import_file("interactions", _parquet(tmp_path / "i.parquet", rows))

    assert (result.rows_created, result.rows_rejected) == (2, 3)
    assert [(r["_line"], r["_column"], r["_reason"]) for r in rejects_of(result)] == [
        ("1", "member_id", "member 'M-404' is not known (import members first)"),
        ("4", "external_id", "'d' appears earlier in this file"),
        ("5", "external_id", "'e' appears earlier in this file"),
    ]
    stored = dict(Interaction.objects.values_list("external_id", "member__external_id"))
    assert stored == {"d": "M-2", "e": "M-1"}


@pytest.mark.django_db
def test_a_batch_naming_more_members_than_sqlite_takes_parameters(tmp_path):
    # SQLite refuses a statement with more than 32,766 parameters; members are looked up by one.
    from datetime import date

    from membersuccess.members.models import Member

    Member.objects.bulk_create(
        [Member(external_id=f"B-{n}", name=f"Member {n}", joined_on=date(2024, 1, 1)) for n in range(40_000)],
        batch_size=5_000,
    )
    count = 40_000
    table = pa.table(
        {
            "external_id": [f"x{n}" for n in range(count)],
            "source": ["portal"] * count,
            "member_id": [f"B-{n}" for n in range(count)],
            "kind": ["login"] * count,
            "occurred_at": pa.array([WHEN] * count, pa.timestamp("us", tz="UTC")),
        }
    )
    path = tmp_path / "wide.parquet"
    pq.write_table(table, path)

    result = import_file("interactions", path)
    assert (result.rows_created, result.rows_rejected) == (count, 0)
    again = import_file("interactions", path)
    assert (again.rows_created, again.rows_unchanged, again.rows_rejected) == (0, count, 0)


@pytest.mark.django_db(transaction=True)
def test_the_importing_connection_gets_its_settings_back(tmp_path, two_members):
    from django.db import connection

    def pragmas() -> tuple[int, int, int]:
        with connection.cursor() as cursor:
            found = []
            for name in ("cache_size", "temp_store", "wal_autocheckpoint"):
                cursor.execute(f"PRAGMA {name}")
                found.append(cursor.fetchone()[0])
        return found[0], found[1], found[2]

    if connection.vendor != "sqlite":
        pytest.skip("SQLite connection settings")
    before = pragmas()
    row = {"source": "portal", "member_id": "M-1", "kind": "login", "occurred_at": WHEN, "value": None}
    path = _parquet(tmp_path / "i.parquet", [{**row, "attributes": None, "external_id": "a"}])
    result = import_file("interactions", path)
    assert result.rows_created == 1
    assert pragmas() == before


_PLAIN_HEADER = "external_id,source,member_id,kind,occurred_at,value\n"
_PLAIN_ROWS = "".join(f"p{n},portal,M-{1 + n % 2},login,2024-03-0{1 + n % 9} 10:00:00,\n" for n in range(12))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tail",
    [
        pytest.param(b"", id="all plain"),
        pytest.param(b'q1,portal,M-1,login,2024-03-05,"1"\r\nq2,portal,M-2,login,2024-03-05,2\r\n', id="crlf, quotes"),
        pytest.param('w1,portal,M-1,login,2024-03-05,\nw2,portal,M-2,Zoë,2024-03-05,\n'.encode("cp1252"), id="cp1252"),
        pytest.param(b'n1,portal,M-1,"log\nin",2024-03-05,\nn2,portal,M-2,login,2024-03-05,\n', id="quoted line break"),
        pytest.param(b"b1,portal,M-1,login,2024-03-05,\n\n  \nb2,portal,M-2,login,2024-03-05,\n", id="blank lines"),
        pytest.param(b's1,portal,M-1,lo"gin,2024-03-05,\ns2,portal,M-2,"log"in,2024-03-05,\n', id="stray quotes"),
        pytest.param(b"t1,portal,M-1,login,2024-03-05,\nt2,portal,M-2,login", id="truncated last line"),
        pytest.param(b"x1,portal,M-1,login,2024-03-05,,extra\nx2,portal,M-404,login,2024-03-05,\n", id="wide line"),
        pytest.param(b"r1,portal,M-1,login,2024-03-05,\rr2,portal,M-2,login,2024-03-05,\n", id="bare carriage return"),
    ],
)
def test_csv_read_by_arrow_block_by_block_matches_the_csv_module(tmp_path, two_members, monkeypatch, tail):
    # Small blocks: the plain rows span several, and whatever follows starts in a later one.
    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", 64)
    path = tmp_path / "i.csv"
    path.write_bytes((_PLAIN_HEADER + _PLAIN_ROWS).encode() + tail)

    def outcome() -> tuple[Any, ...]:
        result = import_file("interactions", path)
        stored = sorted(Interaction.objects.values_list("external_id", "member__external_id", "kind", "occurred_at"))
        Interaction.objects.all().delete()
        rejects = [(r["_line"], r["_column"], r["_reason"], r["external_id"]) for r in rejects_of(result)]
        return result.rows_read, result.rows_created, rejects, stored, result.notes

    parsed_by_arrow: list[int] = []
    plain_table = readers._plain_table

    def counted(chunk: bytes, **options: Any) -> Any:
        table = plain_table(chunk, **options)
        parsed_by_arrow.extend([] if table is None else [table.num_rows])
        return table

    monkeypatch.setattr(readers, "_plain_table", counted)
    by_blocks = outcome()
    assert sum(parsed_by_arrow) >= 6  # at least the first blocks of plain rows went through Arrow
    monkeypatch.setattr(readers, "_data_offset", lambda path, header_lines: None)  # the csv module only
    by_module = outcome()
    assert by_blocks == by_module
    assert by_blocks[1] >= 12  # the plain rows are all kept


@pytest.mark.parametrize("zone", ["America/Chicago", "Europe/Berlin", "UTC"])
def test_csv_times_read_a_column_at_a_time_agree_with_the_row_by_row_reading(zone):
    from membersuccess.ingest import columnar

    plain = [
        "2024-12-11 10:15:57.000Z",
        "2024-12-11T10:15:57+02:00",
        "2024-12-11 10:15:57.123456-05:30",
        "2024-03-05",
        "2024-07-01 09:00",
        "2024-07-01T09:00:00.5",
    ]
    left_to_the_row_parser = [
        "2024-03-10 02:30",  # skipped by the clocks in Chicago
        "2024-11-03 01:30",  # happens twice in Chicago
        "2024-03-31 02:30",  # skipped in Berlin
        "2024-10-27 02:30",  # twice in Berlin
        " 2024-03-05",
        "05/03/2024",
        "20240305T101500",
        "",
        None,
    ]
    column = pa.array(plain + left_to_the_row_parser, pa.string())
    at_once = columnar._text_times(column, zone).to_pylist()
    one_by_one = columnar._text_times_one_by_one(column, zone).to_pylist()
    assert at_once[: len(plain)] == one_by_one[: len(plain)]
    assert None not in at_once[: len(plain)]
    for text, fast, exact in zip(column.to_pylist(), at_once, one_by_one, strict=True):
        assert fast is None or fast == exact, text
    if zone == "America/Chicago":
        assert at_once[len(plain) : len(plain) + 2] == [None, None]
    # One impossible date in the column: the whole column is read one by one, the rest unharmed.
    with_bad = pa.array([*plain, "2024-02-30"], pa.string())
    assert columnar._text_times(with_bad, zone).to_pylist() == [*one_by_one[: len(plain)], None]


@pytest.mark.django_db
def test_the_first_batch_stored_in_two_pieces_keeps_every_row_and_the_line_order_of_rejects(
    tmp_path, two_members, monkeypatch
):
    from membersuccess.ingest import services

    monkeypatch.setattr(services, "FIRST_PIECE_ROWS", 2)
    lines = [
        "a,portal,M-1,login,2024-03-05,",
        "b,portal,M-1,login,2024-03-05,-1",  # line 3: refused by the row parser
        "c,portal,M-1",  # line 4: too few cells
        "d,portal,M-404,login,2024-03-05,",  # line 5: unknown member
        "e,portal,M-2,login,2024-03-05,,x",  # line 6: too many cells
        "a,portal,M-2,login,2024-03-05,",  # line 7: repeats line 2
        "f,portal,M-2,login,2024-03-05,",
    ]
    path = tmp_path / "i.csv"
    path.write_text(_PLAIN_HEADER + "\n".join(lines) + "\n", encoding="utf-8")

    result = import_file("interactions", path)
    assert (result.rows_read, result.rows_created, result.rows_rejected) == (7, 2, 5)
    assert [int(r["_line"]) for r in rejects_of(result)] == [3, 4, 5, 6, 7]
    assert sorted(Interaction.objects.values_list("external_id", flat=True)) == ["a", "f"]


@pytest.mark.django_db
def test_rows_read_one_by_one_are_refused_in_line_order(tmp_path, two_members, monkeypatch):
    # JSON lines go row by row; the second batch repeats a stored row, then names an unknown member.
    monkeypatch.setattr(readers, "BATCH_ROWS", 2)
    base = {"source": "portal", "kind": "login", "occurred_at": "2024-03-05T10:00:00Z"}
    rows = [
        {**base, "external_id": "a", "member_id": "M-1"},
        {**base, "external_id": "b", "member_id": "M-2"},
        {**base, "external_id": "a", "member_id": "M-2"},
        {**base, "external_id": "c", "member_id": "M-404"},
    ]
    path = tmp_path / "i.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")

    result = import_file("interactions", path)
    assert (result.rows_created, result.rows_rejected) == (2, 2)
    assert [(r["_line"], r["_column"]) for r in rejects_of(result)] == [("3", "external_id"), ("4", "member_id")]
