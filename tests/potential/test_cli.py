"""`msm potential train`: the model's cross-validated AUC on one line, or why it cannot be trained (exit 2)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from membersuccess.potential.cli import app
from membersuccess.potential.models import FitModel
from tests.potential.helpers import make_history

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


def test_train_prints_the_cross_validated_auc_and_the_bands() -> None:
    make_history(planted=True)
    result = runner.invoke(app, ["train", "--as-of", "2025-06-01"])
    assert result.exit_code == 0, result.output
    assert "Fit model as of 2025-06-01: cross-validated AUC" in result.output
    assert "learned from 150 members" in result.output
    assert FitModel.objects.count() == 1


def test_train_json_is_one_document() -> None:
    make_history(planted=True)
    result = runner.invoke(app, ["train", "--as-of", "2025-06-01", "--json"])
    body = json.loads(result.stdout)
    assert body["members_used"] == 150 and body["cv_auc"] > 0.7
    assert sum(body["member_fits"].values()) == 150


def test_too_little_history_exits_2_with_the_reason() -> None:
    result = runner.invoke(app, ["train", "--as-of", "2025-06-01"])
    assert result.exit_code == 2
    assert "cannot train the fit model as of 2025-06-01: 0 members with a known first year" in result.output


def test_a_bad_date_exits_2() -> None:
    result = runner.invoke(app, ["train", "--as-of", "June"])
    assert result.exit_code == 2
    assert "--as-of 'June' is not an ISO 8601 date" in result.output
