"""`msm report executive`: writes HTML or PDF; bad input ends with one clear line and exit 2."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from membersuccess.cli import app
from tests.evidence.report.conftest import AS_OF
from tests.factories import make_member

runner = CliRunner()
pytestmark = pytest.mark.django_db


def invoke(*args: str):
    return runner.invoke(app, ["report", "executive", *args])


def test_the_report_is_written_as_pdf(small_association, tmp_path):
    result = invoke("--as-of", str(AS_OF), "--out", str(tmp_path / "board.pdf"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "board.pdf").read_bytes().startswith(b"%PDF-")


def test_an_unknown_extension_is_refused(small_association, tmp_path):
    result = invoke("--as-of", str(AS_OF), "--out", str(tmp_path / "board.docx"))
    assert result.exit_code == 2
    assert "unknown extension '.docx'; use .html or .pdf" in result.output
    assert not (tmp_path / "board.docx").exists()


def test_a_missing_folder_is_refused_before_any_work(small_association, tmp_path):
    result = invoke("--as-of", str(AS_OF), "--out", str(tmp_path / "nowhere" / "board.pdf"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_without_write_permission_is_refused(small_association, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = invoke("--as-of", str(AS_OF), "--out", str(locked / "board.pdf"))
    assert result.exit_code == 2
    assert "cannot write there" in result.output


def test_a_folder_given_as_the_file_is_refused(small_association, tmp_path):
    (tmp_path / "board.html").mkdir()
    result = invoke("--as-of", str(AS_OF), "--out", str(tmp_path / "board.html"))
    assert result.exit_code == 2
    assert "is a folder" in result.output


def test_a_date_in_the_future_is_refused(small_association, tmp_path):
    tomorrow = timezone.localdate() + timedelta(days=1)
    result = invoke("--as-of", str(tomorrow), "--out", str(tmp_path / "board.html"))
    assert result.exit_code == 2
    assert f"--as-of {tomorrow} is in the future" in result.output


def test_a_date_before_any_data_is_refused(small_association, tmp_path):
    result = invoke("--as-of", "2001-01-01", "--out", str(tmp_path / "board.html"))
    assert result.exit_code == 2
    assert "--as-of 2001-01-01 is before any data: the first member joined on 2022-09-01" in result.output


def test_a_database_without_members_is_refused(db, tmp_path):
    result = invoke("--as-of", str(AS_OF), "--out", str(tmp_path / "board.html"))
    assert result.exit_code == 2
    assert "there are no members yet" in result.output


def test_a_malformed_date_is_refused(tmp_path):
    result = invoke("--as-of", "30/06/2024", "--out", str(tmp_path / "board.html"))
    assert result.exit_code == 2
    assert "use YYYY-MM-DD" in result.output


def test_the_out_option_is_required():
    result = invoke("--as-of", str(AS_OF))
    assert result.exit_code == 2
    assert "--out" in result.output


def test_one_member_alone_still_gives_a_readable_report(db, tmp_path):
    make_member(name="Only One", joined_on=date(2024, 1, 1))
    result = invoke("--as-of", str(AS_OF), "--out", str(tmp_path / "board.html"))
    assert result.exit_code == 0, result.output
    assert "<h2>Member and dues retention</h2>" in (tmp_path / "board.html").read_text(encoding="utf-8")
