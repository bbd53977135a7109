"""One scoring computation from input tables to an Arrow result, on a given backend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import ibis
import pyarrow as pa

from membersuccess.engine.backends import TableSource, load_inputs, to_arrow
from membersuccess.engine.milestones import Milestone
from membersuccess.engine.signals import ScoringConfig
from membersuccess.engine.vector import score_members


def compute_vectors(
    con: ibis.BaseBackend,
    sources: Mapping[str, TableSource],
    *,
    config: ScoringConfig,
    milestones: Sequence[Milestone],
    as_of: date,
    staging: Path | None = None,
) -> pa.Table:
    """The Success Vector of every member active on `as_of`, sorted by member id."""
    inputs = load_inputs(con, sources, staging=staging)
    expr = score_members(inputs, config=config, milestones=milestones, as_of=as_of)
    return to_arrow(con, expr.order_by("member_id"))
