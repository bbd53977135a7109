"""Record the milestones a scoring run found reached by their rules, so the member 360 page shows them.

The engine says, per member, which milestones of their journey meet their rule on the as-of date
(`rule_met_<id>` columns). A run adds a `rule` achievement for each one the member has no
achievement for yet, dated on the run's as-of date: the engine knows the rule is met by then, not
the day it first was. A later run for an earlier date moves a rule achievement back to that date.
Achievements confirmed by staff are never changed, and nothing is ever deleted (a term-start rule
that stops being met in a new term does not undo what the member reached)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from membersuccess.engine.milestones import Milestone
from membersuccess.engine.vector import rule_met_column
from membersuccess.journeys.models import MilestoneAchievement

BATCH_MEMBERS = 5_000


def record_rule_achievements(*, result: pa.Table, milestones: Sequence[Milestone], as_of: date) -> None:
    """Add or move back rule achievements, a few thousand members at a time; call inside the publish transaction."""
    ruled = [m for m in milestones if m.rule is not None and rule_met_column(m) in result.column_names]
    if not ruled:
        return
    for batch in result.select(["member_id", *[rule_met_column(m) for m in ruled]]).to_batches(BATCH_MEMBERS):
        for milestone in ruled:
            met = batch.column(rule_met_column(milestone))
            member_ids = pc.filter(batch.column("member_id"), pc.fill_null(met, False)).to_pylist()
            if member_ids:
                _record(milestone_id=milestone.milestone_id, member_ids=member_ids, as_of=as_of)


def _record(*, milestone_id: int, member_ids: list[int], as_of: date) -> None:
    MilestoneAchievement.objects.bulk_create(
        [
            MilestoneAchievement(
                member_id=member_id, milestone_id=milestone_id, achieved_on=as_of,
                source=MilestoneAchievement.Source.RULE,
            )
            for member_id in member_ids
        ],
        ignore_conflicts=True,  # one achievement per member and milestone: whatever is there stays
    )
    MilestoneAchievement.objects.filter(
        milestone_id=milestone_id, member_id__in=member_ids, source=MilestoneAchievement.Source.RULE,
        achieved_on__gt=as_of,
    ).update(achieved_on=as_of)
