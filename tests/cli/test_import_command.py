"""`msm import`: a summary, the rejects file, and an exit code that says whether anything came in."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from membersuccess.cli import app
from membersuccess.members.models import Member

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


def test_import_prints_a_summary_and_the_rejects_path(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("external_id,name,joined_on\nM-1,Ada,2023-01-05\nM-2,Bo,05/01/2023\n")
    result = runner.invoke(app, ["import", "members", str(path)])
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    assert "members.csv.rejects.csv" in result.output
    assert Member.objects.count() == 1


def test_rejects_option_chooses_where_rejects_go(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("external_id,name,joined_on\nM-1,Ada,2023-01-05\nM-2,Bo,never\n")
    target = tmp_path / "out" / "bad-rows.csv"
    result = runner.invoke(app, ["import", "members", str(path), "--rejects", str(target)])
    assert result.exit_code == 0
    assert "_reason" in target.read_text()


def test_nothing_imported_exits_1(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("external_id,name,joined_on\nM-1,Ada,not a date\n")
    result = runner.invoke(app, ["import", "members", str(path)])
    assert result.exit_code == 1
    assert "nothing was imported" in result.output


def test_unreadable_file_exits_2_with_one_line(tmp_path):
    result = runner.invoke(app, ["import", "members", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2
    assert "missing.csv: no such file" in result.output
