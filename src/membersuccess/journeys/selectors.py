"""Reads on journeys: where a member stands on their journey, and their next Success Milestone.

The rules here are the ones the engine uses (engine/vector.py): a milestone is due `due_offset_days`
after joining or after the start of the current term, it is overdue once its grace has passed
(`as_of > due + grace`), and the next milestone is the first one in order not achieved yet."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from membersuccess.interactions.models import Interaction
from membersuccess.journeys.models import Journey, MilestoneAchievement, SuccessMilestone
from membersuccess.members.models import Member, MembershipTerm

BATCH_MEMBERS = 500  # keeps IN (...) lists well under every database's parameter limit


class MilestoneState(enum.StrEnum):
    ACHIEVED = "achieved"
    OVERDUE = "overdue"  # not achieved and past its due date plus grace
    IN_GRACE = "in_grace"  # not achieved, past its due date, still within grace
    UPCOMING = "upcoming"
    UNSCHEDULED = "unscheduled"  # its anchor (the current term) is unknown


@dataclass(frozen=True)
class MilestoneProgress:
    """One Success Milestone as it stands for one member on one day."""

    milestone: SuccessMilestone
    due_on: date | None
    grace_ends_on: date | None
    achieved_on: date | None
    state: MilestoneState
    is_next: bool


@dataclass(frozen=True)
class NextMilestone:
    """A member's next Success Milestone on one day: when it is due and whether it is overdue.

    `overdue` means past its grace, as the engine's off-track rule reads it; `days_overdue` counts
    the days since the grace ended (0 unless overdue), like the engine's `overdue_days`."""

    member_id: int
    milestone: SuccessMilestone
    due_on: date | None
    grace_days: int
    grace_ends_on: date | None
    state: MilestoneState
    overdue: bool
    days_overdue: int
    as_of: date

    @property
    def in_grace(self) -> bool:
        """Past its due date but still within its grace period."""
        return self.state is MilestoneState.IN_GRACE

    @property
    def days_past_due(self) -> int:
        """Days since the due date (0 before it, or when the due date is unknown)."""
        if self.due_on is None or self.as_of <= self.due_on:
            return 0
        return (self.as_of - self.due_on).days


def current_term(*, terms: Iterable[MembershipTerm], as_of: date) -> MembershipTerm | None:
    """The term running on `as_of`, else the latest one started before it."""
    started = [t for t in terms if t.start_on <= as_of]
    running = [t for t in started if as_of <= t.end_on]
    candidates = running or started
    return max(candidates, key=lambda t: (t.start_on, t.pk)) if candidates else None


def journey_progress(
    *,
    member: Member,
    milestones: Sequence[SuccessMilestone],
    achievements: Iterable[MilestoneAchievement],
    term: MembershipTerm | None,
    as_of: date,
) -> list[MilestoneProgress]:
    """Each milestone in order with its due date (anchor + offset), achievement and state on `as_of`."""
    achieved_on = {a.milestone_id: a.achieved_on for a in achievements}
    progress: list[MilestoneProgress] = []
    next_found = False
    for milestone in sorted(milestones, key=lambda m: m.order):
        anchor = member.joined_on if milestone.due_from == SuccessMilestone.DueFrom.JOIN else None
        if milestone.due_from == SuccessMilestone.DueFrom.TERM_START and term is not None:
            anchor = term.start_on
        due_on = None if anchor is None else anchor + timedelta(days=milestone.due_offset_days)
        grace_ends_on = None if due_on is None else due_on + timedelta(days=milestone.grace_days)
        achieved = achieved_on.get(milestone.pk)
        if achieved is not None:
            state = MilestoneState.ACHIEVED
        elif due_on is None or grace_ends_on is None:
            state = MilestoneState.UNSCHEDULED
        elif as_of > grace_ends_on:
            state = MilestoneState.OVERDUE
        elif as_of > due_on:
            state = MilestoneState.IN_GRACE
        else:
            state = MilestoneState.UPCOMING
        is_next = achieved is None and not next_found
        next_found = next_found or is_next
        progress.append(
            MilestoneProgress(
                milestone=milestone,
                due_on=due_on,
                grace_ends_on=grace_ends_on,
                achieved_on=achieved,
                state=state,
                is_next=is_next,
            )
        )
    return progress


def next_of(*, member_id: int, progress: Sequence[MilestoneProgress], as_of: date) -> NextMilestone | None:
    """The next milestone out of a member's journey progress; None when every milestone is achieved."""
    step = next((p for p in progress if p.is_next), None)
    if step is None:
        return None
    overdue = step.state is MilestoneState.OVERDUE
    days_overdue = (as_of - step.grace_ends_on).days if overdue and step.grace_ends_on is not None else 0
    return NextMilestone(
        member_id=member_id,
        milestone=step.milestone,
        due_on=step.due_on,
        grace_days=step.milestone.grace_days,
        grace_ends_on=step.grace_ends_on,
        state=step.state,
        overdue=overdue,
        days_overdue=days_overdue,
        as_of=as_of,
    )


def next_milestone(*, member: Member, as_of: date) -> NextMilestone | None:
    """The member's next Success Milestone on `as_of`; None without a journey or with all achieved."""
    return next_milestones(members=[member], as_of=as_of).get(member.pk)


def next_milestones(*, members: Iterable[Member], as_of: date) -> dict[int, NextMilestone]:
    """The next milestone of many members at once, keyed by member id (members without one are left out).

    A few queries per batch of members, however many there are: milestones per journey, the members'
    achievements and, when a journey counts from the term start, their terms."""
    on_journey = [m for m in members if m.journey_id is not None]
    if not on_journey:
        return {}
    milestones_of: dict[int, list[SuccessMilestone]] = {}
    for milestone in SuccessMilestone.objects.filter(
        journey_id__in={m.journey_id for m in on_journey}
    ).order_by("journey_id", "order"):
        milestones_of.setdefault(milestone.journey_id, []).append(milestone)
    needs_terms = {
        journey_id
        for journey_id, steps in milestones_of.items()
        if any(s.due_from == SuccessMilestone.DueFrom.TERM_START for s in steps)
    }
    result: dict[int, NextMilestone] = {}
    for start in range(0, len(on_journey), BATCH_MEMBERS):
        batch = on_journey[start : start + BATCH_MEMBERS]
        ids = [m.pk for m in batch]
        achievements: dict[int, list[MilestoneAchievement]] = {}
        for achievement in MilestoneAchievement.objects.filter(
            member_id__in=ids, milestone__journey_id__in={m.journey_id for m in batch}
        ):
            achievements.setdefault(achievement.member_id, []).append(achievement)
        terms: dict[int, list[MembershipTerm]] = {}
        term_ids = [m.pk for m in batch if m.journey_id in needs_terms]
        if term_ids:
            for term in MembershipTerm.objects.filter(member_id__in=term_ids):
                terms.setdefault(term.member_id, []).append(term)
        for member in batch:
            assert member.journey_id is not None
            steps = milestones_of.get(member.journey_id, [])
            # Achievements of milestones on other journeys are ignored: progress looks up its own milestones.
            progress = journey_progress(
                member=member,
                milestones=steps,
                achievements=achievements.get(member.pk, []),
                term=current_term(terms=terms.get(member.pk, []), as_of=as_of),
                as_of=as_of,
            )
            found = next_of(member_id=member.pk, progress=progress, as_of=as_of)
            if found is not None:
                result[member.pk] = found
    return result


def with_overdue_next_milestone(members: QuerySet[Member], *, as_of: date) -> QuerySet[Member]:
    """The members whose next milestone is overdue past its grace on `as_of`, computed by the database.

    Per milestone m of a journey: the member is on that journey, has achieved every milestone
    before m but not m, and m's anchor (joining, or the current term's start) lies more than
    offset + grace days before `as_of`. Journeys have a handful of milestones, so the condition
    stays small; the same answer as `next_milestones(...)[id].overdue` (a test holds them together)."""
    steps = list(SuccessMilestone.objects.order_by("journey_id", "order"))
    if not steps:
        return members.none()
    running = MembershipTerm.objects.filter(member_id=OuterRef("pk"), start_on__lte=as_of, end_on__gte=as_of)
    started = MembershipTerm.objects.filter(member_id=OuterRef("pk"), start_on__lte=as_of)
    members = members.annotate(
        next_anchor_term_start=Coalesce(
            Subquery(running.order_by("-start_on", "-pk").values("start_on")[:1]),
            Subquery(started.order_by("-start_on", "-pk").values("start_on")[:1]),
        )
    )

    def achieved(milestone: SuccessMilestone) -> Exists:
        return Exists(MilestoneAchievement.objects.filter(member_id=OuterRef("pk"), milestone_id=milestone.pk))

    condition = Q(pk__in=[])
    before: list[SuccessMilestone] = []
    journey_id: int | None = None
    for step in steps:
        if step.journey_id != journey_id:
            journey_id, before = step.journey_id, []
        cutoff = as_of - timedelta(days=step.due_offset_days + step.grace_days)
        if step.due_from == SuccessMilestone.DueFrom.JOIN:
            past_grace = Q(joined_on__lt=cutoff)
        else:
            past_grace = Q(next_anchor_term_start__lt=cutoff)
        this = Q(journey_id=step.journey_id) & past_grace & ~Q(achieved(step))
        for earlier in before:
            this &= Q(achieved(earlier))
        condition |= this
        before.append(step)
    return members.filter(condition)


def journeys_for_editor() -> QuerySet[Journey]:
    """Every journey with its required outcome and segment, grouped by required outcome."""
    return Journey.objects.select_related("required_outcome", "segment").order_by(
        "required_outcome__name", "segment__name", "name", "pk"
    )


@dataclass(frozen=True)
class JourneyRow:
    """One journey as the journeys list shows it."""

    journey: Journey
    milestone_count: int
    member_count: int


def journey_rows() -> list[JourneyRow]:
    """Every journey with how many milestones it has and how many members are on it."""
    journeys = journeys_for_editor().annotate(
        n_milestones=Count("milestones", distinct=True), n_members=Count("members", distinct=True)
    )
    return [JourneyRow(journey=j, milestone_count=j.n_milestones, member_count=j.n_members) for j in journeys]


def imported_kinds() -> tuple[set[str], set[str]]:
    """The interaction kinds and sources imported so far, which milestone rules may name.

    One pass over the interactions: run only when an admin opens or saves a milestone."""
    kinds: set[str] = set()
    sources: set[str] = set()
    for source, kind in Interaction.objects.order_by().values_list("source", "kind").distinct():
        kinds.add(kind)
        sources.add(source)
    return kinds, sources
