"""Factory functions for tests: small explicit objects with sensible defaults, all keyword-only."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from membersuccess.accounts.models import Role, Team
from membersuccess.accounts.services import staff_user_create
from membersuccess.interactions.models import Interaction, SupportTicket, SurveyResponse
from membersuccess.journeys.models import Journey, MilestoneAchievement, SuccessMilestone
from membersuccess.members.models import (
    Contact,
    DesiredOutcome,
    Member,
    MembershipTerm,
    Offering,
    RequiredOutcome,
    Segment,
)
from membersuccess.plays.models import Task

TEST_PASSWORD = "correct-horse-battery-staple"
_ids = itertools.count(1)


def _next_id() -> int:
    return next(_ids)


def _aware(moment: datetime | date | None, *, default_days_ago: int = 1) -> datetime:
    """A timezone-aware datetime from a date, a naive or aware datetime, or None (a day ago)."""
    if moment is None:
        return timezone.now() - timedelta(days=default_days_ago)
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, 12, 0)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def make_team(*, code: str | None = None, name: str | None = None) -> Team:
    n = _next_id()
    return Team.objects.create(code=code or f"team-{n}", name=name or f"Team {n}")


def make_staff_user(
    *,
    role: str = Role.STAFF,
    username: str | None = None,
    password: str = TEST_PASSWORD,
    team: Team | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    user = staff_user_create(
        username=username or f"{role}-{_next_id()}",
        password=password,
        role=role,
        team=team,
        first_name=first_name,
        last_name=last_name,
    )
    assert isinstance(user, User)
    return user


def make_segment(*, code: str | None = None, name: str | None = None) -> Segment:
    n = _next_id()
    return Segment.objects.create(code=code or f"segment-{n}", name=name or f"Segment {n}")


def make_required_outcome(*, code: str | None = None, name: str | None = None) -> RequiredOutcome:
    n = _next_id()
    return RequiredOutcome.objects.create(code=code or f"outcome-{n}", name=name or f"Outcome {n}")


def make_offering(
    *, code: str | None = None, name: str | None = None, kind: str = Offering.Kind.DUES_TIER, price: str = "250.00"
) -> Offering:
    n = _next_id()
    return Offering.objects.create(code=code or f"offering-{n}", name=name or f"Offering {n}", kind=kind, price=price)


def make_member(
    *,
    name: str | None = None,
    external_id: str | None = None,
    email: str = "",
    segment: Segment | None = None,
    joined_on: date = date(2023, 1, 15),
    status: str = Member.Status.ACTIVE,
    kind: str = Member.Kind.INDIVIDUAL,
    journey: Journey | None = None,
    success_manager: User | None = None,
    acquisition_channel: str = "",
    city: str = "",
    country: str = "",
) -> Member:
    n = _next_id()
    return Member.objects.create(
        name=name or f"Member {n}",
        external_id=external_id or f"M-{n}",
        email=email,
        segment=segment,
        joined_on=joined_on,
        status=status,
        kind=kind,
        journey=journey,
        success_manager=success_manager,
        acquisition_channel=acquisition_channel,
        city=city,
        country=country,
    )


def make_contact(
    *, member: Member, name: str = "Pat Contact", email: str = "", role: str = "", is_primary: bool = False
) -> Contact:
    return Contact.objects.create(member=member, name=name, email=email, role=role, is_primary=is_primary)


def make_term(
    *,
    member: Member,
    start_on: date = date(2024, 1, 1),
    end_on: date | None = None,
    offering: Offering | None = None,
    dues: str = "250.00",
    status: str = MembershipTerm.Status.ACTIVE,
) -> MembershipTerm:
    return MembershipTerm.objects.create(
        external_id=f"T-{_next_id()}",
        member=member,
        offering=offering,
        start_on=start_on,
        end_on=end_on or start_on + timedelta(days=365),
        dues=Decimal(dues),
        status=status,
    )


def make_desired_outcome(
    *,
    member: Member,
    required_outcome: RequiredOutcome | None = None,
    channels: list[str] | None = None,
    formats: list[str] | None = None,
    cadence: str = "",
    language: str = "",
    accessibility: str = "",
    time_budget_hours_per_month: int | None = None,
    recorded_on: date = date(2024, 1, 10),
    is_current: bool = True,
) -> DesiredOutcome:
    return DesiredOutcome.objects.create(
        external_id=f"DO-{_next_id()}",
        member=member,
        required_outcome=required_outcome or make_required_outcome(),
        channels=channels or [],
        formats=formats or [],
        cadence=cadence,
        language=language,
        accessibility=accessibility,
        time_budget_hours_per_month=time_budget_hours_per_month,
        recorded_on=recorded_on,
        is_current=is_current,
    )


def make_journey(
    *, name: str | None = None, required_outcome: RequiredOutcome | None = None, segment: Segment | None = None
) -> Journey:
    return Journey.objects.create(
        name=name or f"Journey {_next_id()}",
        required_outcome=required_outcome or make_required_outcome(),
        segment=segment,
    )


def make_milestone(
    *,
    journey: Journey,
    order: int,
    name: str | None = None,
    due_offset_days: int = 30,
    due_from: str = SuccessMilestone.DueFrom.JOIN,
    grace_days: int = 30,
    rule: dict[str, object] | None = None,
    description: str = "",
) -> SuccessMilestone:
    return SuccessMilestone.objects.create(
        journey=journey,
        order=order,
        name=name or f"Milestone {order}",
        due_offset_days=due_offset_days,
        due_from=due_from,
        grace_days=grace_days,
        rule=rule if rule is not None else {"kinds": ["event_attended"], "aggregation": "count", "threshold": 1},
        description=description,
    )


def make_achievement(*, member: Member, milestone: SuccessMilestone, achieved_on: date) -> MilestoneAchievement:
    return MilestoneAchievement.objects.create(member=member, milestone=milestone, achieved_on=achieved_on)


def make_interaction(
    *,
    member: Member,
    kind: str = "event_attended",
    source: str = "events",
    occurred_at: datetime | date | None = None,
    value: float | None = None,
) -> Interaction:
    return Interaction.objects.create(
        source=source,
        external_id=f"I-{_next_id()}",
        member=member,
        kind=kind,
        occurred_at=_aware(occurred_at),
        value=value,
    )


def make_ticket(
    *,
    member: Member,
    opened_at: datetime | date | None = None,
    resolved_at: datetime | date | None = None,
    subject: str = "Cannot download my certificate",
    category: str = "certification",
    severity: str = SupportTicket.Severity.NORMAL,
) -> SupportTicket:
    return SupportTicket.objects.create(
        external_id=f"S-{_next_id()}",
        member=member,
        opened_at=_aware(opened_at, default_days_ago=3),
        resolved_at=None if resolved_at is None else _aware(resolved_at),
        subject=subject,
        category=category,
        severity=severity,
    )


def make_survey(
    *,
    member: Member,
    score: int = 9,
    kind: str = SurveyResponse.Kind.NPS,
    responded_at: datetime | date | None = None,
    comment: str = "",
) -> SurveyResponse:
    return SurveyResponse.objects.create(
        external_id=f"R-{_next_id()}",
        member=member,
        responded_at=_aware(responded_at),
        kind=kind,
        score=score,
        comment=comment,
    )


def make_task(
    *,
    member: Member | None,
    title: str = "Invite to the certification study group",
    assignee: User | None = None,
    team: Team | None = None,
    due_on: date | None = None,
    status: str = Task.Status.OPEN,
) -> Task:
    return Task.objects.create(
        member=member, title=title, assignee=assignee, team=team, due_on=due_on, status=status
    )
