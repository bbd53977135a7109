"""Saved column mappings: what makes one valid, and files with an organization's own headers importing through one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from typer.testing import CliRunner

from membersuccess.cli import app
from membersuccess.ingest.errors import ImportFileError
from membersuccess.ingest.kinds import KINDS
from membersuccess.ingest.mappings import (
    MappingError,
    column_mapping_save,
    import_with_mapping,
    mapping_problems,
    saved_mapping,
)
from membersuccess.ingest.models import ColumnMapping, ImportRun
from membersuccess.ingest.spec import map_header
from membersuccess.members.models import Member, MembershipTerm

RAISERS_EDGE = {"external_id": "Constituent Code", "name": "Display Name", "joined_on": "Member Since Date"}
RAISERS_EDGE_FILE = (
    "Constituent Code,Display Name,Member Since Date,Town\n"
    "RE-1,Ada Okafor,2023-02-14,Leeds\n"
    "RE-2,Bo Lindqvist,2024-01-09,Oslo\n"
)


def messages(problems) -> list[str]:
    return [p.message for p in problems]


# What makes a mapping valid ---------------------------------------------------------------


def test_a_mapping_naming_every_required_column_is_valid():
    pairs = [(label, column) for column, label in RAISERS_EDGE.items()]
    assert mapping_problems(kind="members", pairs=pairs) == []


def test_a_target_that_is_not_one_of_our_columns_is_refused():
    pairs = [*((label, column) for column, label in RAISERS_EDGE.items()), ("Giving Level", "giving_level")]
    [problem] = mapping_problems(kind="members", pairs=pairs)
    assert "'giving_level' (for the label 'Giving Level') is not a column of members files" in problem.message
    assert "external_id, name, joined_on" in problem.message


def test_the_same_label_for_two_columns_is_refused():
    pairs = [("Constituent Code", "external_id"), ("Display Name", "name"), ("Display Name", "email"),
             ("Member Since Date", "joined_on")]
    [problem] = mapping_problems(kind="members", pairs=pairs)
    assert problem.column == "email"
    assert problem.message == "The label 'Display Name' is already given for name; one label can feed only one column."


def test_labels_that_differ_only_in_case_spaces_or_underscores_are_the_same_label():
    pairs = [("Constituent Code", "external_id"), ("Display Name", "name"), ("display_name", "city"),
             ("Member Since Date", "joined_on")]
    [problem] = mapping_problems(kind="members", pairs=pairs)
    assert "(as 'Display Name'; case, spaces, - and _ do not count)" in problem.message


def test_a_required_column_without_a_label_is_refused():
    pairs = [("Constituent Code", "external_id"), ("Display Name", "name")]
    [problem] = mapping_problems(kind="members", pairs=pairs)
    assert problem.column == "joined_on"
    assert problem.message.startswith("joined_on is required: give the label your export uses for it")


def test_an_unknown_kind_is_refused():
    [problem] = mapping_problems(kind="donations", pairs=[])
    assert "'donations' is not a kind of import file" in problem.message


@pytest.mark.django_db
def test_the_model_validates_its_mapping_for_the_admin():
    mapping = ColumnMapping(name="Broken", kind="members", mapping={"Constituent Code": "constituent"})
    with pytest.raises(ValidationError) as caught:
        mapping.full_clean()
    errors = caught.value.message_dict["mapping"]
    assert any("'constituent' (for the label 'Constituent Code') is not a column" in e for e in errors)
    assert any(e.startswith("name is required") for e in errors)


@pytest.mark.django_db
def test_the_model_refuses_a_mapping_that_is_not_an_object():
    mapping = ColumnMapping(name="Broken", kind="members", mapping=["external_id"])
    with pytest.raises(ValidationError) as caught:
        mapping.full_clean()
    assert "must be an object of their labels and our columns" in caught.value.message_dict["mapping"][0]


@pytest.mark.django_db
def test_saving_keeps_their_labels_trimmed_and_leaves_blank_columns_out():
    saved = column_mapping_save(
        kind="members", name=" Raiser's Edge ",
        labels={"external_id": " Constituent Code ", "name": "Display Name", "joined_on": "Member Since Date",
                "email": ""},
    )
    assert saved.name == "Raiser's Edge"
    assert saved.mapping == {
        "Constituent Code": "external_id", "Display Name": "name", "Member Since Date": "joined_on",
    }


@pytest.mark.django_db
def test_a_name_is_unique_within_a_kind_but_not_across_kinds():
    column_mapping_save(kind="members", name="AMS export", labels=RAISERS_EDGE)
    with pytest.raises(ValidationError) as caught:
        column_mapping_save(kind="members", name="AMS export", labels=RAISERS_EDGE)
    assert caught.value.message_dict["name"] == [
        "A members mapping named 'AMS export' already exists; choose another name or edit that one."
    ]
    column_mapping_save(
        kind="memberships", name="AMS export",
        labels={"external_id": "Invoice No", "member_id": "CustomerNo", "start_on": "From", "end_on": "To"},
    )
    assert ColumnMapping.objects.filter(name="AMS export").count() == 2


@pytest.mark.django_db
def test_saving_an_invalid_mapping_stores_nothing():
    with pytest.raises(ValidationError) as caught:
        column_mapping_save(kind="members", name="Half", labels={"external_id": "Constituent Code"})
    assert any("name is required" in e for e in caught.value.message_dict["mapping"])
    assert not ColumnMapping.objects.exists()


# Reading a header through a mapping --------------------------------------------------------


def test_map_header_reads_their_labels_as_our_columns():
    saved = {label: column for column, label in RAISERS_EDGE.items()}
    labels = ["Constituent Code", "Display Name", "Member Since Date", "Town"]
    header = map_header(labels, KINDS["members"], saved=saved)
    assert {label: column.name for label, column in header.by_label.items()} == {
        "Constituent Code": "external_id", "Display Name": "name", "Member Since Date": "joined_on",
    }
    assert header.missing == []
    assert header.extras == ["Town"]


def test_without_the_mapping_the_same_header_misses_required_columns():
    header = map_header(["Constituent Code", "Display Name", "Member Since Date"], KINDS["members"])
    assert header.missing == ["external_id", "name", "joined_on"]


# Importing through a mapping ----------------------------------------------------------------


@pytest.fixture
def raisers_edge(db) -> ColumnMapping:
    return column_mapping_save(kind="members", name="Raiser's Edge", labels=RAISERS_EDGE)


def test_a_file_with_their_headers_imports_through_the_saved_mapping(raisers_edge, tmp_path: Path):
    path = tmp_path / "constituents.csv"
    path.write_text(RAISERS_EDGE_FILE, encoding="utf-8")
    result = import_with_mapping(kind="members", path=path, mapping=raisers_edge)
    assert (result.rows_read, result.rows_created, result.rows_rejected) == (2, 2, 0)
    ada = Member.objects.get(external_id="RE-1")
    assert (ada.name, ada.joined_on) == ("Ada Okafor", date(2023, 2, 14))
    assert result.run_id is not None
    run = ImportRun.objects.get(pk=result.run_id)
    assert run.mapping_name == "Raiser's Edge"
    assert run.notes == ["unknown column(s) Town kept in attributes"]


def test_the_same_file_without_the_mapping_is_refused_naming_the_missing_columns(raisers_edge, tmp_path: Path):
    path = tmp_path / "constituents.csv"
    path.write_text(RAISERS_EDGE_FILE, encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        import_with_mapping(kind="members", path=path)
    assert "missing required column(s) external_id, name, joined_on" in caught.value.reason
    assert not Member.objects.exists()


def test_an_excel_file_with_their_headers_imports_through_the_saved_mapping(raisers_edge, tmp_path: Path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Constituent Code", "Display Name", "Member Since Date"])
    sheet.append(["RE-1", "Ada Okafor", "2023-02-14"])
    path = tmp_path / "constituents.xlsx"
    workbook.save(path)
    result = import_with_mapping(kind="members", path=path, mapping=raisers_edge)
    assert result.rows_created == 1


@pytest.mark.django_db
def test_customer_number_style_headers_import_memberships(tmp_path: Path):
    Member.objects.create(external_id="C-77", name="Ada Okafor", joined_on=date(2023, 1, 5))
    mapping = column_mapping_save(
        kind="memberships", name="Finance system",
        labels={"external_id": "Invoice No", "member_id": "CustomerNo", "start_on": "Period Start",
                "end_on": "Period End", "dues": "Amount Paid"},
    )
    path = tmp_path / "invoices.csv"
    path.write_text(
        "Invoice No,CustomerNo,Period Start,Period End,Amount Paid\nINV-1,C-77,2024-01-01,2024-12-31,250.00\n",
        encoding="utf-8",
    )
    result = import_with_mapping(kind="memberships", path=path, mapping=mapping)
    assert result.rows_created == 1
    term = MembershipTerm.objects.get(external_id="INV-1")
    assert (term.member.external_id, str(term.dues)) == ("C-77", "250.00")


def test_a_mapping_for_another_kind_is_refused_before_anything_is_read(raisers_edge, tmp_path: Path):
    with pytest.raises(MappingError, match="the mapping \"Raiser's Edge\" is for members files, not interactions"):
        import_with_mapping(kind="interactions", path=tmp_path / "x.csv", mapping=raisers_edge)
    assert not ImportRun.objects.exists()


def test_a_failed_import_records_the_mapping_it_tried(raisers_edge, tmp_path: Path):
    path = tmp_path / "constituents.csv"
    path.write_text("Constituent Code,Display Name\nRE-1,Ada\n", encoding="utf-8")
    with pytest.raises(ImportFileError):
        import_with_mapping(kind="members", path=path, mapping=raisers_edge)
    run = ImportRun.objects.get()
    assert (run.status, run.mapping_name) == (ImportRun.Status.FAILED, "Raiser's Edge")
    assert "missing required column(s) joined_on" in run.error


def test_looking_up_an_unknown_name_lists_the_saved_ones(raisers_edge):
    with pytest.raises(MappingError) as caught:
        saved_mapping(kind="members", name="Salesforce")
    assert str(caught.value) == "no members mapping named 'Salesforce' (saved members mappings: Raiser's Edge)"
    with pytest.raises(MappingError) as caught:
        saved_mapping(kind="tickets", name="Raiser's Edge")
    assert str(caught.value) == (
        "no tickets mapping named \"Raiser's Edge\" (no tickets mapping is saved yet); "
        "\"Raiser's Edge\" is a mapping for members files"
    )


# msm import --mapping -----------------------------------------------------------------------

runner = CliRunner()


@pytest.mark.django_db(transaction=True)
def test_cli_imports_through_a_saved_mapping(tmp_path: Path):
    column_mapping_save(kind="members", name="RE", labels=RAISERS_EDGE)
    path = tmp_path / "constituents.csv"
    path.write_text(RAISERS_EDGE_FILE, encoding="utf-8")
    result = runner.invoke(app, ["import", "members", str(path), "--mapping", "RE"])
    assert result.exit_code == 0, result.output
    assert sorted(Member.objects.values_list("external_id", flat=True)) == ["RE-1", "RE-2"]
    assert ImportRun.objects.get().mapping_name == "RE"


@pytest.mark.django_db(transaction=True)
def test_cli_with_an_unknown_mapping_says_so_in_one_line_and_exits_2(tmp_path: Path):
    path = tmp_path / "constituents.csv"
    path.write_text(RAISERS_EDGE_FILE, encoding="utf-8")
    result = runner.invoke(app, ["import", "members", str(path), "--mapping", "Nope"])
    assert result.exit_code == 2
    assert result.output.strip() == "error: no members mapping named 'Nope' (no members mapping is saved yet)"
    assert not Member.objects.exists()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_cli_with_a_mapping_and_an_unknown_kind_names_the_kinds(tmp_path: Path):
    result = runner.invoke(app, ["import", "donations", str(tmp_path / "x.csv"), "--mapping", "RE"])
    assert result.exit_code == 2
    assert "unknown kind 'donations'; use one of members, memberships" in result.output
