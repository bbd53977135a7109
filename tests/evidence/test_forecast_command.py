"""`msm forecast retention --cohort FILE`: fitted parameters, projected retention and lifetime value;
a file that cannot be a cohort ends with its line and column and exit code 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from membersuccess.cli import app

runner = CliRunner()
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]


def cohort_file(tmp_path, text: str, name: str = "cohort.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def regular_file(tmp_path):
    rows = "".join(f"{t},{n}\n" for t, n in enumerate(REGULAR))
    return cohort_file(tmp_path, "period,active\n" + rows)


def test_json_has_the_fitted_parameters_retention_and_lifetime_value(tmp_path):
    result = runner.invoke(app, ["forecast", "retention", "--cohort", str(regular_file(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["alpha"] == pytest.approx(0.704, abs=0.001)
    assert data["beta"] == pytest.approx(1.182, abs=0.001)
    assert [p["period"] for p in data["retention"]] == list(range(11))  # the default horizon is 10
    assert data["retention"][7]["observed"] == pytest.approx(0.241)
    assert data["retention"][8]["observed"] is None
    # Dues default to 1 for a file, so lifetime value is in periods of dues: 3.69 at 10% (hand-summed series).
    assert data["lifetime_value"] == pytest.approx(3.695, abs=0.001)


def test_dues_and_discount_rate_scale_lifetime_value(tmp_path):
    path = str(regular_file(tmp_path))
    base = json.loads(runner.invoke(app, ["forecast", "retention", "--cohort", path, "--json"]).stdout)
    paid = json.loads(
        runner.invoke(app, ["forecast", "retention", "--cohort", path, "--dues", "200", "--json"]).stdout
    )
    cheaper_money = json.loads(
        runner.invoke(app, ["forecast", "retention", "--cohort", path, "--discount-rate", "0.05", "--json"]).stdout
    )
    assert paid["lifetime_value"] == pytest.approx(200 * base["lifetime_value"])
    assert cheaper_money["lifetime_value"] > base["lifetime_value"]


def test_horizon_sets_how_many_periods_are_projected(tmp_path):
    result = runner.invoke(
        app, ["forecast", "retention", "--cohort", str(regular_file(tmp_path)), "--horizon", "3", "--json"]
    )
    assert [p["period"] for p in json.loads(result.stdout)["retention"]] == [0, 1, 2, 3]


def test_the_table_shows_parameters_and_lifetime_value(tmp_path):
    result = runner.invoke(app, ["forecast", "retention", "--cohort", str(regular_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "alpha 0.704, beta 1.182" in result.output
    assert "Lifetime value of a member joining now: 3.69" in result.output


def test_rows_may_come_in_any_order(tmp_path):
    path = cohort_file(tmp_path, "active,period\n468,2\n1000,0\n631,1\n")
    result = runner.invoke(app, ["forecast", "retention", "--cohort", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["retention"][2]["observed"] == pytest.approx(0.468)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("period,members\n0,10\n1,5\n", "line 1, column 'active': missing column 'active'"),
        ("period,active\n0,100\n1,80\n2,90\n", "line 4, column 'active': 90 active is more than the 80 in period 1"),
        ("period,active\n0,0\n1,0\n", "line 2, column 'active': period 0 has no members"),
        ("period,active\n0,100\n1,eighty\n", "line 3, column 'active': 'eighty' is not a number"),
        ("period,active\n0,100\n1,80.5\n", "line 3, column 'active': '80.5' is not a whole number"),
        ("period,active\n0,100\n2,80\n", "line 3, column 'period': periods must run 0, 1, 2"),
        ("period,active\n0,100\n", "needs at least two rows"),
        ("period,active\n0,100\n1,-3\n", "line 3, column 'active': -3 is negative"),
        ("period,active\n0,100\n1,\n", "line 3, column 'active': is empty"),
    ],
    ids=["missing-column", "non-monotone", "zero-first-period", "non-numeric", "fraction", "gap", "one-row",
         "negative", "empty-cell"],
)
def test_bad_cohort_files_name_line_and_column_and_exit_2(tmp_path, text, message):
    path = cohort_file(tmp_path, text)
    result = runner.invoke(app, ["forecast", "retention", "--cohort", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.stderr
    assert message in " ".join(result.stderr.split())


def test_a_missing_file_is_one_line(tmp_path):
    result = runner.invoke(app, ["forecast", "retention", "--cohort", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_a_cohort_where_nobody_lapsed_says_so(tmp_path):
    path = cohort_file(tmp_path, "period,active\n0,100\n1,100\n2,100\n")
    result = runner.invoke(app, ["forecast", "retention", "--cohort", str(path)])
    assert result.exit_code == 2
    assert "no member lapsed" in result.stderr


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--discount-rate", "0", "discount rate must be above 0"),
    ("--horizon", "0", "--horizon must be at least 1"),
    ("--dues", "-5", "--dues must not be negative"),
])
def test_bad_options_are_one_line(tmp_path, option, value, message):
    result = runner.invoke(app, ["forecast", "retention", "--cohort", str(regular_file(tmp_path)), option, value])
    assert result.exit_code == 2
    assert message in result.stderr
