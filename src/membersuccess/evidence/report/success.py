"""Report figures on success itself: success against happiness, active usage against success, and the
milestones lapsed members had missed (churn's root causes)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from membersuccess.engine.vector import rule_met_column
from membersuccess.evidence.report.history import USAGE_SIGNAL, VectorsAsOf
from membersuccess.evidence.report.renewals import YEAR, Decision
from membersuccess.interactions.models import SupportTicket, SurveyResponse
from membersuccess.journeys.models import Journey, MilestoneAchievement, SuccessMilestone
from membersuccess.members.models import Member

HAPPY_NPS = 7  # passives and promoters; detractors score 0-6
DEMANDING_TICKETS = 2  # support tickets in twelve months that make a member "demanding"
NAMES_SHOWN = 10
USAGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("No portal use", 0, 0), ("1-3 days", 1, 3), ("4-10 days", 4, 10), ("11+ days", 11, None),
)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), timezone.get_current_timezone())


@dataclass(frozen=True)
class NamedMember:
    member_id: int
    name: str
    score: float
    nps: int | None
    tickets: int


@dataclass(frozen=True)
class Quadrant:
    """Success (the vector) against happiness (the latest NPS answer in the last twelve months)."""

    success_line: float  # the low band: below it a member is off track by score
    points: list[tuple[float, int]]  # (score, nps) of every member who answered
    counts: dict[str, int]  # successful_happy, successful_unhappy, unsuccessful_happy, unsuccessful_unhappy
    quiet_unsuccessful: list[NamedMember]
    quiet_unsuccessful_total: int
    demanding_successful: list[NamedMember]
    demanding_successful_total: int


def quadrant(now: VectorsAsOf) -> Quadrant:
    """Who is happy but not successful, and who is demanding but successful, as of the vectors' date."""
    since, until = _end_of(now.as_of - YEAR), _end_of(now.as_of)
    nps: dict[int, int] = {}
    answers = SurveyResponse.objects.filter(
        kind=SurveyResponse.Kind.NPS, responded_at__gte=since, responded_at__lt=until
    ).order_by("member_id", "responded_at").values_list("member_id", "score")
    for member_id, score in answers.iterator(chunk_size=20_000):
        nps[member_id] = score  # the latest answer wins
    tickets: dict[int, int] = defaultdict(int)
    opened = SupportTicket.objects.filter(opened_at__gte=since, opened_at__lt=until).values_list("member_id", flat=True)
    for member_id in opened.iterator(chunk_size=20_000):
        tickets[member_id] += 1
    line = now.config.params.low_band
    counts = {"successful_happy": 0, "successful_unhappy": 0, "unsuccessful_happy": 0, "unsuccessful_unhappy": 0}
    points: list[tuple[float, int]] = []
    quiet: list[tuple[int, float]] = []
    demanding: list[tuple[int, float]] = []
    for member_id, score, status in zip(now.column("member_id"), now.column("score"), now.column("status"),
                                        strict=True):
        mid, value = int(member_id), float(score)
        answer = nps.get(mid)
        successful = value >= line and status == "on_track"
        if answer is not None:
            points.append((value, answer))
            key = ("successful" if successful else "unsuccessful") + ("_happy" if answer >= HAPPY_NPS else "_unhappy")
            counts[key] += 1
        if value < line and status == "off_track" and tickets[mid] == 0 and (answer is None or answer >= HAPPY_NPS):
            quiet.append((mid, value))
        if successful and ((answer is not None and answer < HAPPY_NPS) or tickets[mid] >= DEMANDING_TICKETS):
            demanding.append((mid, value))
    quiet.sort(key=lambda item: item[1])
    demanding.sort(key=lambda item: -item[1])
    shown = [mid for mid, _ in quiet[:NAMES_SHOWN] + demanding[:NAMES_SHOWN]]
    names = dict(Member.objects.filter(pk__in=shown).values_list("pk", "name"))

    def named(items: list[tuple[int, float]]) -> list[NamedMember]:
        return [NamedMember(mid, names.get(mid, f"#{mid}"), value, nps.get(mid), tickets[mid])
                for mid, value in items[:NAMES_SHOWN]]

    return Quadrant(
        success_line=line, points=points, counts=counts,
        quiet_unsuccessful=named(quiet), quiet_unsuccessful_total=len(quiet),
        demanding_successful=named(demanding), demanding_successful_total=len(demanding),
    )


@dataclass(frozen=True)
class UsageBand:
    """Members by portal use (distinct days in the signal's window) and how successful they are."""

    label: str
    members: int
    on_track: int
    mean_score: float | None
    decided: int  # of the members in this band a year ago, how many came up for renewal since
    renewed: int

    @property
    def on_track_rate(self) -> float | None:
        return self.on_track / self.members if self.members else None

    @property
    def renewal_rate(self) -> float | None:
        return self.renewed / self.decided if self.decided else None


def _band_of(days: int | float | None) -> str:
    value = int(days or 0)
    for label, low, high in USAGE_BANDS:
        if value >= low and (high is None or value <= high):
            return label
    return USAGE_BANDS[-1][0]


def usage_against_success(now: VectorsAsOf, then: VectorsAsOf | None, outcomes: dict[int, Decision]) -> list[UsageBand]:
    """Per usage band today: members, share on track and mean score; per band a year ago: renewal rate since."""
    column = f"x_{USAGE_SIGNAL}"
    members: dict[str, list[float]] = defaultdict(list)
    on_track: dict[str, int] = defaultdict(int)
    for days, score, status in zip(now.column(column), now.column("score"), now.column("status"), strict=True):
        band = _band_of(days)
        members[band].append(float(score))
        on_track[band] += status == "on_track"
    decided: dict[str, int] = defaultdict(int)
    renewed: dict[str, int] = defaultdict(int)
    if then is not None:
        for member_id, days in zip(then.column("member_id"), then.column(column), strict=True):
            decision = outcomes.get(int(member_id))
            if decision is not None:
                decided[_band_of(days)] += 1
                renewed[_band_of(days)] += decision.renewed
    return [
        UsageBand(label, len(members[label]), on_track[label],
                  sum(members[label]) / len(members[label]) if members[label] else None,
                  decided[label], renewed[label])
        for label, _, _ in USAGE_BANDS
    ]


@dataclass(frozen=True)
class MissedMilestone:
    """A milestone that was due, and how many who then lapsed (and renewed) had not reached it."""

    journey: str
    milestone: str
    lapsed_missed: int
    lapsed_due: int
    renewed_missed: int
    renewed_due: int

    @property
    def lapsed_rate(self) -> float | None:
        return self.lapsed_missed / self.lapsed_due if self.lapsed_due else None

    @property
    def renewed_rate(self) -> float | None:
        return self.renewed_missed / self.renewed_due if self.renewed_due else None


def missed_milestones(then: VectorsAsOf, outcomes: dict[int, Decision], *, shown: int = 8) -> list[MissedMilestone]:
    """Churn's root causes: milestones due a year ago that members who then lapsed had not reached,
    most often missed first, beside how often members who renewed had missed them."""
    by_id = {m.milestone_id: m for m in then.milestones}
    scored = set(int(mid) for mid in then.column("member_id"))
    decided = {mid: d for mid, d in outcomes.items() if mid in scored}
    info = {m.pk: m for m in Member.objects.filter(pk__in=decided).only("pk", "joined_on", "journey_id")}
    manual = set(MilestoneAchievement.objects.filter(member_id__in=decided, achieved_on__lte=then.as_of)
                 .values_list("member_id", "milestone_id"))
    met = {m.milestone_id: dict(zip(then.column("member_id"), then.column(rule_met_column(m)), strict=True))
           for m in then.milestones if m.rule is not None}
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for mid, decision in decided.items():
        member = info.get(mid)
        if member is None or member.journey_id is None:
            continue
        for milestone in (m for m in then.milestones if m.journey_id == member.journey_id):
            anchor = member.joined_on if milestone.due_from == SuccessMilestone.DueFrom.JOIN else (
                decision.end_on - YEAR)
            if anchor + timedelta(days=milestone.due_offset_days) > then.as_of:
                continue
            reached = (mid, milestone.milestone_id) in manual or bool(met.get(milestone.milestone_id, {}).get(mid))
            row = counts[milestone.milestone_id]
            offset = 2 if decision.renewed else 0
            row[offset + 1] += 1
            row[offset] += not reached
    journeys = dict(Journey.objects.values_list("pk", "name"))
    rows = [
        MissedMilestone(journeys.get(by_id[pk].journey_id, ""), by_id[pk].name, *values)
        for pk, values in counts.items() if values[0] > 0
    ]
    rows.sort(key=lambda r: (-r.lapsed_missed, r.journey, r.milestone))
    return rows[:shown]
