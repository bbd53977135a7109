"""Writes on journeys: the journeys and their Success Milestones, which journey a member is on, confirmations."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from membersuccess.accounts.models import AuditEntry
from membersuccess.journeys.models import Journey, MilestoneAchievement, SuccessMilestone
from membersuccess.journeys.rules import MilestoneFields, MilestoneInput, validate_milestone
from membersuccess.members.models import Member, RequiredOutcome, Segment

Actor = AbstractBaseUser | AnonymousUser | None  # who made the change; None for imports and jobs


def assign_journeys(*, member_ids: Iterable[int]) -> int:
    """Give members without a journey the one for their current desired outcome and segment.

    A segment-specific journey wins over the outcome's default one. Members whose journey was
    set (by an earlier import or by staff) keep it."""
    ids = list(member_ids)
    journeys: dict[tuple[int, int | None], int] = {
        (j.required_outcome_id, j.segment_id): j.pk for j in Journey.objects.all()
    }
    if not journeys:
        return 0
    pending = Member.objects.filter(pk__in=ids, journey__isnull=True).filter(
        Q(desired_outcomes__is_current=True)
    ).values_list("pk", "segment_id", "desired_outcomes__required_outcome_id")
    to_update = []
    for member_pk, segment_pk, outcome_pk in pending:
        journey = journeys.get((outcome_pk, segment_pk)) or journeys.get((outcome_pk, None))
        if journey is not None:
            to_update.append(Member(pk=member_pk, journey_id=journey))
    Member.objects.bulk_update(to_update, ["journey"], batch_size=1000)
    return len(to_update)



# ---------------------------------------------------------------------------------------------------
# The journeys editor: every change is one function here, and each writes an AuditEntry.


class JourneyError(ValueError):
    """A journey change that cannot be made; `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


def _actor_id(by: Actor) -> int | None:
    return by.pk if by is not None and by.is_authenticated else None


def _audit(*, action: str, by: Actor, obj: models.Model, detail: dict[str, object]) -> None:
    AuditEntry.objects.create(
        actor_id=_actor_id(by),
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        detail=detail,
    )


def _journey_values(journey: Journey) -> dict[str, object]:
    return {
        "name": journey.name,
        "required_outcome": journey.required_outcome.code,
        "segment": journey.segment.code if journey.segment is not None else None,
        "description": journey.description,
    }


def _check_journey(
    *, name: str, required_outcome: RequiredOutcome, segment: Segment | None, exclude: int | None
) -> str:
    name = name.strip()
    if not name:
        raise JourneyError("Give the journey a name, e.g. 'Certification for early-career members'.", field="name")
    if len(name) > 160:
        raise JourneyError("At most 160 characters.", field="name")
    clashes = Journey.objects.filter(required_outcome=required_outcome, segment=segment)
    clash = (clashes.exclude(pk=exclude) if exclude is not None else clashes).first()
    if clash is not None:
        whom = f"segment {segment.name!r}" if segment is not None else "members of any other segment"
        raise JourneyError(
            f"{required_outcome.name!r} already has a journey for {whom}: {clash.name!r}. Edit that one instead.",
            field="segment",
        )
    return name


@transaction.atomic
def journey_create(
    *,
    name: str,
    required_outcome: RequiredOutcome,
    segment: Segment | None = None,
    description: str = "",
    by: Actor,
) -> Journey:
    """A new journey toward a required outcome, for one segment or (no segment) for everyone else."""
    name = _check_journey(name=name, required_outcome=required_outcome, segment=segment, exclude=None)
    journey = Journey.objects.create(
        name=name, required_outcome=required_outcome, segment=segment, description=description.strip()
    )
    _audit(action="journey_created", by=by, obj=journey, detail=_journey_values(journey))
    return journey


@transaction.atomic
def journey_update(
    *,
    journey: Journey,
    name: str,
    required_outcome: RequiredOutcome,
    segment: Segment | None = None,
    description: str = "",
    by: Actor,
) -> Journey:
    """Rename or re-target a journey; the audit entry keeps what it was before."""
    name = _check_journey(name=name, required_outcome=required_outcome, segment=segment, exclude=journey.pk)
    before = _journey_values(journey)
    journey.name, journey.required_outcome, journey.segment = name, required_outcome, segment
    journey.description = description.strip()
    journey.save()
    _audit(action="journey_changed", by=by, obj=journey, detail={"before": before, "after": _journey_values(journey)})
    return journey


def _milestone_values(milestone: SuccessMilestone) -> dict[str, object]:
    return {
        "journey": milestone.journey_id,
        "order": milestone.order,
        "name": milestone.name,
        "due_offset_days": milestone.due_offset_days,
        "due_from": milestone.due_from,
        "grace_days": milestone.grace_days,
        "manual": milestone.manual,
        "rule": milestone.rule,
    }


def _apply(milestone: SuccessMilestone, fields: MilestoneFields) -> None:
    milestone.name, milestone.description = fields.name, fields.description
    milestone.due_offset_days, milestone.due_from = fields.due_offset_days, fields.due_from
    milestone.grace_days, milestone.manual, milestone.rule = fields.grace_days, fields.manual, fields.rule


@transaction.atomic
def milestone_add(
    *,
    journey: Journey,
    data: MilestoneInput,
    by: Actor,
    known_kinds: Collection[str] | None = None,
    known_sources: Collection[str] | None = None,
) -> SuccessMilestone:
    """Add a milestone at the end of the journey; raises MilestoneInputError naming each wrong field."""
    fields = validate_milestone(data, known_kinds=known_kinds, known_sources=known_sources)
    last = journey.milestones.aggregate(last=Max("order"))["last"] or 0
    milestone = SuccessMilestone(journey=journey, order=last + 1)
    _apply(milestone, fields)
    milestone.save()
    _audit(action="milestone_added", by=by, obj=milestone, detail=_milestone_values(milestone))
    return milestone


@transaction.atomic
def milestone_update(
    *,
    milestone: SuccessMilestone,
    data: MilestoneInput,
    by: Actor,
    known_kinds: Collection[str] | None = None,
    known_sources: Collection[str] | None = None,
) -> SuccessMilestone:
    """Change a milestone's name, due date, grace or achievement rule; the audit entry keeps the old values."""
    fields = validate_milestone(data, known_kinds=known_kinds, known_sources=known_sources)
    before = _milestone_values(milestone)
    _apply(milestone, fields)
    milestone.save()
    _audit(
        action="milestone_changed", by=by, obj=milestone,
        detail={"before": before, "after": _milestone_values(milestone)},
    )
    return milestone


def _renumber(journey: Journey, ordered: list[SuccessMilestone]) -> None:
    """Orders 1..n in the given sequence, without ever breaking "one milestone per order" on the way."""
    offset = (journey.milestones.aggregate(last=Max("order"))["last"] or 0) + 1
    for position, milestone in enumerate(ordered):
        SuccessMilestone.objects.filter(pk=milestone.pk).update(order=offset + position)
    for position, milestone in enumerate(ordered, start=1):
        SuccessMilestone.objects.filter(pk=milestone.pk).update(order=position)
        milestone.order = position


@transaction.atomic
def milestone_move(*, milestone: SuccessMilestone, direction: str, by: Actor) -> SuccessMilestone:
    """Move a milestone one place earlier ("up") or later ("down") on its journey."""
    if direction not in ("up", "down"):
        raise JourneyError(f"Cannot move a milestone {direction!r}; use 'up' or 'down'.", field="direction")
    journey = Journey.objects.select_for_update().get(pk=milestone.journey_id)
    ordered = list(journey.milestones.order_by("order", "pk"))
    index = next(i for i, m in enumerate(ordered) if m.pk == milestone.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        where = "first" if direction == "up" else "last"
        raise JourneyError(f"{milestone.name!r} is already the {where} milestone.", field="direction")
    before = [m.name for m in ordered]
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(journey, ordered)
    milestone.refresh_from_db()
    _audit(
        action="milestone_moved", by=by, obj=milestone,
        detail={"journey": journey.pk, "before": before, "after": [m.name for m in ordered]},
    )
    return milestone


@transaction.atomic
def milestone_remove(*, milestone: SuccessMilestone, by: Actor) -> int:
    """Remove a milestone and the achievements recorded for it; the rest close up. Returns achievements removed."""
    journey = Journey.objects.select_for_update().get(pk=milestone.journey_id)
    achievements = milestone.achievements.count()
    detail = {**_milestone_values(milestone), "achievements_removed": achievements}
    _audit(action="milestone_removed", by=by, obj=milestone, detail=detail)
    milestone.delete()
    _renumber(journey, list(journey.milestones.order_by("order", "pk")))
    return achievements


# ---------------------------------------------------------------------------------------------------
# Members on journeys


@transaction.atomic
def member_journey_change(
    *, member: Member, journey: Journey | None, reason: str, by: Actor
) -> Member:
    """Put a member on another journey (or none), with the reason staff give; recorded in the audit log."""
    reason = reason.strip()
    if not reason:
        raise JourneyError("Say why the journey changes, e.g. 'moved into the early-career segment'.", field="reason")
    if len(reason) > 500:
        raise JourneyError("Keep the reason under 500 characters.", field="reason")
    if journey is not None and journey.pk == member.journey_id:
        raise JourneyError(f"{member.name} is already on {journey.name!r}.", field="journey")
    before = member.journey_id
    member.journey = journey
    member.save(update_fields=["journey", "updated_at"])
    _audit(
        action="member_journey_changed", by=by, obj=member,
        detail={"from": before, "to": journey.pk if journey else None, "reason": reason},
    )
    return member


def journey_for(*, required_outcome: RequiredOutcome, segment: Segment | None) -> Journey | None:
    """The journey for a required outcome and segment, falling back to the outcome's segment-less one."""
    journeys = {j.segment_id: j for j in Journey.objects.filter(required_outcome=required_outcome)}
    if segment is not None and segment.pk in journeys:
        return journeys[segment.pk]
    return journeys.get(None)


@transaction.atomic
def milestone_confirm(
    *,
    member: Member,
    milestone: SuccessMilestone,
    achieved_on: date,
    evidence: str,
    by: Actor,
    today: date | None = None,
) -> MilestoneAchievement:
    """Staff confirm a member reached a milestone, saying what shows it; empty evidence is refused."""
    evidence = evidence.strip()
    if not evidence:
        raise JourneyError(
            "Say what shows the milestone was reached, e.g. 'certificate number 4411 issued 3 May'.", field="evidence"
        )
    if len(evidence) > 2000:
        raise JourneyError("Keep the evidence under 2,000 characters.", field="evidence")
    if milestone.journey_id != member.journey_id:
        raise JourneyError(f"{milestone.name!r} is not on {member.name}'s journey.", field="milestone")
    if achieved_on > (today or timezone.localdate()):
        raise JourneyError("The date it was reached cannot be in the future.", field="achieved_on")
    if achieved_on < member.joined_on:
        raise JourneyError(
            f"The date it was reached is before {member.name} joined ({member.joined_on:%d %b %Y}).",
            field="achieved_on",
        )
    existing = MilestoneAchievement.objects.select_for_update().filter(member=member, milestone=milestone).first()
    if existing is not None and existing.source == MilestoneAchievement.Source.MANUAL:
        raise JourneyError(
            f"{milestone.name!r} was already confirmed on {existing.achieved_on:%d %b %Y}.", field="milestone"
        )
    if existing is not None:
        # Reached by rule already: staff evidence makes it a confirmed achievement, dated as staff say.
        existing.source, existing.evidence = MilestoneAchievement.Source.MANUAL, evidence
        existing.achieved_on, existing.confirmed_by_id = achieved_on, _actor_id(by)
        existing.save()
        achievement = existing
    else:
        achievement = MilestoneAchievement.objects.create(
            member=member, milestone=milestone, achieved_on=achieved_on, source=MilestoneAchievement.Source.MANUAL,
            evidence=evidence, confirmed_by_id=_actor_id(by),
        )
    _audit(
        action="milestone_confirmed", by=by, obj=member,
        detail={"milestone": milestone.pk, "achieved_on": achieved_on.isoformat(), "evidence": evidence},
    )
    return achievement
