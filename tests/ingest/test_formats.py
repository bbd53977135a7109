"""Excel, Parquet and JSON lines go through the same rules as CSV."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from membersuccess.interactions.models import Interaction
from membersuccess.members.models import Member
from tests.ingest.conftest import import_file, rejects_of

pytestmark = pytest.mark.django_db


def test_xlsx_with_a_title_row_and_several_sheets(tmp_path):
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Read me"
    notes.append(["This export was made for the membership team"])
    sheet = workbook.create_sheet("Members")
    sheet.append(["Members export, March"])
    sheet.append([])
    sheet.append(["Member ID", "Name", "Joined On"])
    sheet.append([1001, "Ada Okafor", date(2023, 1, 5)])
    sheet.append(["1002", "Bo Lindqvist", "2024-02-01"])
    path = tmp_path / "members.xlsx"
    workbook.save(path)
    result = import_file("members", path)
    assert result.rows_created == 2
    assert sorted(Member.objects.values_list("external_id", flat=True)) == ["1001", "1002"]
    assert any("row 3" in note for note in result.notes)


def test_xlsx_without_the_header_names_the_sheets(tmp_path):
    workbook = Workbook()
    workbook.active.append(["nothing", "here"])
    path = tmp_path / "members.xlsx"
    workbook.save(path)
    with pytest.raises(Exception, match="no sheet has the expected header"):
        import_file("members", path)


def test_parquet_with_wrong_column_types_rejects_rows_with_reasons(tmp_path, two_members):
    table = pa.table(
        {
            "external_id": ["1", "2"],
            "source": ["events", "events"],
            "member_id": ["M-1", "M-1"],
            "kind": ["event_attended", "event_attended"],
            "occurred_at": ["2024-03-05T10:00:00Z", "last tuesday"],
            "value": [True, None],
        }
    )
    path = tmp_path / "i.parquet"
    pq.write_table(table, path)
    result = import_file("interactions", path)
    reasons = {(r["_line"], r["_column"]) for r in rejects_of(result)}
    assert reasons == {("1", "value"), ("2", "occurred_at")}
    assert Interaction.objects.count() == 0


def test_parquet_typed_columns_import(tmp_path, two_members):
    from datetime import UTC, datetime

    table = pa.table(
        {
            "external_id": ["1"],
            "source": ["lms"],
            "member_id": ["M-2"],
            "kind": ["course_completed"],
            "occurred_at": pa.array([datetime(2024, 3, 5, 10, tzinfo=UTC)], pa.timestamp("us", tz="UTC")),
            "value": [2.5],
        }
    )
    path = tmp_path / "i.parquet"
    pq.write_table(table, path)
    assert import_file("interactions", path).rows_created == 1
    assert Interaction.objects.get().value == 2.5


def test_json_lines_with_a_broken_line(tmp_path, two_members):
    path = tmp_path / "i.jsonl"
    path.write_text(
        '{"external_id": "1", "source": "portal", "member_id": "M-1", "kind": "login", "occurred_at": "2024-01-01"}\n'
        '{"external_id": "2", "source": "portal", \n'
    )
    result = import_file("interactions", path)
    assert result.rows_created == 1
    (reject,) = rejects_of(result)
    assert reject["_line"] == "2"
    assert "not valid JSON" in reject["_reason"]
