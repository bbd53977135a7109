"""Reads for the outreach check: what we know about the member a draft is for."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from membersuccess.journeys.models import SuccessMilestone
from membersuccess.members.models import DesiredOutcome, Member, Offering
from membersuccess.members.selectors import MilestoneState, current_term, journey_progress
from membersuccess.outreach.checks import MemberContext, Resource

RESOURCES_SUGGESTED = 3


class UnknownMember(LookupError):
    """No member with that external id (or not one the caller may see)."""


def member_by_external_id(*, external_id: str, members: QuerySet[Member] | None = None) -> Member:
    """The member with this external id among `members` (default: all); raises UnknownMember."""
    found = (members if members is not None else Member.objects.all()).filter(external_id=external_id).first()
    if found is None:
        raise UnknownMember(f"There is no member with id {external_id!r}.")
    return found


def outreach_context(*, member: Member, as_of: date | None = None) -> MemberContext:
    """The member's next milestone (with its due date) and resources serving their required outcome."""
    as_of = as_of or timezone.localdate()
    next_milestone = None
    if member.journey_id is not None:
        milestones: list[SuccessMilestone] = list(SuccessMilestone.objects.filter(journey_id=member.journey_id))
        progress = journey_progress(
            member=member,
            milestones=milestones,
            achievements=member.achievements.filter(milestone__journey_id=member.journey_id),
            term=current_term(terms=member.terms.all(), as_of=as_of),
            as_of=as_of,
        )
        next_milestone = next((m for m in progress if m.is_next), None)
    desired = DesiredOutcome.objects.filter(member=member, is_current=True).select_related("required_outcome").first()
    # Without a stated desired outcome, the journey's outcome is the best we know.
    outcome = desired.required_outcome if desired is not None else None
    if outcome is None and member.journey is not None:
        outcome = member.journey.required_outcome
    resources: tuple[Resource, ...] = ()
    if outcome is not None:
        offerings = outcome.offerings.exclude(kind=Offering.Kind.DUES_TIER).order_by("kind", "name")
        resources = tuple(
            Resource(name=o.name, kind=str(o.get_kind_display())) for o in offerings[:RESOURCES_SUGGESTED]
        )
    return MemberContext(
        member_name=member.name,
        next_milestone=next_milestone.milestone.name if next_milestone else None,
        next_milestone_due_on=next_milestone.due_on if next_milestone else None,
        next_milestone_overdue=bool(next_milestone and next_milestone.state is MilestoneState.OVERDUE),
        required_outcome=outcome.name if outcome is not None else None,
        resources=resources,
    )
