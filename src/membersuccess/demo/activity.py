"""Interactions of one membership term for a chunk of members, drawn as Poisson counts per kind.

Generic kinds follow the latent activity propensity; the kinds the member's own journey
counts get an extra pace that follows the latent success propensity. Everything is drawn
for all members at once: one count per (member, kind), then one row per interaction."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from membersuccess.demo.calendar import SECONDS_PER_DAY
from membersuccess.demo.latent import Members
from membersuccess.demo.world import KIND_INDEX, KINDS, ONCE_KINDS, TIER_PRICE, World

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

ACTIVITY_SPREAD = 0.9  # how far apart busy and quiet members are (log scale)
SUCCESS_SPREAD = 0.8  # how strongly success propensity speeds up the journey's own kinds
PREFERRED, NOT_PREFERRED = 1.4, 0.8  # appropriate experience: people do more of what suits them
ORGANIZATION_USAGE = 1.3  # several people at an organization log in and read
ATTENDANCE_AFTER_REGISTERING = 0.15  # share of attendances with an extra no-show registration elsewhere
_ATTENDED, _REGISTERED = KIND_INDEX["event_attended"], KIND_INDEX["event_registered"]
_COURSE, _DOWNLOAD = KIND_INDEX["course_completed"], KIND_INDEX["download"]
_BOOKED, _EARNED = KIND_INDEX["cert_exam_booked"], KIND_INDEX["cert_earned"]
_COMMITTEE, _PAYMENT = KIND_INDEX["committee_meeting"], KIND_INDEX["payment"]
_SHARED_USAGE = np.array([KIND_INDEX["login"], KIND_INDEX["download"], KIND_INDEX["email_click"]])


@dataclass
class Rows:
    """Interaction rows; `member` indexes the chunk, `second` counts from 1970-01-01 UTC."""

    member: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    kind: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    second: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    value: FloatArray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    attribute: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # -1: none

    def __len__(self) -> int:
        return len(self.member)

    @property
    def day(self) -> IntArray:
        return self.second // SECONDS_PER_DAY

    @staticmethod
    def concat(parts: list[Rows]) -> Rows:
        """All parts in one."""
        if not parts:
            return Rows()
        return Rows(*(np.concatenate([getattr(p, f) for p in parts]) for f in
                      ("member", "kind", "second", "value", "attribute")))

    def take(self, order: IntArray | BoolArray) -> Rows:
        """The rows selected (by mask) or reordered (by index)."""
        return Rows(self.member[order], self.kind[order], self.second[order], self.value[order],
                    self.attribute[order])


@dataclass
class MemberState:
    """What carries over from one term to the next for each member of a chunk."""

    success: FloatArray
    activity: FloatArray
    tier: IntArray
    done_once: BoolArray  # (members, once kinds)
    exam_day: IntArray  # day of a booked exam not sat yet, or -1
    exam_passed: BoolArray


def _daytime(rng: np.random.Generator, size: int) -> IntArray:
    """Seconds into the day, between 07:00 and 22:00."""
    return (7 * 3600 + rng.integers(0, 15 * 3600, size)).astype(np.int64)


def term_interactions(
    *,
    rng: np.random.Generator,
    world: World,
    members: Members,
    state: MemberState,
    who: IntArray,
    start: IntArray,
    end: IntArray,
    bucket: int,
) -> Rows:
    """The interactions of members `who` during their term, from day `start` up to (not incl.) `end`."""
    years = (end - start) / 365.0
    pace = _pace(world, members, state, who, bucket)
    counts = rng.poisson(pace * years[:, None])
    done = state.done_once[who]
    once = (counts[:, ONCE_KINDS] > 0) & ~done
    counts[:, ONCE_KINDS] = once
    state.done_once[who] = done | once
    flat = np.repeat(np.arange(counts.size, dtype=np.int64), counts.ravel())
    local, kind = flat // len(KINDS), flat % len(KINDS)
    span = (end - start)[local]
    day = start[local] + np.floor(rng.random(len(local)) * span).astype(np.int64)
    rows = Rows(who[local], kind, day * SECONDS_PER_DAY + _daytime(rng, len(local)),
                np.full(len(local), np.nan), np.full(len(local), -1, dtype=np.int64))
    rows = _snap_to_events(rng, world, rows, start[local], end[local])
    _describe_courses_and_downloads(rng, world, members, rows)
    _book_exams(rng, world, state, rows)
    parts = [rows, _registrations(rng, world, rows, start, end, who),
             _exams_passed(rng, world, state, who, start, end), _payments(rng, world, state, who, start, end)]
    return Rows.concat(parts)


def _pace(world: World, members: Members, state: MemberState, who: IntArray, bucket: int) -> FloatArray:
    """Expected interactions a year per (member, kind)."""
    prefers = (members.formats[who].astype(np.int64) @ world.format_kinds.astype(np.int64)) > 0
    has_format = world.format_kinds.any(axis=0)
    taste = np.where(has_format, np.where(prefers, PREFERRED, NOT_PREFERRED), 1.0)
    generic = world.generic_rates * taste * np.exp(ACTIVITY_SPREAD * state.activity[who])[:, None]
    generic[:, _COMMITTEE] *= members.volunteer[who]
    generic[:, _SHARED_USAGE] *= np.where(members.organization[who], ORGANIZATION_USAGE, 1.0)[:, None]
    journey = world.journey_rates[bucket][members.journey[who]] * np.exp(SUCCESS_SPREAD * state.success[who])[:, None]
    pace: FloatArray = generic + journey
    return pace


def _snap_to_events(rng: np.random.Generator, world: World, rows: Rows, start: IntArray, end: IntArray) -> Rows:
    """Attendance happens at a scheduled event inside the term; attendances with none are dropped."""
    attended = rows.kind == _ATTENDED
    if not attended.any():
        return rows
    days = world.calendar.days
    day = rows.day[attended]
    nxt = world.calendar.next_on_or_after(day)
    ok_next = (nxt < len(days)) & (days[np.minimum(nxt, len(days) - 1)] < end[attended])
    prev = nxt - 1
    ok_prev = (prev >= 0) & (days[np.maximum(prev, 0)] >= start[attended])
    chosen = np.where(ok_next, nxt, prev)
    keep = np.ones(len(rows), dtype=np.bool_)
    keep[np.flatnonzero(attended)[~(ok_next | ok_prev)]] = False
    rows.attribute[attended] = world.event_attribute_base + chosen
    hours = 9 * 3600 + rng.integers(0, 10 * 3600, int(attended.sum()))
    rows.second[attended] = days[np.clip(chosen, 0, len(days) - 1)] * SECONDS_PER_DAY + hours
    return rows.take(keep)


def _registrations(
    rng: np.random.Generator, world: World, rows: Rows, start: IntArray, end: IntArray, who: IntArray
) -> Rows:
    """Everyone who attended registered one to six weeks before; some also registered and did not come."""
    attended = np.flatnonzero(rows.kind == _ATTENDED)
    event = rows.attribute[attended] - world.event_attribute_base
    extra = attended[rng.random(len(attended)) < ATTENDANCE_AFTER_REGISTERING]
    no_show = rows.attribute[extra] - world.event_attribute_base + rng.integers(1, 5, len(extra))
    days = world.calendar.days
    member = np.concatenate([rows.member[attended], rows.member[extra]])
    event = np.concatenate([event, no_show])
    position = np.searchsorted(who, member)  # `who` is sorted: the chunk's live members in order
    valid = event < len(days)
    valid[valid] &= days[event[valid]] < end[position[valid]]
    member, event, position = member[valid], event[valid], position[valid]
    day = np.maximum(days[event] - rng.integers(1, 43, len(event)), start[position])
    return Rows(member, np.full(len(member), _REGISTERED), day * SECONDS_PER_DAY + _daytime(rng, len(member)),
                np.full(len(member), np.nan), world.event_attribute_base + event)


def _choose(rng: np.random.Generator, cumulative: FloatArray) -> IntArray:
    """One draw per row from each row's cumulative probabilities."""
    return (rng.random(len(cumulative))[:, None] > cumulative).sum(axis=1).astype(np.int64)


def _describe_courses_and_downloads(rng: np.random.Generator, world: World, members: Members, rows: Rows) -> None:
    courses = np.flatnonzero(rows.kind == _COURSE)
    course = _choose(rng, world.course_cumulative[members.outcome[rows.member[courses]]])
    rows.value[courses] = world.course_credits[course]
    rows.attribute[courses] = world.course_attribute_base + course
    downloads = np.flatnonzero(rows.kind == _DOWNLOAD)
    publication = _choose(rng, world.publication_cumulative[members.outcome[rows.member[downloads]]])
    rows.attribute[downloads] = world.publication_attribute_base + publication


def _book_exams(rng: np.random.Generator, world: World, state: MemberState, rows: Rows) -> None:
    """A booked exam is sat three to fourteen weeks later; passing follows success propensity."""
    booked = np.flatnonzero(rows.kind == _BOOKED)
    rows.attribute[booked] = world.credential_attribute
    member = rows.member[booked]
    state.exam_day[member] = rows.day[booked] + rng.integers(20, 100, len(booked))
    state.exam_passed[member] = rng.random(len(booked)) < 1 / (1 + np.exp(-(0.6 + 0.9 * state.success[member])))


def _exams_passed(
    rng: np.random.Generator, world: World, state: MemberState, who: IntArray, start: IntArray, end: IntArray
) -> Rows:
    """Passed exams sat during the term become earned credentials; failed ones are simply over."""
    exam = state.exam_day[who]
    sat = (exam >= start) & (exam < end)
    passed = sat & state.exam_passed[who]
    member, day = who[passed], exam[passed]
    state.exam_day[who[sat]] = -1
    second = day * SECONDS_PER_DAY + 15 * 3600 + rng.integers(0, 7200, len(member))
    return Rows(member, np.full(len(member), _EARNED), second, np.full(len(member), np.nan),
                np.full(len(member), world.credential_attribute))


def _payments(
    rng: np.random.Generator, world: World, state: MemberState, who: IntArray, start: IntArray, end: IntArray
) -> Rows:
    """The dues of the term, paid within its first two weeks."""
    day = np.minimum(start + rng.integers(0, 15, len(who)), end - 1)
    tier = state.tier[who]
    return Rows(who.copy(), np.full(len(who), _PAYMENT), day * SECONDS_PER_DAY + _daytime(rng, len(who)),
                TIER_PRICE[tier], world.tier_attribute_base + tier)
