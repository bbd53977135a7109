"""Each kind of bad input gets a clear error naming line, column and reason; valid rows are kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from membersuccess.ingest.errors import ImportFileError
from membersuccess.interactions.models import Interaction, SupportTicket
from membersuccess.members.models import Member
from tests.ingest.conftest import import_file, rejects_of

pytestmark = pytest.mark.django_db

HEADER = "external_id,source,member_id,kind,occurred_at,value\n"


def only_reject(result):
    (reject,) = rejects_of(result)
    return reject


def test_windows_1252_file_is_read(write_file):
    path = write_file("m.csv", "external_id,name,joined_on\nM-9,Zoë Brontë,2023-01-05\n".encode("cp1252"))
    result = import_file("members", path)
    assert result.rows_created == 1
    assert Member.objects.get().name == "Zoë Brontë"
    assert any("Windows-1252" in note for note in result.notes)


def test_utf8_bom_does_not_hide_the_first_column(write_file):
    path = write_file("m.csv", "\ufeffexternal_id,name,joined_on\nM-9,Zoë,2023-01-05\n".encode())
    assert import_file("members", path).rows_created == 1


def test_mixed_encodings_are_decoded_line_by_line(write_file):
    content = (
        b"external_id,name,joined_on\n"
        + "M-1,Zoë,2023-01-05\n".encode()
        + "M-2,Renée,2023-01-06\n".encode("cp1252")
    )
    import_file("members", write_file("m.csv", content))
    assert sorted(Member.objects.values_list("name", flat=True)) == ["Renée", "Zoë"]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters(write_file, delimiter):
    text = "external_id,name,joined_on\nM-1,Ada,2023-01-05\n".replace(",", delimiter)
    assert import_file("members", write_file("m.csv", text)).rows_created == 1


def test_quoted_newlines_stay_in_the_cell_and_line_numbers_stay_true(two_members, write_file):
    text = (
        "external_id,member_id,opened_at,subject\n"
        'T-1,M-1,2024-01-01T10:00:00Z,"Two\nline subject"\n'
        "T-2,M-404,2024-01-02T10:00:00Z,unknown member\n"
    )
    result = import_file("tickets", write_file("t.csv", text))
    assert SupportTicket.objects.get().subject == "Two\nline subject"
    assert only_reject(result)["_line"] == "4"


def test_truncated_last_line_is_rejected_and_the_rest_kept(two_members, write_file):
    text = HEADER + "1,events,M-1,event_attended,2024-03-05T18:00:00Z,1\n2,events,M-1,event_att"
    result = import_file("interactions", write_file("i.csv", text))
    assert result.rows_created == 1
    reject = only_reject(result)
    assert reject["_line"] == "3"
    assert "truncated" in reject["_reason"]


def test_empty_file_is_an_error(write_file):
    with pytest.raises(ImportFileError, match="empty"):
        import_file("members", write_file("m.csv", ""))


def test_header_only_imports_nothing_and_says_so(write_file):
    result = import_file("members", write_file("m.csv", "external_id,name,joined_on\n"))
    assert result.rows_read == 0
    assert "header but no rows" in " ".join(result.notes)


def test_missing_required_column_names_it(write_file):
    with pytest.raises(ImportFileError, match=r"missing required column.*joined_on"):
        import_file("members", write_file("m.csv", "external_id,name\nM-1,Ada\n"))


def test_unknown_extra_columns_are_kept_in_attributes(two_members, write_file):
    text = "external_id,source,member_id,kind,occurred_at,Room\n1,events,M-1,event_attended,2024-03-05,B12\n"
    result = import_file("interactions", write_file("i.csv", text))
    assert Interaction.objects.get().attributes == {"Room": "B12"}
    assert "Room" in " ".join(result.notes)


def test_duplicate_external_id_in_one_file_is_rejected(two_members, write_file):
    text = HEADER + "1,events,M-1,event_attended,2024-03-05,\n1,events,M-2,event_attended,2024-03-06,\n"
    result = import_file("interactions", write_file("i.csv", text))
    reject = only_reject(result)
    assert (reject["_line"], reject["_column"]) == ("3", "external_id")
    assert "earlier in this file" in reject["_reason"]
    assert Interaction.objects.get().member.external_id == "M-1"


def test_unknown_member_is_rejected_with_advice(two_members, write_file):
    result = import_file("interactions", write_file("i.csv", HEADER + "1,events,M-404,login,2024-03-05,\n"))
    reject = only_reject(result)
    assert reject["_column"] == "member_id"
    assert "'M-404' is not known (import members first)" in reject["_reason"]


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("03/04/2024", "ambiguous"),
        ("yesterday", "not an ISO 8601 timestamp"),
        ("2024-02-30", "not an ISO 8601 timestamp"),
    ],
)
def test_unparseable_and_ambiguous_dates(two_members, write_file, cell, reason):
    result = import_file("interactions", write_file("i.csv", HEADER + f"1,events,M-1,login,{cell},\n"))
    reject = only_reject(result)
    assert reject["_column"] == "occurred_at"
    assert reason in reject["_reason"]


def test_timestamps_with_and_without_zone(two_members, write_file, settings):
    settings.TIME_ZONE = "America/New_York"
    text = HEADER + "1,portal,M-1,login,2024-07-01T12:00:00+02:00,\n2,portal,M-1,login,2024-07-01 12:00:00,\n"
    import_file("interactions", write_file("i.csv", text))
    by_id = {i.external_id: i.occurred_at.astimezone(UTC).hour for i in Interaction.objects.all()}
    assert by_id == {"1": 10, "2": 16}


def test_dates_far_in_the_future_are_rejected(two_members, write_file):
    future = (datetime.now(UTC) + timedelta(days=400)).date().isoformat()
    result = import_file("interactions", write_file("i.csv", HEADER + f"1,portal,M-1,login,{future},\n"))
    assert "in the future" in only_reject(result)["_reason"]


@pytest.mark.parametrize(("cell", "reason"), [("-3", "below the minimum"), ("three", "not a number")])
def test_negative_or_non_numeric_values(two_members, write_file, cell, reason):
    path = write_file("i.csv", HEADER + f"1,lms,M-1,course_completed,2024-01-01,{cell}\n")
    result = import_file("interactions", path)
    reject = only_reject(result)
    assert (reject["_column"], reason in reject["_reason"]) == ("value", True)


def test_very_long_strings_are_rejected(write_file):
    result = import_file("members", write_file("m.csv", f"external_id,name,joined_on\nM-1,{'x' * 5000},2023-01-05\n"))
    reject = only_reject(result)
    assert reject["_column"] == "name"
    assert "5000 characters" in reject["_reason"]


def test_control_characters_are_rejected(write_file):
    result = import_file("members", write_file("m.csv", "external_id,name,joined_on\nM-1,Ada\x07,2023-01-05\n"))
    assert "U+0007" in only_reject(result)["_reason"]


def test_html_in_text_is_kept_verbatim_as_data(write_file):
    payload = "<script>alert('x')</script>"
    import_file("members", write_file("m.csv", f'external_id,name,joined_on\nM-1,"{payload}",2023-01-05\n'))
    assert Member.objects.get().name == payload


@pytest.mark.parametrize("cell", ["=SUM(A1:A2)", "+1", "-1", "@cmd"])
def test_formula_looking_cells_are_kept_as_data_and_escaped_in_rejects(write_file, cell):
    text = f"external_id,name,joined_on,city\nM-1,Ada,2023-01-05,{cell}\nM-2,{cell},not-a-date,\n"
    result = import_file("members", write_file("m.csv", text))
    assert Member.objects.get().city == cell
    assert only_reject(result)["name"] == "'" + cell


def test_term_ending_before_it_starts_is_rejected(two_members, write_file):
    text = "external_id,member_id,start_on,end_on\nT-1,M-1,2024-01-01,2023-01-01\n"
    reject = only_reject(import_file("memberships", write_file("t.csv", text)))
    assert reject["_column"] == "end_on"


def test_nps_out_of_range_is_rejected(two_members, write_file):
    text = "external_id,member_id,responded_at,score\nN-1,M-1,2024-01-01,11\n"
    assert "above the maximum" in only_reject(import_file("surveys", write_file("s.csv", text)))["_reason"]


def test_unknown_file_type_is_an_error(write_file):
    with pytest.raises(ImportFileError, match="unknown file type"):
        import_file("members", write_file("m.doc", "x"))


def test_unknown_kind_is_an_error(write_file):
    with pytest.raises(ImportFileError, match="unknown kind"):
        import_file("donors", write_file("m.csv", "a\n1\n"))
