"""Who the members are: observed traits (segment, outcome, join date...) and the latent propensities.

The latent traits are what the product can never see directly: how likely a member is to
make progress toward their own outcome (success), how busy they are with us in general
(activity), and how happy they say they are (happiness, which NPS measures)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from membersuccess.demo.blueprint import OUTCOMES, SEGMENTS, SUCCESS_MANAGERS
from membersuccess.demo.words import (
    ACCESSIBILITY,
    CHANNELS,
    CITIES,
    CONTACT_ROLES,
    EMAIL_DOMAINS,
    EXPERIENCE_FORMATS,
    FIRST_NAMES,
    LANGUAGES,
    LAST_NAMES,
    ORGANIZATION_FORMS,
    ORGANIZATION_STEMS,
    ORGANIZATION_TRADES,
)
from membersuccess.demo.world import TIERS, World

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

ORGANIZATION_SHARE = 0.07
# Share of individual members in each segment (organizations are the organizational segment).
INDIVIDUAL_SEGMENTS = {"students": 0.15, "early-career": 0.28, "mid-career": 0.35, "senior": 0.22}
# What members of each segment come to us for.
OUTCOME_MIX: dict[str, dict[str, float]] = {
    "students": {"find-a-job": 0.45, "earn-certification": 0.3, "grow-network": 0.25},
    "early-career": {"earn-certification": 0.32, "find-a-job": 0.22, "grow-network": 0.26, "stay-current-ce": 0.2},
    "mid-career": {"stay-current-ce": 0.38, "earn-certification": 0.15, "grow-network": 0.2,
                   "business-leads": 0.12, "advocacy": 0.15},
    "senior": {"stay-current-ce": 0.3, "grow-network": 0.2, "business-leads": 0.15, "advocacy": 0.35},
    "organizational": {"business-leads": 0.55, "advocacy": 0.45},
}
FIRST_TIER = {"students": "dues-student", "early-career": "dues-early-career", "mid-career": "dues-professional"}
SUCCESS_ACTIVITY_CORRELATION = 0.15  # busy members are only a little more likely to succeed
HAPPINESS_SUCCESS_CORRELATION = 0.2  # happiness is not success


@dataclass
class Members:
    """One chunk of members as parallel arrays; index i is the same member in every array."""

    number: IntArray  # 1-based member number across the whole association
    organization: BoolArray
    segment: IntArray  # into SEGMENTS
    outcome: IntArray  # into OUTCOMES
    journey: IntArray  # into JOURNEYS
    joined: IntArray  # day
    channel: IntArray  # into CHANNELS
    city: IntArray  # into CITIES
    manager: IntArray  # into SUCCESS_MANAGERS
    tier: IntArray  # first tier, into TIERS
    success: FloatArray  # latent, standard normal plus the channel's fit
    activity: FloatArray  # latent, standard normal
    happiness: FloatArray  # latent, standard normal
    volunteer: BoolArray
    formats: BoolArray  # (members, formats) appropriate experience
    experience_channel: IntArray
    cadence: IntArray
    language: IntArray
    accessibility: IntArray
    time_budget: IntArray  # hours a month
    stated: BoolArray  # the desired outcome was stated (else inferred by staff)
    outcome_recorded_after: IntArray  # days after joining
    given_name: IntArray  # into FIRST_NAMES; for organizations, their primary contact's
    family_name: IntArray  # into LAST_NAMES
    organization_name: IntArray  # (members, 3) into ORGANIZATION_STEMS, _TRADES, _FORMS
    contact_role: IntArray  # into CONTACT_ROLES
    email_domain: IntArray  # into EMAIL_DOMAINS

    def __len__(self) -> int:
        return len(self.number)


def _pick(rng: np.random.Generator, weights: list[float] | FloatArray, size: int) -> IntArray:
    p = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(p), size=size, p=p / p.sum()).astype(np.int64)


def draw_members(*, rng: np.random.Generator, first_number: int, size: int, world: World) -> Members:
    """Sample a chunk of members; the same generator state always gives the same members."""
    segment_codes = [s.code for s in SEGMENTS]
    outcome_codes = [o.code for o in OUTCOMES]
    organization = rng.random(size) < ORGANIZATION_SHARE
    individual_segment = np.array([segment_codes.index(c) for c in INDIVIDUAL_SEGMENTS], dtype=np.int64)[
        _pick(rng, list(INDIVIDUAL_SEGMENTS.values()), size)
    ]
    segment = np.where(organization, segment_codes.index("organizational"), individual_segment)
    outcome = np.zeros(size, dtype=np.int64)
    for s, code in enumerate(segment_codes):
        here = np.flatnonzero(segment == s)
        mix = OUTCOME_MIX[code]
        choices = np.array([outcome_codes.index(o) for o in mix], dtype=np.int64)
        outcome[here] = choices[_pick(rng, list(mix.values()), len(here))]
    # Joins lean toward recent years: the association has been growing.
    span = world.as_of_day - world.first_day - 1
    joined = world.as_of_day - 1 - np.floor(span * rng.random(size) ** 0.85).astype(np.int64)
    channel = _pick(rng, [w for _, _, w in CHANNELS], size)
    fit = np.array([f for _, f, _ in CHANNELS])[channel]
    z = rng.standard_normal((3, size))
    success = z[0] + fit
    activity = SUCCESS_ACTIVITY_CORRELATION * z[0] + np.sqrt(1 - SUCCESS_ACTIVITY_CORRELATION**2) * z[1]
    happiness = HAPPINESS_SUCCESS_CORRELATION * z[0] + np.sqrt(1 - HAPPINESS_SUCCESS_CORRELATION**2) * z[2]
    senior = segment == segment_codes.index("senior")
    volunteer = rng.random(size) < 1 / (1 + np.exp(-(activity + 0.5 * success + 0.8 * senior - 2.4)))
    formats = rng.random((size, len(EXPERIENCE_FORMATS))) < np.array([0.55, 0.5, 0.35, 0.2, 0.45])
    formats[np.arange(size), rng.integers(0, len(EXPERIENCE_FORMATS), size)] = True  # everyone prefers something
    return Members(
        number=np.arange(first_number, first_number + size, dtype=np.int64),
        organization=organization,
        segment=segment,
        outcome=outcome,
        journey=world.journey_of[outcome, segment],
        joined=joined.astype(np.int64),
        channel=channel,
        city=_pick(rng, [w for _, _, w in CITIES], size),
        manager=rng.integers(0, len(SUCCESS_MANAGERS), size).astype(np.int64),
        tier=_first_tier(rng, segment, organization),
        success=success,
        activity=activity,
        happiness=happiness,
        volunteer=volunteer,
        formats=formats,
        experience_channel=_pick(rng, [0.4, 0.25, 0.35], size),
        cadence=_pick(rng, [0.25, 0.55, 0.2], size),
        language=_pick(rng, [w for _, w in LANGUAGES], size),
        accessibility=_pick(rng, [w for _, w in ACCESSIBILITY], size),
        time_budget=np.clip(np.round(rng.lognormal(np.log(6), 0.6, size)), 1, 60).astype(np.int64),
        stated=rng.random(size) < 0.8,
        outcome_recorded_after=rng.integers(0, 21, size).astype(np.int64),
        given_name=rng.integers(0, len(FIRST_NAMES), size).astype(np.int64),
        family_name=rng.integers(0, len(LAST_NAMES), size).astype(np.int64),
        organization_name=np.column_stack([
            rng.integers(0, len(words), size) for words in (ORGANIZATION_STEMS, ORGANIZATION_TRADES, ORGANIZATION_FORMS)
        ]).astype(np.int64),
        contact_role=rng.integers(0, len(CONTACT_ROLES), size).astype(np.int64),
        email_domain=rng.integers(0, len(EMAIL_DOMAINS), size).astype(np.int64),
    )


def _first_tier(rng: np.random.Generator, segment: IntArray, organization: BoolArray) -> IntArray:
    codes = [s.code for s in SEGMENTS]
    tier = np.full(len(segment), TIERS.index("dues-professional"), dtype=np.int64)
    for code, tier_code in FIRST_TIER.items():
        tier[segment == codes.index(code)] = TIERS.index(tier_code)
    fellows = (segment == codes.index("senior")) & (rng.random(len(segment)) < 0.5)
    tier[fellows] = TIERS.index("dues-fellow")
    premier = rng.random(len(segment)) < 0.25
    tier[organization] = np.where(premier[organization], TIERS.index("dues-organization-premier"),
                                  TIERS.index("dues-organization"))
    return tier

