"""`msm score`: a summary by status and flag; a bad date or a busy lock ends with one line and exit 2."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from membersuccess.cli import app
from membersuccess.scoring.models import ScoreRun
from membersuccess.scoring.services import scoring_lock

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


def test_score_prints_members_by_status_and_flag(association):
    result = runner.invoke(app, ["score", "--as-of", "2024-06-30"])
    assert result.exit_code == 0, result.output
    assert "members scored" in result.output and "off track" in result.output
    assert "flagged quiet" in result.output
    assert ScoreRun.objects.get().status == ScoreRun.Status.COMPLETED


def test_a_bad_date_is_one_line():
    result = runner.invoke(app, ["score", "--as-of", "30/06/2024"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in str(result.exception) + result.output


def test_busy_lock_exits_2(association):
    with scoring_lock():
        result = runner.invoke(app, ["score", "--as-of", "2024-06-30"])
    assert result.exit_code == 2
    assert "another scoring run is in progress" in result.output
