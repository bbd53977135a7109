"""`msm score` starts the plays whose triggers fire for the members it scored."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from membersuccess.cli import app
from membersuccess.plays.models import Task
from tests.factories import make_journey, make_member, make_milestone, make_term
from tests.plays.helpers import make_play

pytestmark = pytest.mark.django_db(transaction=True)


def test_scoring_starts_the_play_for_a_member_who_missed_a_milestone() -> None:
    journey = make_journey(name="Grow my network")
    make_milestone(journey=journey, order=1, name="First event attended", due_offset_days=90,
                   rule={"kinds": ["event_attended"], "aggregation": "count", "threshold": 1})
    missed = make_member(name="Missed", joined_on=date(2023, 9, 1), journey=journey)
    make_term(member=missed, start_on=date(2023, 9, 1), end_on=date(2024, 8, 31))
    make_play(name="Overdue milestone", trigger="overdue_milestone", trigger_value="",
              steps=[("events", "Reserve a seat at the next event", 5)])

    result = CliRunner().invoke(app, ["score", "--as-of", "2024-06-30"])

    assert result.exit_code == 0, result.output
    assert "Plays started: 1 (1 tasks)" in result.output
    assert Task.objects.get().member == missed
