"""Importing desired outcomes: every appropriate-experience column lands, and members get their journey."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from membersuccess.ingest.services import run_import
from membersuccess.members.models import DesiredOutcome
from tests.factories import make_journey, make_member, make_required_outcome, make_segment

pytestmark = pytest.mark.django_db

HEADER = (
    "external_id,member_id,required_outcome,recorded_on,channels,formats,cadence,language,accessibility,"
    "time_budget_hours_per_month,source,target_date\n"
)


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "outcomes.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows))
    return path


def test_every_appropriate_experience_column_is_imported_and_the_segment_journey_assigned(tmp_path):
    certification = make_required_outcome(code="certification")
    students = make_segment(code="students")
    make_journey(name="Everyone", required_outcome=certification)
    own = make_journey(name="Students", required_outcome=certification, segment=students)
    member = make_member(external_id="M-1", segment=students)
    path = write(tmp_path, "DO-1,M-1,certification,2024-01-10,online;in_person,courses|mentoring,monthly,fr,"
                           "Large print,6,inferred,2025-06-30")
    result = run_import(kind="outcomes", path=path)
    assert result.rows_rejected == 0
    outcome = DesiredOutcome.objects.get(member=member)
    assert (outcome.channels, outcome.formats, outcome.cadence, outcome.language, outcome.accessibility) == (
        ["online", "in_person"], ["courses", "mentoring"], "monthly", "fr", "Large print"
    )
    assert (outcome.time_budget_hours_per_month, outcome.source, outcome.target_date) == (
        6, "inferred", date(2025, 6, 30)
    )
    member.refresh_from_db()
    assert member.journey == own


def test_a_member_without_a_journey_for_their_segment_gets_the_outcomes_journey_for_everyone(tmp_path):
    networking = make_required_outcome(code="network")
    default = make_journey(name="Networking", required_outcome=networking)
    member = make_member(external_id="M-2", segment=make_segment())
    run_import(kind="outcomes", path=write(tmp_path, "DO-2,M-2,network,2024-01-10,,,,,,,,"))
    member.refresh_from_db()
    assert member.journey == default


def test_a_bad_time_budget_is_rejected_with_its_line_and_column_and_the_good_rows_kept(tmp_path):
    make_required_outcome(code="network")
    make_member(external_id="M-3")
    make_member(external_id="M-4")
    result = run_import(kind="outcomes", path=write(
        tmp_path, "DO-3,M-3,network,2024-01-10,,,,,,lots,,", "DO-4,M-4,network,2024-01-10,,,,,,5,,"
    ))
    assert (result.rows_created, result.rows_rejected) == (1, 1)
    rejects = result.rejects_path.read_text()
    assert "time_budget_hours_per_month" in rejects and ",2," in rejects
