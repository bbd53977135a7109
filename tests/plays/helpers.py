"""Factories for plays tests: resources, plays with steps, an off-track member on a journey."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from membersuccess.accounts.models import Team
from membersuccess.journeys.models import SuccessMilestone
from membersuccess.members.models import Member, RequiredOutcome
from membersuccess.plays.models import Play, PlayStep, Resource
from membersuccess.scoring.models import VectorSnapshot
from tests.factories import (
    make_desired_outcome,
    make_journey,
    make_member,
    make_milestone,
    make_required_outcome,
    make_term,
)
from tests.web.vector_factories import make_run, make_vector

AS_OF = date(2024, 6, 30)
_ids = itertools.count(1)


def team(code: str, name: str | None = None) -> Team:
    found, _ = Team.objects.get_or_create(code=code, defaults={"name": name or code.replace("-", " ").title()})
    return found


def make_resource(
    *,
    name: str = "Resource",
    kind: str = Resource.Kind.COURSE,
    url: str = "https://learn.example.org/course",
    channels: list[str] | None = None,
    formats: list[str] | None = None,
    serves: list[RequiredOutcome] | None = None,
) -> Resource:
    resource = Resource.objects.create(
        code=f"resource-{next(_ids)}", name=name, kind=kind, url=url, channels=channels or [], formats=formats or []
    )
    resource.serves.set(serves or [])
    return resource


def make_play(
    *,
    name: str = "Play",
    trigger: str = Play.Trigger.STATUS,
    trigger_value: str = "off_track",
    resources: list[Resource] | None = None,
    steps: list[tuple[str, str, int]] | None = None,
    toward: SuccessMilestone | None = None,
    message_template: str = "Your next milestone is {{ next_milestone }}: {{ resource_url }}",
    is_active: bool = True,
) -> Play:
    play = Play.objects.create(
        code=f"play-{next(_ids)}", name=name, trigger=trigger, trigger_value=trigger_value, toward=toward,
        message_template=message_template, is_active=is_active,
    )
    play.resources.set(resources or [])
    for order, (code, title, days) in enumerate(steps or [("events", "Reserve a seat", 5)], start=1):
        PlayStep.objects.create(play=play, order=order, title=title, team=team(code), due_in_days=days)
    return play


@dataclass
class OffTrack:
    member: Member
    outcome: RequiredOutcome
    overdue: SuccessMilestone
    later: SuccessMilestone


def off_track_member(
    *,
    name: str = "Ada Okafor",
    channels: list[str] | None = None,
    formats: list[str] | None = None,
    with_outcome: bool = True,
    as_of: date = AS_OF,
    flags: list[str] | None = None,
    status: str = VectorSnapshot.Status.OFF_TRACK,
) -> OffTrack:
    """A member 200 days in whose first milestone is overdue past grace, scored off track as of `as_of`."""
    outcome = make_required_outcome(name="Earn certification")
    journey = make_journey(name="Certification path", required_outcome=outcome)
    overdue = make_milestone(journey=journey, order=1, name="Complete prep course", due_offset_days=90)
    later = make_milestone(journey=journey, order=2, name="Pass the exam", due_offset_days=365)
    member = make_member(name=name, email="ada@example.org", journey=journey, joined_on=as_of - timedelta(days=200))
    make_term(member=member, start_on=member.joined_on, end_on=member.joined_on + timedelta(days=365))
    if with_outcome:
        make_desired_outcome(member=member, required_outcome=outcome, channels=channels or [], formats=formats or [])
    run = make_run(as_of=as_of)
    make_vector(run=run, member=member, status=status, flags=flags if flags is not None else [status],
                next_milestone=overdue)
    return OffTrack(member=member, outcome=outcome, overdue=overdue, later=later)
