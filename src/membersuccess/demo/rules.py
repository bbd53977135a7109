"""Milestone attainment, evaluated by applying the journeys' achievement rules to generated interactions.

The simulation decides renewals from this share, so the rules staff see in the admin are
literally what drove who stayed: count and distinct_days count matching interactions since
the anchor, sum adds their values (CE credits)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from membersuccess.demo.activity import Rows
from membersuccess.demo.world import World

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass
class Progress:
    """Per member of a chunk, how far each rule-based milestone has come since joining."""

    since_join: FloatArray  # (milestones, members): the aggregate over all terms so far

    @staticmethod
    def start(*, world: World, members: int) -> Progress:
        """Nothing done yet."""
        return Progress(since_join=np.zeros((len(world.milestones), members)))


def term_aggregates(*, world: World, journey: IntArray, rows: Rows) -> FloatArray:
    """Each milestone's aggregate over `rows` (one term), per member: (milestones, members)."""
    out = np.zeros((len(world.milestones), len(journey)))
    for i, milestone in enumerate(world.milestones):
        match = np.isin(rows.kind, milestone.kinds) & (journey[rows.member] == milestone.journey)
        member = rows.member[match]
        if milestone.aggregation == "sum":
            out[i] = np.bincount(member, weights=np.nan_to_num(rows.value[match]), minlength=len(journey))
        elif milestone.aggregation == "distinct_days":
            # Terms never overlap, so distinct days add up across terms.
            pairs = np.unique(member * 1_000_000 + rows.day[match])
            out[i] = np.bincount(pairs // 1_000_000, minlength=len(journey))
        else:
            out[i] = np.bincount(member, minlength=len(journey))
    return out


def attainment_share(
    *,
    world: World,
    journey: IntArray,
    progress: Progress,
    this_term: FloatArray,
    who: IntArray,
    joined: IntArray,
    term_start: IntArray,
    on: IntArray,
) -> FloatArray:
    """For members `who`, achieved ÷ due rule-based milestones of their own journey on day `on`.

    A member with nothing due yet counts as fully on track (DESIGN.md §6)."""
    due_count = np.zeros(len(who))
    achieved_count = np.zeros(len(who))
    own = journey[who]
    for i, milestone in enumerate(world.milestones):
        if milestone.window == "join":
            amount, anchor = progress.since_join[i, who], joined
        else:
            amount, anchor = this_term[i, who], term_start
        due = (own == milestone.journey) & (anchor + milestone.due_offset_days <= on)
        due_count += due
        achieved_count += due & (amount >= milestone.threshold)
    share: FloatArray = np.where(due_count > 0, achieved_count / np.maximum(due_count, 1), 1.0)
    return share
