"""`msm forecast retention` on the database: one fit for all members from the join-year cohorts, one per
segment, lifetime value in each group's own average dues."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from membersuccess.cli import app
from membersuccess.evidence.retention import fit_sbg
from tests.evidence.cohort_factories import plant_cohort
from tests.factories import make_segment

pytestmark = pytest.mark.django_db
runner = CliRunner()
# Survivors of two join years in two segments, observed for 3 and 2 renewals as of mid-2025.
STUDENTS_2021 = [60, 30, 22, 18]
STUDENTS_2022 = [50, 26, 19]
REGULAR_2021 = [80, 68, 60, 55]
REGULAR_2022 = [70, 61, 55]


@pytest.fixture
def association():
    students, regular = make_segment(name="Students"), make_segment(name="Regular")
    plant_cohort(joined=date(2021, 4, 1), survivors=STUDENTS_2021, segment=students, dues="60")
    plant_cohort(joined=date(2022, 4, 1), survivors=STUDENTS_2022, segment=students, dues="60")
    plant_cohort(joined=date(2021, 4, 1), survivors=REGULAR_2021, segment=regular, dues="300")
    plant_cohort(joined=date(2022, 4, 1), survivors=REGULAR_2022, segment=regular, dues="300")


def forecast(*args: str) -> dict:
    result = runner.invoke(app, ["forecast", "retention", "--as-of", "2025-06-30", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_all_members_are_fitted_on_every_join_year_cohort(association):
    data = forecast()
    pooled = fit_sbg([
        [a + b for a, b in zip(STUDENTS_2021, REGULAR_2021, strict=True)],
        [a + b for a, b in zip(STUDENTS_2022, REGULAR_2022, strict=True)],
    ])
    assert data["name"] == "All members"
    assert (data["alpha"], data["beta"]) == pytest.approx((pooled.alpha, pooled.beta))
    assert data["members"] == 260 and data["cohorts"] == 2
    assert data["as_of"] == "2025-06-30"


def test_each_segment_gets_its_own_fit_and_dues(association):
    segments = {s["name"]: s for s in forecast()["segments"]}
    students = fit_sbg([STUDENTS_2021, STUDENTS_2022])
    assert (segments["Students"]["alpha"], segments["Students"]["beta"]) == pytest.approx(
        (students.alpha, students.beta)
    )
    assert segments["Students"]["dues"] == pytest.approx(60)
    assert segments["Regular"]["dues"] == pytest.approx(300)
    # Students lapse far more, and pay less: each is worth less over a lifetime.
    assert segments["Students"]["retention"][3]["survival"] < segments["Regular"]["retention"][3]["survival"]
    assert segments["Students"]["lifetime_value"] < segments["Regular"]["lifetime_value"]


def test_given_dues_apply_to_every_group(association):
    data = forecast("--dues", "100")
    assert {s["dues"] for s in [data, *data["segments"]]} == {100}


def test_the_table_names_each_segment(association):
    result = runner.invoke(app, ["forecast", "retention", "--as-of", "2025-06-30"])
    assert result.exit_code == 0, result.output
    assert "All members: alpha" in result.output
    assert "Students: alpha" in result.output and "Regular: alpha" in result.output


def test_without_a_full_year_of_history_the_command_says_what_to_do(db):
    plant_cohort(joined=date(2025, 1, 10), survivors=[10])
    result = runner.invoke(app, ["forecast", "retention", "--as-of", "2025-06-30"])
    assert result.exit_code == 2
    assert "no join-year cohort has been a member for a full year" in result.stderr


def test_a_bad_as_of_date_is_one_line(association):
    result = runner.invoke(app, ["forecast", "retention", "--as-of", "30/06/2025"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr
