"""Factories for scoring results as the engine writes them: signal sets, runs and vector snapshots."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from membersuccess.journeys.models import SuccessMilestone
from membersuccess.members.models import Member
from membersuccess.scoring.models import ScoreRun, SignalSet, VectorSnapshot

SIGNALS = [
    {
        "name": "events_attended",
        "label": "events attended",
        "aggregation": "count",
        "window_days": 365,
        "direction": "helps",
        "target": 4.0,
        "weight": 1.5,
        "sources": ["events"],
        "kinds": ["event_attended"],
        "target_from_segment": False,
        "description": "",
    },
    {
        "name": "open_tickets",
        "label": "open support tickets",
        "aggregation": "open_tickets",
        "window_days": 365,
        "direction": "hurts",
        "target": 3.0,
        "weight": 0.75,
        "sources": [],
        "kinds": [],
        "target_from_segment": False,
        "description": "",
    },
]

CONTRIBUTIONS = [
    {"input": "milestone_position", "label": "milestones reached on time", "value": 0.5, "normalized": 0.5,
     "weight": 4.0, "points": 25.0},
    {"input": "events_attended", "label": "events attended", "value": 1, "normalized": 0.25, "weight": 2.0,
     "points": 6.25},
    {"input": "open_tickets", "label": "open support tickets", "value": 0, "normalized": 1.0, "weight": 2.0,
     "points": 25.0},
]


def make_signal_set(
    *, version: int = 1, signals: list[dict[str, object]] | None = None, is_active: bool = True, note: str = ""
) -> SignalSet:
    definition = {"version": 1, "signals": signals if signals is not None else SIGNALS, "params": {}}
    if is_active:
        SignalSet.objects.filter(is_active=True).update(is_active=False)
    return SignalSet.objects.create(version=version, definition=definition, is_active=is_active, note=note)


def make_run(
    *, as_of: date, status: str = ScoreRun.Status.COMPLETED, signal_set: SignalSet | None = None
) -> ScoreRun:
    finished = timezone.make_aware(datetime.combine(as_of, time(3, 0)))
    return ScoreRun.objects.create(
        as_of=as_of,
        status=status,
        signal_set=signal_set,
        finished_at=finished if status == ScoreRun.Status.COMPLETED else None,
    )


def make_vector(
    *,
    run: ScoreRun,
    member: Member,
    score: float = 70.0,
    status: str = VectorSnapshot.Status.ON_TRACK,
    velocity: float | None = 0.0,
    confidence: float = 0.9,
    milestone_position: float = 0.5,
    contributions: list[dict[str, object]] | None = None,
    reasons: list[str] | None = None,
    flags: list[str] | None = None,
    next_milestone: SuccessMilestone | None = None,
    next_milestone_due_on: date | None = None,
) -> VectorSnapshot:
    return VectorSnapshot.objects.create(
        run=run,
        member=member,
        as_of=run.as_of,
        score=score,
        velocity=velocity,
        status=status,
        confidence=confidence,
        milestone_position=milestone_position,
        contributions=contributions if contributions is not None else CONTRIBUTIONS,
        reasons=reasons or [],
        flags=flags or [],
        next_milestone=next_milestone,
        next_milestone_due_on=next_milestone_due_on,
    )
