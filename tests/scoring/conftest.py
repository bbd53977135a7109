"""A small association in the database for scoring: a journey, members on it, and what they did."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import make_interaction, make_journey, make_member, make_milestone, make_term, make_ticket

AS_OF = date(2024, 6, 30)


@pytest.fixture
def association(db):
    """Three members: one active on the journey, one who missed the first milestone, one lapsed."""
    journey = make_journey(name="Grow my network")
    first = make_milestone(journey=journey, order=1, name="First event attended", due_offset_days=90,
                           rule={"kinds": ["event_attended"], "aggregation": "count", "threshold": 1})
    make_milestone(journey=journey, order=2, name="Serving on a committee", due_offset_days=400,
                   rule={"kinds": ["committee_meeting"], "aggregation": "count", "threshold": 2})
    engaged = make_member(name="Engaged", joined_on=date(2023, 9, 1), journey=journey)
    make_term(member=engaged, start_on=date(2023, 9, 1), end_on=date(2024, 8, 31))
    for days in (10, 40, 80, 120):
        make_interaction(member=engaged, occurred_at=AS_OF - timedelta(days=days))
    make_interaction(member=engaged, kind="login", source="portal", occurred_at=AS_OF - timedelta(days=2))
    missed = make_member(name="Missed", joined_on=date(2023, 9, 1), journey=journey)
    make_term(member=missed, start_on=date(2023, 9, 1), end_on=date(2024, 8, 31))
    make_ticket(member=missed, opened_at=AS_OF - timedelta(days=5))
    lapsed = make_member(name="Lapsed", joined_on=date(2021, 1, 1))
    make_term(member=lapsed, start_on=date(2022, 1, 1), end_on=date(2023, 1, 1))
    return {"journey": journey, "first": first, "engaged": engaged, "missed": missed, "lapsed": lapsed}
