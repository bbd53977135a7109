"""Success Vectors as of any date, computed in memory from only what was known on that date.

The report reads vectors this way rather than from stored scoring runs so that any as-of date can be
reported on (and the date a year earlier, whose outcomes are now known), with nothing written. The
computation is the backtest's own (`score_known`), so the report and `msm backtest` agree to the digit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from membersuccess.engine.milestones import Milestone, rule_from_json
from membersuccess.engine.signals import ScoringConfig
from membersuccess.evidence.backtest import KnownScores, score_known
from membersuccess.journeys.models import SuccessMilestone
from membersuccess.scoring.services import config_of, signal_set_active

# The signal behind "active usage": distinct days on the member portal (DESIGN §6: one input among many).
USAGE_SIGNAL = "portal_days"


@dataclass(frozen=True)
class VectorsAsOf:
    """Every member's vector on one date as known then, and the configuration it was computed with."""

    known: KnownScores  # the engine's result: member_id, score, status, x_<signal>, rule_met_<milestone> ...
    config: ScoringConfig
    milestones: list[Milestone]

    @property
    def as_of(self) -> date:
        return self.known.as_of

    @property
    def signal_version(self) -> int:
        return self.known.signal_set_version

    def column(self, name: str) -> list[Any]:
        table = self.known.result
        return table.column(name).to_pylist() if name in table.column_names else [None] * len(self)

    def __len__(self) -> int:
        return int(self.known.result.num_rows)


def _milestones() -> list[Milestone]:
    return [
        Milestone(
            milestone_id=m.pk, journey_id=m.journey_id, order=m.order, name=m.name,
            due_offset_days=m.due_offset_days, due_from=m.due_from,  # type: ignore[arg-type]
            grace_days=m.grace_days, rule=rule_from_json(m.rule, milestone=m.name),
        )
        for m in SuccessMilestone.objects.order_by("journey_id", "order")
    ]


def vectors_as_of(*, as_of: date) -> VectorsAsOf:
    """The Success Vector of every member active on `as_of`, from what was known at the end of that day."""
    config = config_of(signal_set_active())
    return VectorsAsOf(known=score_known(as_of=as_of), config=config, milestones=_milestones())
