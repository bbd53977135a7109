"""Success Vectors as of any date, computed in memory from what was known on that date.

The report reads vectors this way rather than from stored scoring runs so that any as-of date can be
reported on (and the date a year earlier, whose outcomes are now known), with nothing written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa

from membersuccess.engine.backends import backend
from membersuccess.engine.milestones import Milestone
from membersuccess.engine.run import compute_vectors
from membersuccess.engine.signals import ScoringConfig
from membersuccess.scoring.models import SignalSet
from membersuccess.scoring.services import config_of, signal_set_active
from membersuccess.scoring.tables import read_snapshot

# The signal behind "active usage": distinct days on the member portal (DESIGN §6: one input among many).
USAGE_SIGNAL = "portal_days"


@dataclass(frozen=True)
class VectorsAsOf:
    """Every active member's vector on one date, and the configuration it was computed with."""

    as_of: date
    table: pa.Table  # the engine's result: member_id, score, status, x_<signal>, rule_met_<milestone> ...
    config: ScoringConfig
    milestones: list[Milestone]
    signal_version: int

    def column(self, name: str) -> list[Any]:
        return self.table.column(name).to_pylist() if name in self.table.column_names else [None] * len(self)

    def __len__(self) -> int:
        return int(self.table.num_rows)


def vectors_as_of(*, as_of: date, signal_set: SignalSet | None = None) -> VectorsAsOf:
    """The Success Vector of every member active on `as_of`, using only interactions up to that day."""
    signal_set = signal_set or signal_set_active()
    config = config_of(signal_set)
    snapshot = read_snapshot(as_of=as_of)
    with backend("duckdb") as con:
        table = compute_vectors(con, dict(snapshot.tables), config=config, milestones=snapshot.milestones,
                                as_of=as_of)
    return VectorsAsOf(as_of=as_of, table=table, config=config, milestones=snapshot.milestones,
                       signal_version=signal_set.version)
