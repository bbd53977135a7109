"""`msm import applicants FILE`: valid applicants are kept, bad ones rejected with line, column and reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from membersuccess.ingest.errors import ImportFileError
from membersuccess.ingest.services import run_import
from membersuccess.potential.models import Applicant
from tests.potential.conftest import rejects_in

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "applicants.csv"
HEADER = "external_id,name,applied_on,required_outcome,acquisition_channel,campaign,segment,attributes\n"

pytestmark = pytest.mark.django_db


def test_the_documented_example_imports_without_rejects(catalog, tmp_path: Path) -> None:
    copy = tmp_path / "applicants.csv"
    copy.write_bytes(EXAMPLE.read_bytes())
    result = run_import(kind="applicants", path=copy)
    assert (result.rows_read, result.rows_created, result.rows_rejected) == (3, 3, 0)
    mei = Applicant.objects.get(external_id="A-2")
    assert (mei.acquisition_channel, mei.campaign, mei.required_outcome.code) == (
        "paid-social", "autumn-2024", "find-a-job"
    )


def test_reimporting_the_same_file_adds_nothing(catalog, write_file: Callable[[str, str], Path]) -> None:
    path = write_file("a.csv", HEADER + "A-1,Ada,2024-05-01,find-a-job,referral,,,\n")
    run_import(kind="applicants", path=path)
    again = run_import(kind="applicants", path=path)
    assert (again.rows_created, again.rows_unchanged, Applicant.objects.count()) == (0, 1, 1)


def test_an_unknown_required_outcome_is_rejected_naming_the_known_ones(catalog, write_file) -> None:
    rows = "A-1,Ada,2024-05-01,get-rich,referral,,,\nA-2,Bo,2024-05-02,find-a-job,web,,,\n"
    path = write_file("a.csv", HEADER + rows)
    result = run_import(kind="applicants", path=path)
    [reject] = rejects_in(result.rejects_path)
    assert (reject["_line"], reject["_column"]) == ("2", "required_outcome")
    assert reject["_reason"] == "required outcome 'get-rich' is not set up (known: earn-certification, find-a-job)"
    assert list(Applicant.objects.values_list("external_id", flat=True)) == ["A-2"]


def test_an_empty_acquisition_channel_is_rejected(catalog, write_file) -> None:
    path = write_file("a.csv", HEADER + "A-1,Ada,2024-05-01,find-a-job,,,,\n")
    result = run_import(kind="applicants", path=path)
    [reject] = rejects_in(result.rejects_path)
    assert (reject["_line"], reject["_column"], reject["_reason"]) == (
        "2", "acquisition_channel", "is required but empty"
    )


def test_a_file_without_a_channel_column_is_refused_as_a_whole(catalog, write_file) -> None:
    path = write_file("a.csv", "external_id,name,applied_on,required_outcome\nA-1,Ada,2024-05-01,find-a-job\n")
    with pytest.raises(ImportFileError, match="missing required column\\(s\\) acquisition_channel"):
        run_import(kind="applicants", path=path)


def test_a_malformed_date_is_rejected_with_its_column(catalog, write_file) -> None:
    path = write_file("a.csv", HEADER + "A-1,Ada,05/01/2024,find-a-job,web,,,\n")
    result = run_import(kind="applicants", path=path)
    [reject] = rejects_in(result.rejects_path)
    assert (reject["_line"], reject["_column"]) == ("2", "applied_on")
    assert reject["_reason"].startswith("'05/01/2024' is ambiguous (day/month or month/day?)")


def test_malformed_attributes_json_is_rejected(catalog, declared, write_file) -> None:
    path = write_file("a.csv", HEADER + 'A-1,Ada,2024-05-01,find-a-job,web,,,"{years: 3"\n')
    result = run_import(kind="applicants", path=path)
    [reject] = rejects_in(result.rejects_path)
    assert reject["_column"] == "attributes"
    assert reject["_reason"].startswith("is not valid JSON")


def test_an_undeclared_attribute_is_rejected_naming_the_declared_ones(catalog, declared, write_file) -> None:
    path = write_file("a.csv", HEADER + 'A-1,Ada,2024-05-01,find-a-job,web,,,"{""shoe_size"": 9}"\n')
    result = run_import(kind="applicants", path=path)
    [reject] = rejects_in(result.rejects_path)
    assert reject["_column"] == "attributes"
    assert reject["_reason"] == (
        "attribute 'shoe_size' is not declared (declared: career_stage, employer_pays, years_experience)"
    )


def test_a_number_attribute_that_is_not_a_number_is_rejected(catalog, declared, write_file) -> None:
    path = write_file("a.csv", HEADER + 'A-1,Ada,2024-05-01,find-a-job,web,,,"{""years_experience"": ""many""}"\n')
    result = run_import(kind="applicants", path=path)
    [reject] = rejects_in(result.rejects_path)
    assert reject["_reason"] == "attribute 'years_experience' must be a number, not 'many'"


def test_extra_columns_are_read_as_declared_attributes(catalog, declared, write_file) -> None:
    path = write_file(
        "a.csv",
        "external_id,name,applied_on,required_outcome,acquisition_channel,career_stage,employer_pays\n"
        "A-1,Ada,2024-05-01,find-a-job,web,early,yes\n",
    )
    run_import(kind="applicants", path=path)
    assert Applicant.objects.get().attributes == {"career_stage": "early", "employer_pays": True}


def test_a_value_outside_a_declared_list_is_rejected(catalog, declared, write_file) -> None:
    path = write_file(
        "a.csv",
        "external_id,name,applied_on,required_outcome,acquisition_channel,career_stage\n"
        "A-1,Ada,2024-05-01,find-a-job,web,retired\n",
    )
    result = run_import(kind="applicants", path=path)
    [reject] = rejects_in(result.rejects_path)
    assert reject["_reason"] == "attribute 'career_stage' is 'retired'; use one of student, early, senior"
