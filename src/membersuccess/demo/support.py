"""Support tickets and survey answers (NPS yearly, CSAT after a resolved ticket) of one term.

Members who struggle on their path open more tickets; NPS follows latent happiness, which
is only weakly related to success (happiness is not success)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from membersuccess.demo.activity import MemberState
from membersuccess.demo.calendar import SECONDS_PER_DAY
from membersuccess.demo.latent import Members
from membersuccess.demo.words import NPS_COMMENTS, TICKET_CATEGORIES
from membersuccess.demo.world import World

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

TICKETS_A_YEAR = 0.6
SEVERITIES: tuple[tuple[str, float, float], ...] = (
    # (severity, share, median hours to resolve)
    ("low", 0.3, 60.0), ("normal", 0.5, 30.0), ("high", 0.15, 10.0), ("urgent", 0.05, 4.0),
)
SUBJECTS_PER_CATEGORY = 3
NPS_RESPONSE_RATE = 0.3
CSAT_RESPONSE_RATE = 0.25
COMMENT_RATE = 0.35
NPS_GROUPS = ("detractor", "passive", "promoter")
COMMENTS_PER_GROUP = 4


def _ints() -> IntArray:
    return np.zeros(0, dtype=np.int64)


@dataclass
class Tickets:
    member: IntArray = field(default_factory=_ints)
    opened: IntArray = field(default_factory=_ints)  # second
    resolved: IntArray = field(default_factory=_ints)  # second, -1 while open
    category: IntArray = field(default_factory=_ints)
    subject: IntArray = field(default_factory=_ints)  # category * SUBJECTS_PER_CATEGORY + n
    severity: IntArray = field(default_factory=_ints)


@dataclass
class Surveys:
    member: IntArray = field(default_factory=_ints)
    responded: IntArray = field(default_factory=_ints)  # second
    score: IntArray = field(default_factory=_ints)
    nps: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))  # else CSAT
    comment: IntArray = field(default_factory=_ints)  # group * COMMENTS_PER_GROUP + n, or -1


def _sigmoid(x: FloatArray) -> FloatArray:
    result: FloatArray = 1 / (1 + np.exp(-x))
    return result


def term_tickets(
    *, rng: np.random.Generator, world: World, state: MemberState, who: IntArray, start: IntArray, end: IntArray
) -> Tickets:
    """Tickets opened during the term; the ones not resolved by the as-of date stay open."""
    pace = TICKETS_A_YEAR * np.exp(0.3 * state.activity[who] - 0.35 * state.success[who])
    counts = rng.poisson(pace * (end - start) / 365.0)
    local = np.repeat(np.arange(len(who)), counts)
    span = ((end - start)[local] * SECONDS_PER_DAY).astype(np.float64)
    opened = start[local] * SECONDS_PER_DAY + np.floor(rng.random(len(local)) * span).astype(np.int64)
    severity = rng.choice(len(SEVERITIES), size=len(local), p=[s for _, s, _ in SEVERITIES]).astype(np.int64)
    median_hours = np.array([h for _, _, h in SEVERITIES])[severity]
    hours = rng.lognormal(np.log(median_hours), 0.8)
    resolved = opened + np.round(hours * 3600).astype(np.int64)
    resolved[resolved >= world.as_of_day * SECONDS_PER_DAY] = -1
    weights = np.array([w for _, w, _ in TICKET_CATEGORIES])
    category = rng.choice(len(TICKET_CATEGORIES), size=len(local), p=weights / weights.sum()).astype(np.int64)
    subject = category * SUBJECTS_PER_CATEGORY + rng.integers(0, SUBJECTS_PER_CATEGORY, len(local))
    return Tickets(who[local], opened, resolved, category, subject, severity)


def term_surveys(
    *,
    rng: np.random.Generator,
    world: World,
    members: Members,
    state: MemberState,
    who: IntArray,
    start: IntArray,
    end: IntArray,
    tickets: Tickets,
) -> Surveys:
    """NPS answers to the yearly survey sent during the term, and CSAT answers after resolved tickets."""
    sent = world.survey_days
    invited = (sent[None, :] >= start[:, None]) & (sent[None, :] < end[:, None])
    rate = NPS_RESPONSE_RATE + 0.15 * _sigmoid(state.activity[who])
    answered = invited & (rng.random(invited.shape) < rate[:, None])
    local, survey = np.nonzero(answered)
    responded = (sent[survey] + rng.integers(0, 15, len(local))) * SECONDS_PER_DAY + rng.integers(
        7 * 3600, 22 * 3600, len(local)
    )
    in_term = responded < np.minimum(end[local], world.as_of_day) * SECONDS_PER_DAY
    local, responded = local[in_term], responded[in_term]
    happiness = members.happiness[who[local]]
    nps = np.clip(np.round(7.2 + 1.6 * happiness + rng.normal(0, 1.1, len(local))), 0, 10).astype(np.int64)
    group = np.digitize(nps, [7, 9])  # 0-6 detractor, 7-8 passive, 9-10 promoter
    nps_comment = np.where(rng.random(len(local)) < COMMENT_RATE,
                           group * COMMENTS_PER_GROUP + rng.integers(0, COMMENTS_PER_GROUP, len(local)), -1)
    csat_member, csat_at, csat = _csat(rng, world, tickets)
    return Surveys(
        member=np.concatenate([who[local], csat_member]),
        responded=np.concatenate([responded, csat_at]),
        score=np.concatenate([nps, csat]),
        nps=np.concatenate([np.ones(len(local), dtype=np.bool_), np.zeros(len(csat), dtype=np.bool_)]),
        comment=np.concatenate([nps_comment, np.full(len(csat), -1, dtype=np.int64)]),
    )


def _csat(rng: np.random.Generator, world: World, tickets: Tickets) -> tuple[IntArray, IntArray, IntArray]:
    """Slow answers make for unhappy members: CSAT falls with the hours a ticket took."""
    asked = (tickets.resolved >= 0) & (rng.random(len(tickets.member)) < CSAT_RESPONSE_RATE)
    at = tickets.resolved[asked] + rng.integers(600, 2 * SECONDS_PER_DAY, int(asked.sum()))
    hours = (tickets.resolved[asked] - tickets.opened[asked]) / 3600
    score = np.clip(np.round(4.4 - 0.45 * np.log1p(hours / 24) + rng.normal(0, 0.7, len(at))), 1, 5).astype(np.int64)
    kept = at < world.as_of_day * SECONDS_PER_DAY
    return tickets.member[asked][kept], at[kept], score[kept]


def nps_comment_texts() -> tuple[str, ...]:
    """Comment texts in the order `Surveys.comment` indexes them."""
    return tuple(text for group in NPS_GROUPS for text in NPS_COMMENTS[group][:COMMENTS_PER_GROUP])
