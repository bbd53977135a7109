"""The fixed parts of the latent model: kinds of interaction, journeys compiled to arrays, the calendar.

Everything here depends only on the as-of date, never on the seed, so every chunk of
members is simulated against the same world."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from membersuccess.demo.blueprint import JOURNEYS, OFFERINGS, OUTCOMES, SEGMENTS, TIERS_BY_LADDER, journey_for
from membersuccess.demo.calendar import EventCalendar, add_years, day_number, event_calendar, survey_days
from membersuccess.demo.words import EXPERIENCE_FORMATS

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

HISTORY_YEARS = 4  # members joined over the four years before the as-of date


@dataclass(frozen=True)
class KindSpec:
    source: str
    kind: str
    rate: float  # a year, for a member of median activity; 0 when made by a mechanism of its own
    once: bool = False  # done at most once in a membership (uploading a résumé)
    format: str | None = None  # the appropriate-experience format that makes it likelier


KINDS: tuple[KindSpec, ...] = (
    KindSpec("events", "event_attended", 1.2, format="events"),
    KindSpec("events", "event_registered", 0.0),  # made from attendances, plus no-shows
    KindSpec("events", "booth_booked", 0.02),
    KindSpec("lms", "course_completed", 0.8, format="courses"),
    KindSpec("certification", "cert_exam_booked", 0.03, once=True),
    KindSpec("certification", "cert_earned", 0.0),  # follows a booked exam the member passes
    KindSpec("portal", "login", 8.0, format="self_serve"),
    KindSpec("portal", "download", 3.0, format="self_serve"),
    KindSpec("careers", "resume_uploaded", 0.02, once=True),
    KindSpec("careers", "job_board_visit", 0.8),
    KindSpec("careers", "job_applied", 0.2),
    KindSpec("directory", "listing_completed", 0.02, once=True),
    KindSpec("directory", "lead_received", 0.1),
    KindSpec("community", "post", 1.2, format="community"),
    KindSpec("volunteering", "committee_meeting", 9.0, format="mentoring"),  # volunteers only
    KindSpec("referrals", "referral", 0.12),
    KindSpec("email", "email_click", 5.0),
    KindSpec("advocacy", "advocacy_action", 0.3),
    KindSpec("finance", "payment", 0.0),  # one per term, the dues
)
KIND_INDEX = {k.kind: i for i, k in enumerate(KINDS)}
ONCE_KINDS = np.array([i for i, k in enumerate(KINDS) if k.once], dtype=np.int64)
SOURCES: tuple[str, ...] = tuple(dict.fromkeys(k.source for k in KINDS))

# (offering code, CE credits) of the courses, and the outcome each course serves best.
COURSES: tuple[tuple[str, float], ...] = (
    ("course-exam-prep", 3.0), ("course-ethics", 3.0), ("course-practice-update", 8.0),
    ("course-leadership", 4.0), ("course-career-launch", 1.0), ("course-policy", 1.5),
)
PUBLICATIONS: tuple[str, ...] = ("pub-journal", "pub-salary-survey", "pub-buyers-guide", "pub-policy-brief")
CREDENTIAL = "cert-practitioner"
TIERS: tuple[str, ...] = tuple(o.code for o in OFFERINGS if o.kind == "dues_tier")
TIER_PRICE = np.array([o.price for o in OFFERINGS if o.kind == "dues_tier"], dtype=np.float64)

# How hard the member's own journey pushes the interactions its milestones count: 1.0 makes
# a member of median success propensity reach a milestone's threshold, on average, by the
# renewal it is due before.
JOURNEY_PUSH = 1.0
# Once a join-anchored milestone's due date has passed, members keep up a fraction of the pace.
MAINTENANCE = 0.25


@dataclass(frozen=True)
class CompiledMilestone:
    journey: int
    order: int
    kinds: IntArray
    aggregation: str
    threshold: float
    window: str
    due_offset_days: int


@dataclass(frozen=True)
class World:
    as_of_day: int  # the first day not simulated: everything happens before it
    first_day: int
    calendar: EventCalendar
    survey_days: IntArray
    generic_rates: FloatArray  # (kinds,)
    format_kinds: npt.NDArray[np.bool_]  # (formats, kinds)
    journey_rates: FloatArray  # (3 term buckets, journeys, kinds)
    milestones: tuple[CompiledMilestone, ...]  # rule-based ones; staff-confirmed ones are not simulated
    journey_of: IntArray  # (outcomes, segments) -> journey
    course_cumulative: FloatArray  # (outcomes, courses)
    course_credits: FloatArray
    publication_cumulative: FloatArray  # (outcomes, publications)
    attribute_texts: tuple[str, ...]
    event_attribute_base: int
    course_attribute_base: int
    publication_attribute_base: int
    credential_attribute: int
    tier_attribute_base: int
    tier_ladder: IntArray  # (tiers,) -> position on its ladder
    tier_up: IntArray  # (tiers,) -> the next tier up, or itself at the top
    tier_down: IntArray


def build_world(*, as_of: date) -> World:
    """Compile the blueprint into the arrays the simulation works with."""
    as_of_day = day_number(as_of)
    first_day = int(add_years(np.array([as_of_day], dtype=np.int64), -HISTORY_YEARS)[0]) - 1
    calendar = event_calendar(first_day=first_day, last_day=as_of_day + 60)
    outcome_codes = [o.code for o in OUTCOMES]
    course_cum = _preference_cumulative(len(COURSES), {
        "earn-certification": (0,), "stay-current-ce": (1, 2), "grow-network": (3,),
        "find-a-job": (4,), "business-leads": (3,), "advocacy": (5,),
    }, outcome_codes)
    publication_cum = _preference_cumulative(len(PUBLICATIONS), {
        "earn-certification": (0,), "stay-current-ce": (0,), "grow-network": (0,),
        "find-a-job": (1,), "business-leads": (2,), "advocacy": (3,),
    }, outcome_codes)
    credits = np.array([c for _, c in COURSES], dtype=np.float64)
    milestones = tuple(
        CompiledMilestone(
            journey=j, order=order,
            kinds=np.array([KIND_INDEX[k] for k in m.rule.kinds], dtype=np.int64),
            aggregation=m.rule.aggregation, threshold=float(m.rule.threshold), window=m.rule.window,
            due_offset_days=m.due_offset_days,
        )
        for j, journey in enumerate(JOURNEYS)
        for order, m in enumerate(journey.milestones, start=1)
        if m.rule is not None
    )
    journey_outcome = np.array([outcome_codes.index(j.required_outcome) for j in JOURNEYS], dtype=np.int64)
    mean_credits = (np.diff(course_cum, prepend=0.0, axis=1) * credits).sum(axis=1)[journey_outcome]
    texts = ([json.dumps({"event": code}) for code in calendar.codes]
             + [json.dumps({"course": code}) for code, _ in COURSES]
             + [json.dumps({"publication": code}) for code in PUBLICATIONS]
             + [json.dumps({"credential": CREDENTIAL})]
             + [json.dumps({"offering": code}) for code in TIERS])
    events, courses, pubs = len(calendar.codes), len(COURSES), len(PUBLICATIONS)
    ladder, up, down = _tier_moves()
    return World(
        as_of_day=as_of_day, first_day=first_day, calendar=calendar,
        survey_days=survey_days(first_day=first_day, last_day=as_of_day - 1),
        generic_rates=np.array([k.rate for k in KINDS], dtype=np.float64),
        format_kinds=np.array([[k.format == f for k in KINDS] for f in EXPERIENCE_FORMATS], dtype=np.bool_),
        journey_rates=_journey_rates(milestones, mean_credits),
        milestones=milestones,
        journey_of=np.array([[JOURNEYS.index(journey_for(required_outcome=o, segment=s.code)) for s in SEGMENTS]
                             for o in outcome_codes], dtype=np.int64),
        course_cumulative=course_cum, course_credits=credits, publication_cumulative=publication_cum,
        attribute_texts=tuple(texts), event_attribute_base=0, course_attribute_base=events,
        publication_attribute_base=events + courses, credential_attribute=events + courses + pubs,
        tier_attribute_base=events + courses + pubs + 1,
        tier_ladder=ladder, tier_up=up, tier_down=down,
    )


def _preference_cumulative(
    size: int, preferred: dict[str, tuple[int, ...]], outcome_codes: list[str]
) -> FloatArray:
    """Per outcome, cumulative choice probabilities: 55% on what serves it, the rest spread evenly."""
    table = np.full((len(outcome_codes), size), 0.45 / size)
    for row, code in enumerate(outcome_codes):
        for column in preferred[code]:
            table[row, column] += 0.55 / len(preferred[code])
    cumulative = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)
    cumulative[:, -1] = 1.0
    return cumulative


def _journey_rates(milestones: tuple[CompiledMilestone, ...], mean_credits: FloatArray) -> FloatArray:
    """The yearly pace of each kind a journey's milestones need, for a member of median success."""
    rates = np.zeros((3, len(JOURNEYS), len(KINDS)))
    for m in milestones:
        # Attainment is judged at renewal, so the pace is set for the renewal the milestone is due by.
        years = float(np.ceil(m.due_offset_days / 365.0))
        per_kind = m.threshold / years / len(m.kinds)
        if m.aggregation == "sum":
            per_kind /= mean_credits[m.journey]  # sums add CE credits, not interactions
        for bucket in range(3):
            upcoming = m.window == "term_start" or m.due_offset_days > 365 * bucket
            pace = per_kind if upcoming else MAINTENANCE * per_kind
            for kind in m.kinds:
                if kind != KIND_INDEX["cert_earned"]:  # earned by passing a booked exam, not by pace
                    rates[bucket, m.journey, kind] = max(rates[bucket, m.journey, kind], JOURNEY_PUSH * pace)
    return rates


def _tier_moves() -> tuple[IntArray, IntArray, IntArray]:
    ladder = np.zeros(len(TIERS), dtype=np.int64)
    up = np.arange(len(TIERS), dtype=np.int64)
    down = np.arange(len(TIERS), dtype=np.int64)
    for steps in TIERS_BY_LADDER.values():
        for position, code in enumerate(steps):
            here = TIERS.index(code)
            ladder[here] = position
            if position + 1 < len(steps):
                up[here] = TIERS.index(steps[position + 1])
            if position > 0:
                down[here] = TIERS.index(steps[position - 1])
    return ladder, up, down
