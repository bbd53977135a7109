"""A generated association over two renewal years in which events attended decide renewal and nothing else does.

Everyone's year runs 1 July to 30 June. The first cohort joins on 2022-07-01; as of TRAIN_AS_OF
(2023-03-31) each member has attended 0 to 4 events in the past year, and renews on 2023-07-01 with
probability sigmoid(-2 + 1.2 · events). A second cohort joins on 2023-07-01, and as of TEST_AS_OF
(2024-03-31) everyone still a member has a new count of events that decides the 2024 renewal the same
way. Portal logins, community posts and email clicks are drawn at random, independent of renewal: they
are the noise a good set of weights should ignore. A member joining in 2025 marks how far the data reaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from django.utils import timezone

from membersuccess.interactions.models import Interaction
from membersuccess.members.models import Member
from tests.factories import make_member, make_term

TRAIN_AS_OF = date(2023, 3, 31)
TEST_AS_OF = date(2024, 3, 31)
HORIZON = 365
PLANTED = "events_attended"
NOISE = ("portal_days", "community_posts", "email_clicks")
FIRST_YEAR = (date(2022, 7, 1), date(2023, 6, 30))
SECOND_YEAR = (date(2023, 7, 1), date(2024, 6, 30))
THIRD_YEAR = (date(2024, 7, 1), date(2025, 6, 30))


@dataclass(frozen=True)
class PlantedAssociation:
    first_cohort: list[Member]
    second_cohort: list[Member]
    renewed_2023: set[int]  # member ids
    renewed_2024: set[int]


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def _renews(events: int, rng: np.random.Generator) -> bool:
    return bool(rng.random() < 1.0 / (1.0 + np.exp(-(-2.0 + 1.2 * events))))


def _year_of_activity(member: Member, *, as_of: date, rng: np.random.Generator, rows: list[Interaction]) -> int:
    """A year of interactions up to `as_of`: 0–4 events (the planted effect) and random noise; the event count."""
    events = int(rng.integers(0, 5))
    for k in range(events):
        rows.append(Interaction(member=member, source="events", kind="event_attended",
                                occurred_at=_moment(as_of - timedelta(days=10 + 60 * k))))
    for k in range(int(rng.integers(0, 9))):
        rows.append(Interaction(member=member, source="portal", kind="login",
                                occurred_at=_moment(as_of - timedelta(days=1 + 9 * k))))
    for k in range(int(rng.integers(0, 4))):
        rows.append(Interaction(member=member, source="community", kind="post",
                                occurred_at=_moment(as_of - timedelta(days=5 + 40 * k))))
    for k in range(int(rng.integers(0, 4))):
        rows.append(Interaction(member=member, source="email", kind="email_click",
                                occurred_at=_moment(as_of - timedelta(days=2 + 20 * k))))
    return events


def build_planted_association(*, first: int = 160, second: int = 100, seed: int = 8) -> PlantedAssociation:
    rng = np.random.default_rng(seed)
    rows: list[Interaction] = []
    first_cohort = [make_member(name=f"First {i}", joined_on=FIRST_YEAR[0]) for i in range(first)]
    second_cohort = [make_member(name=f"Second {i}", joined_on=SECOND_YEAR[0]) for i in range(second)]
    renewed_2023: set[int] = set()
    for member in first_cohort:
        make_term(member=member, start_on=FIRST_YEAR[0], end_on=FIRST_YEAR[1])
        if _renews(_year_of_activity(member, as_of=TRAIN_AS_OF, rng=rng, rows=rows), rng):
            renewed_2023.add(member.pk)
            make_term(member=member, start_on=SECOND_YEAR[0], end_on=SECOND_YEAR[1])
    renewed_2024: set[int] = set()
    for member in [m for m in first_cohort if m.pk in renewed_2023] + second_cohort:
        if member in second_cohort:
            make_term(member=member, start_on=SECOND_YEAR[0], end_on=SECOND_YEAR[1])
        if _renews(_year_of_activity(member, as_of=TEST_AS_OF, rng=rng, rows=rows), rng):
            renewed_2024.add(member.pk)
            make_term(member=member, start_on=THIRD_YEAR[0], end_on=THIRD_YEAR[1])
    for n, row in enumerate(rows):
        row.external_id = f"planted-{n}"
    Interaction.objects.bulk_create(rows, batch_size=2_000)
    later = make_member(name="Later joiner", joined_on=date(2025, 3, 1))
    make_term(member=later, start_on=date(2025, 3, 1))
    return PlantedAssociation(first_cohort, second_cohort, renewed_2023, renewed_2024)
