"""Writes on journeys: which journey a member is on."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from membersuccess.journeys.models import Journey
from membersuccess.members.models import Member


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

