"""The latent model run forward term by term for one chunk of members.

Each term: draw the term's interactions, tickets and surveys; at the term's end apply the
journey rules to what happened and SAMPLE the renewal from a logistic model in which the
member's attainment of their own milestones weighs heavily, activity volume lightly and
happiness (NPS) hardly at all. Lapsed members do nothing after their last term."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from membersuccess.demo.activity import MemberState, Rows, term_interactions
from membersuccess.demo.calendar import add_years
from membersuccess.demo.latent import Members, draw_members
from membersuccess.demo.rules import Progress, attainment_share, term_aggregates
from membersuccess.demo.support import Surveys, Tickets, term_surveys, term_tickets
from membersuccess.demo.words import CHANNELS, LAPSE_REASONS
from membersuccess.demo.world import KIND_INDEX, ONCE_KINDS, World

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

T = TypeVar("T")
CHUNK_SIZE = 5_000
TERM_STATUSES = ("active", "renewed", "upgraded", "downgraded", "lapsed")
MEMBER_STATUSES = ("active", "grace", "lapsed")
GRACE_DAYS = 30  # a member whose term ended this recently is in grace, not lapsed yet

# The renewal model (log-odds). Attainment is a share in [0, 1]; volume is standardized
# log(1 + interactions in the term); happiness is standard normal.
RENEWAL_BASE = {"first": 0.9, "later": 1.5}
ATTAINMENT_WEIGHT = 5.0
ATTAINMENT_CENTER = 0.65
VOLUME_WEIGHT = 0.2
VOLUME_MEAN, VOLUME_SD = 3.6, 0.8
HAPPINESS_WEIGHT = 0.04
# Latent propensities drift from term to term (autocorrelation); success drifts more.
SUCCESS_PERSISTENCE = 0.8
ACTIVITY_PERSISTENCE = 0.9


def _ints() -> IntArray:
    return np.zeros(0, dtype=np.int64)


@dataclass
class Terms:
    member: IntArray = field(default_factory=_ints)
    index: IntArray = field(default_factory=_ints)  # 0 for the first term
    start: IntArray = field(default_factory=_ints)
    end: IntArray = field(default_factory=_ints)  # last day of the term
    tier: IntArray = field(default_factory=_ints)
    status: IntArray = field(default_factory=_ints)  # into TERM_STATUSES
    reason: IntArray = field(default_factory=_ints)  # into LAPSE_REASONS


@dataclass
class Evidence:
    """One row per renewal decision: what the model saw and what it sampled."""

    member: IntArray = field(default_factory=_ints)
    term: IntArray = field(default_factory=_ints)
    attainment: FloatArray = field(default_factory=lambda: np.zeros(0))
    volume: IntArray = field(default_factory=_ints)  # interactions in the term, dues payments aside
    nps_mean: FloatArray = field(default_factory=lambda: np.zeros(0))  # NaN: never answered
    renewed: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))


@dataclass
class Chunk:
    members: Members
    status: IntArray  # into MEMBER_STATUSES
    terms: Terms
    interactions: Rows
    tickets: Tickets
    surveys: Surveys
    evidence: Evidence


def _concat(parts: list[T], kind: type[T]) -> T:
    if not parts:
        return kind()
    names = list(vars(parts[0]))
    return kind(*(np.concatenate([getattr(p, n) for p in parts]) for n in names))


def simulate_chunk(*, world: World, seed: int, chunk_index: int, size: int) -> Chunk:
    """Simulate members number chunk_index * CHUNK_SIZE + 1 onward; same arguments, same result."""
    rng = np.random.default_rng([seed, chunk_index])
    members = draw_members(rng=rng, first_number=chunk_index * CHUNK_SIZE + 1, size=size, world=world)
    run = _ChunkRun(rng=rng, world=world, members=members)
    term = 0
    while run.simulate_term(term):  # joins are at most HISTORY_YEARS back, so this ends
        term += 1
    return run.result()


class _ChunkRun:
    """The state of one chunk's simulation as it moves forward one term at a time."""

    def __init__(self, *, rng: np.random.Generator, world: World, members: Members) -> None:
        size = len(members)
        self.rng, self.world, self.members = rng, world, members
        self.fit = np.array([f for _, f, _ in CHANNELS])[members.channel]
        self.state = MemberState(
            success=members.success.copy(), activity=members.activity.copy(), tier=members.tier.copy(),
            done_once=np.zeros((size, len(ONCE_KINDS)), dtype=np.bool_),
            exam_day=np.full(size, -1, dtype=np.int64), exam_passed=np.zeros(size, dtype=np.bool_),
        )
        self.progress = Progress.start(world=world, members=size)
        self.alive = np.ones(size, dtype=np.bool_)
        self.status = np.zeros(size, dtype=np.int64)
        self.nps_sum, self.nps_count = np.zeros(size), np.zeros(size)
        self.terms: list[Terms] = []
        self.rows: list[Rows] = []
        self.tickets: list[Tickets] = []
        self.surveys: list[Surveys] = []
        self.evidence: list[Evidence] = []

    def simulate_term(self, k: int) -> bool:
        """Simulate everyone's k-th term (0 = the first); False when nobody has one."""
        world, members, rng = self.world, self.members, self.rng
        start, next_start = add_years(members.joined, k), add_years(members.joined, k + 1)
        who = np.flatnonzero(self.alive & (start < world.as_of_day))
        # Members who renewed yesterday hold a term that starts on the as-of date: nothing in it yet.
        starting = np.flatnonzero(self.alive & (start == world.as_of_day))
        if len(starting):
            self.terms.append(Terms(starting, np.full(len(starting), k), start[starting], next_start[starting] - 1,
                                    self.state.tier[starting].copy(), np.zeros(len(starting), dtype=np.int64),
                                    np.zeros(len(starting), dtype=np.int64)))
        if len(who) == 0:
            return len(starting) > 0
        if k > 0:
            _drift(rng, self.state, who, self.fit)
        w_start, w_end = start[who], np.minimum(next_start[who], world.as_of_day)
        rows = term_interactions(rng=rng, world=world, members=members, state=self.state, who=who,
                                 start=w_start, end=w_end, bucket=min(k, 2))
        tickets = term_tickets(rng=rng, world=world, state=self.state, who=who, start=w_start, end=w_end)
        surveys = term_surveys(rng=rng, world=world, members=members, state=self.state, who=who,
                               start=w_start, end=w_end, tickets=tickets)
        self.rows.append(rows)
        self.tickets.append(tickets)
        self.surveys.append(surveys)
        np.add.at(self.nps_sum, surveys.member[surveys.nps], surveys.score[surveys.nps])
        np.add.at(self.nps_count, surveys.member[surveys.nps], 1)
        aggregates = term_aggregates(world=world, journey=members.journey, rows=rows)
        self.progress.since_join += aggregates
        tier = self.state.tier[who].copy()
        status = np.zeros(len(who), dtype=np.int64)
        reason = np.zeros(len(who), dtype=np.int64)
        over = next_start[who] <= world.as_of_day  # the term has ended, so its renewal was decided
        if over.any():
            status[over], reason[over] = self._decide(k, who[over], start, next_start, aggregates, rows)
        self.terms.append(Terms(who, np.full(len(who), k), start[who], next_start[who] - 1, tier, status, reason))
        return True

    def _decide(
        self, k: int, decided: IntArray, start: IntArray, next_start: IntArray, aggregates: FloatArray, rows: Rows
    ) -> tuple[IntArray, IntArray]:
        """Sample the renewal at the end of term k; returns the terms' statuses and lapse reasons."""
        world, members, rng = self.world, self.members, self.rng
        share = attainment_share(world=world, journey=members.journey, progress=self.progress, this_term=aggregates,
                                 who=decided, joined=members.joined[decided], term_start=start[decided],
                                 on=next_start[decided] - 1)
        counted = rows.kind != KIND_INDEX["payment"]  # dues are paid by everyone: not activity
        volume = np.bincount(rows.member[counted], minlength=len(members))[decided]
        renewed = _sample_renewal(rng, k, share, volume, members.happiness[decided])
        answered = self.nps_count[decided]
        nps_mean = np.where(answered > 0, self.nps_sum[decided] / np.maximum(answered, 1), np.nan)
        self.evidence.append(Evidence(decided, np.full(len(decided), k), share, volume, nps_mean, renewed))
        status = _renewed_status(rng, world, self.state, decided, share, renewed)
        lapsed = decided[~renewed]
        self.alive[lapsed] = False
        in_grace = next_start[lapsed] > world.as_of_day - GRACE_DAYS
        self.status[lapsed] = np.where(in_grace, MEMBER_STATUSES.index("grace"), MEMBER_STATUSES.index("lapsed"))
        reason = np.where(renewed, 0, rng.integers(0, len(LAPSE_REASONS), len(decided)))
        # A member in grace has not lapsed yet: their last term is still the active one.
        status[np.flatnonzero(~renewed)[in_grace]] = TERM_STATUSES.index("active")
        return status, reason

    def result(self) -> Chunk:
        """Everything simulated, interactions in (member, time) order."""
        interactions = Rows.concat(self.rows)
        order = np.lexsort((interactions.kind, interactions.second, interactions.member))
        return Chunk(self.members, self.status, _concat(self.terms, Terms), interactions.take(order),
                     _concat(self.tickets, Tickets), _concat(self.surveys, Surveys),
                     _concat(self.evidence, Evidence))


def _drift(rng: np.random.Generator, state: MemberState, who: IntArray, fit: FloatArray) -> None:
    """Propensities wander a little from one term to the next, around the member's own level."""
    rho_s, rho_a = SUCCESS_PERSISTENCE, ACTIVITY_PERSISTENCE
    noise = rng.standard_normal((2, len(who)))
    state.success[who] = fit[who] + rho_s * (state.success[who] - fit[who]) + np.sqrt(1 - rho_s**2) * noise[0]
    state.activity[who] = rho_a * state.activity[who] + np.sqrt(1 - rho_a**2) * noise[1]


def renewal_probability(*, first: bool, attainment: FloatArray, volume: IntArray, happiness: FloatArray) -> FloatArray:
    """The renewal model: attainment of one's own milestones strongly, activity weakly, happiness barely."""
    logit = (
        RENEWAL_BASE["first" if first else "later"]
        + ATTAINMENT_WEIGHT * (attainment - ATTAINMENT_CENTER)
        + VOLUME_WEIGHT * (np.log1p(volume) - VOLUME_MEAN) / VOLUME_SD
        + HAPPINESS_WEIGHT * happiness
    )
    probability: FloatArray = 1 / (1 + np.exp(-logit))
    return probability


def _sample_renewal(
    rng: np.random.Generator, k: int, share: FloatArray, volume: IntArray, happiness: FloatArray
) -> BoolArray:
    p = renewal_probability(first=k == 0, attainment=share, volume=volume, happiness=happiness)
    renewed: BoolArray = rng.random(len(p)) < p
    return renewed


def _renewed_status(
    rng: np.random.Generator, world: World, state: MemberState, decided: IntArray, share: FloatArray,
    renewed: BoolArray,
) -> IntArray:
    """Status of each decided term; renewing members who reach their milestones upgrade more, downgrade less."""
    tier = state.tier[decided]
    up, down = world.tier_up[tier], world.tier_down[tier]
    draw = rng.random(len(decided))
    p_up = np.where(up != tier, 1 / (1 + np.exp(-(-3.4 + 2.2 * share))), 0.0)
    p_down = np.where(down != tier, 1 / (1 + np.exp(-(-2.6 - 2.0 * share))), 0.0)
    upgrade = renewed & (draw < p_up)
    downgrade = renewed & ~upgrade & (draw >= 1 - p_down)
    status = np.full(len(decided), TERM_STATUSES.index("renewed"), dtype=np.int64)
    status[upgrade] = TERM_STATUSES.index("upgraded")
    status[downgrade] = TERM_STATUSES.index("downgraded")
    status[~renewed] = TERM_STATUSES.index("lapsed")
    state.tier[decided] = np.where(upgrade, up, np.where(downgrade, down, tier))
    return status
