"""Reads on Success Vectors: a member's latest vector and its history, the portfolio by status, what changed.

Only snapshots of completed scoring runs are ever read, so a run in progress (or one that crashed) never
shows half-written results. Every portfolio read is limited to the members the user may see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from membersuccess.accounts.roles import AnyUser
from membersuccess.members.models import Member
from membersuccess.members.selectors import visible_members
from membersuccess.scoring.models import ScoreRun, SignalSet, VectorSnapshot

HISTORY_POINTS = 26
CHANGES_SHOWN = 25
COMPARE_DAYS = 7
# Velocity within ±this many points over 30 days reads as "steady" rather than moving.
STEADY_VELOCITY = 1.0

# The statuses from worst to best, the order staff triage them in.
STATUS_ORDER = (
    VectorSnapshot.Status.OFF_TRACK,
    VectorSnapshot.Status.DRIFTING,
    VectorSnapshot.Status.ON_TRACK,
    VectorSnapshot.Status.TOO_EARLY,
)
_STATUS_RANK = {status.value: rank for rank, status in enumerate(STATUS_ORDER)}
# How good a status is, for "got worse" and "got better": leaving "too early" for "on track" is progress.
_STATUS_GOODNESS = {
    VectorSnapshot.Status.OFF_TRACK.value: 0,
    VectorSnapshot.Status.DRIFTING.value: 1,
    VectorSnapshot.Status.TOO_EARLY.value: 2,
    VectorSnapshot.Status.ON_TRACK.value: 3,
}


def _got_worse(before: str, after: str) -> bool:
    return _STATUS_GOODNESS.get(after, -1) < _STATUS_GOODNESS.get(before, -1)


@dataclass(frozen=True)
class FlagInfo:
    """What a flag is called and what it means, in staff's words."""

    code: str
    label: str
    description: str


FLAGS: tuple[FlagInfo, ...] = (
    FlagInfo(
        "off_track", "Off track", "The next milestone is overdue past its grace, or the score is below the low band."
    ),
    FlagInfo("drifting", "Drifting", "The score fell faster than the drift threshold over the last 30 days."),
    FlagInfo(
        "quiet",
        "Quiet",
        "No interaction of any kind for a long while although the membership is active — "
        "including members who never complain.",
    ),
    FlagInfo(
        "saved_at_risk",
        "Saved, still at risk",
        "Kept from cancelling, and at risk until they reach their next milestone.",
    ),
    FlagInfo("renewal_at_risk", "Renewal at risk", "The term ends within 90 days and the member is not on track."),
)
FLAG_CODES = tuple(flag.code for flag in FLAGS)
_FLAG_BY_CODE = {flag.code: flag for flag in FLAGS}


def flag_info(code: str) -> FlagInfo:
    """The label and meaning of a flag; a flag this version does not know is shown by its code."""
    return _FLAG_BY_CODE.get(code) or FlagInfo(code, code.replace("_", " ").capitalize(), "")


def _has_flag(flag: str) -> Q:
    # Flags are a JSON list of codes. A text match on the quoted code works the same on SQLite and
    # PostgreSQL (JSON containment is PostgreSQL-only); codes never contain quotes, so it is exact.
    return Q(flags__icontains=f'"{flag}"')


# ---------------------------------------------------------------------------------------------------
# Runs

_NEWEST_RUN_FIRST = (F("as_of").desc(), F("finished_at").desc(nulls_last=True), F("pk").desc())
_NEWEST_SNAPSHOT_FIRST = (F("as_of").desc(), F("run__finished_at").desc(nulls_last=True), F("run_id").desc())


def low_band_of(run: ScoreRun) -> float | None:
    """The low band the run scored with (from its signal set's parameters), if recorded."""
    definition = run.signal_set.definition if run.signal_set is not None else None
    params = definition.get("params") if isinstance(definition, dict) else None
    return _number(params.get("low_band")) if isinstance(params, dict) else None


def completed_runs() -> QuerySet[ScoreRun]:
    """Completed scoring runs, newest as-of date first (and the latest re-run of a date first)."""
    return ScoreRun.objects.filter(status=ScoreRun.Status.COMPLETED).order_by(*_NEWEST_RUN_FIRST)


def latest_run() -> ScoreRun | None:
    """The completed scoring run with the latest as-of date, or None before anything was scored."""
    return completed_runs().select_related("signal_set").first()


def run_in_progress() -> ScoreRun | None:
    """A scoring run that has started and not finished, if any."""
    return ScoreRun.objects.filter(status=ScoreRun.Status.RUNNING).order_by("-started_at").first()


def failed_since_latest(*, run: ScoreRun | None) -> ScoreRun | None:
    """The newest failed scoring run started after `run` (any, before the first success), if there is one."""
    failed = ScoreRun.objects.filter(status=ScoreRun.Status.FAILED)
    if run is not None:
        failed = failed.filter(started_at__gt=run.started_at)
    return failed.order_by("-started_at").first()


def comparison_run(*, run: ScoreRun, days: int = COMPARE_DAYS) -> ScoreRun | None:
    """The run to compare `run` with: the latest one at least `days` earlier, else the oldest one before it."""
    earlier = completed_runs().filter(as_of__lt=run.as_of)
    a_week_or_more = earlier.filter(as_of__lte=run.as_of - timedelta(days=days)).first()
    return a_week_or_more or earlier.order_by("as_of", F("finished_at").desc(nulls_last=True), "-pk").first()


# ---------------------------------------------------------------------------------------------------
# One member


@dataclass(frozen=True)
class Contribution:
    """One input of a member's vector: its value, how close to target, its weight and the points it earns."""

    input: str
    label: str
    value: float | None
    normalized: float
    weight: float
    points: float
    max_points: float  # what the input would earn at its target: its share of the total weight

    @property
    def percent_of_target(self) -> int:
        return round(max(0.0, min(1.0, self.normalized)) * 100)

    @property
    def points_missed(self) -> float:
        return max(0.0, self.max_points - self.points)


@dataclass(frozen=True)
class HistoryPoint:
    as_of: date
    score: float
    status: str


@dataclass(frozen=True)
class MemberVector:
    """What the member 360 shows of the Success Vector: the latest snapshot, its parts and its history."""

    snapshot: VectorSnapshot
    run: ScoreRun
    contributions: list[Contribution]
    history: list[HistoryPoint]  # oldest first, one point per as-of date
    is_latest_run: bool  # False when the member was left out of the newest run (e.g. no longer active)
    flags: list[FlagInfo]

    @property
    def low_band(self) -> float | None:
        """The score below which a member is off track, as configured for the run."""
        return low_band_of(self.run)

    @property
    def trend(self) -> str:
        """ "improving", "declining" or "steady" from the velocity; "unknown" without one."""
        velocity = self.snapshot.velocity
        if velocity is None:
            return "unknown"
        if velocity > STEADY_VELOCITY:
            return "improving"
        if velocity < -STEADY_VELOCITY:
            return "declining"
        return "steady"


def _contributions(raw: object) -> list[Contribution]:
    """Contributions stored by the engine, with each input's maximum points; malformed rows are skipped."""
    rows = [row for row in raw if isinstance(row, dict)] if isinstance(raw, list) else []
    total_weight = sum(_number(row.get("weight")) or 0.0 for row in rows)
    result = []
    for row in rows:
        weight = _number(row.get("weight")) or 0.0
        result.append(
            Contribution(
                input=str(row.get("input", "")),
                label=str(row.get("label") or row.get("input") or ""),
                value=_number(row.get("value")),
                normalized=_number(row.get("normalized")) or 0.0,
                weight=weight,
                points=_number(row.get("points")) or 0.0,
                max_points=100.0 * weight / total_weight if total_weight else 0.0,
            )
        )
    return result


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def member_vector_history(*, member_id: int, limit: int = HISTORY_POINTS) -> list[HistoryPoint]:
    """The member's score at each scored as-of date (the latest run of a date wins), oldest first."""
    rows = (
        VectorSnapshot.objects.filter(member_id=member_id, run__status=ScoreRun.Status.COMPLETED)
        .order_by(*_NEWEST_SNAPSHOT_FIRST)
        .values_list("as_of", "score", "status")
    )
    points: list[HistoryPoint] = []
    seen: set[date] = set()
    # Re-runs of the same date are rare, so reading a few more rows than needed is enough to fill `limit`.
    for as_of, score, status in rows[: limit * 3]:
        if as_of in seen:
            continue
        seen.add(as_of)
        points.append(HistoryPoint(as_of=as_of, score=score, status=status))
        if len(points) == limit:
            break
    return list(reversed(points))


def member_vector(*, member: Member) -> MemberVector | None:
    """The member's most recent Success Vector from a completed run, or None if they were never scored."""
    snapshot = (
        VectorSnapshot.objects.filter(member=member, run__status=ScoreRun.Status.COMPLETED)
        .select_related("run", "run__signal_set", "next_milestone")
        .order_by(*_NEWEST_SNAPSHOT_FIRST)
        .first()
    )
    if snapshot is None:
        return None
    newest = latest_run()
    return MemberVector(
        snapshot=snapshot,
        run=snapshot.run,
        contributions=_contributions(snapshot.contributions),
        history=member_vector_history(member_id=member.pk),
        is_latest_run=newest is not None and newest.as_of == snapshot.as_of,
        flags=[flag_info(str(code)) for code in snapshot.flags or []],
    )


# ---------------------------------------------------------------------------------------------------
# The portfolio


def _visible_snapshots(*, user: AnyUser, run: ScoreRun) -> QuerySet[VectorSnapshot]:
    return VectorSnapshot.objects.filter(run=run, member__in=visible_members(user=user))


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class FlagCount:
    flag: FlagInfo
    count: int


@dataclass(frozen=True)
class Portfolio:
    """The members the user may see, by Success Vector status and flag, in one scoring run."""

    run: ScoreRun
    scored: int
    unscored: int  # visible members the run has no vector for (e.g. joined since, or not active)
    average_score: float | None
    by_status: list[StatusCount]
    flags: list[FlagCount]


def portfolio_summary(*, user: AnyUser, run: ScoreRun) -> Portfolio:
    """Counts by status and by flag over the visible members' vectors in `run`, zeros included."""
    snapshots = _visible_snapshots(user=user, run=run)
    aggregates = snapshots.aggregate(
        scored=Count("pk"),
        **{f"status_{s.value}": Count("pk", filter=Q(status=s.value)) for s in STATUS_ORDER},
        **{f"flag_{code}": Count("pk", filter=_has_flag(code)) for code in FLAG_CODES},
    )
    average = snapshots.aggregate(average=Avg("score"))["average"]
    return Portfolio(
        run=run,
        scored=aggregates["scored"],
        unscored=visible_members(user=user).count() - aggregates["scored"],
        average_score=average,
        by_status=[StatusCount(s.value, str(s.label), aggregates[f"status_{s.value}"]) for s in STATUS_ORDER],
        flags=[FlagCount(flag, aggregates[f"flag_{flag.code}"]) for flag in FLAGS],
    )


@dataclass(frozen=True)
class StatusChange:
    """A member whose status differs between two runs."""

    member_id: int
    member_name: str
    before: str
    after: str
    score_before: float
    score_after: float

    @property
    def got_worse(self) -> bool:
        return _got_worse(self.before, self.after)


@dataclass(frozen=True)
class Transition:
    """How many members moved from one status to another between two runs."""

    before: str
    after: str
    count: int
    got_worse: bool


@dataclass(frozen=True)
class Changes:
    """What changed between an earlier run and the latest one, over the members the user may see."""

    run: ScoreRun
    previous: ScoreRun
    total: int
    worse: int
    better: int
    transitions: list[Transition]  # worst news first
    members: list[StatusChange]  # the first CHANGES_SHOWN, worsened first, then by name


def status_changes(*, user: AnyUser, run: ScoreRun, previous: ScoreRun, shown: int = CHANGES_SHOWN) -> Changes:
    """Members whose status in `run` differs from their status in `previous`."""
    earlier = VectorSnapshot.objects.filter(run=previous, member_id=OuterRef("member_id"))
    changed = (
        _visible_snapshots(user=user, run=run)
        .annotate(before=Subquery(earlier.values("status")[:1]), score_before=Subquery(earlier.values("score")[:1]))
        .filter(before__isnull=False)
        .exclude(before=F("status"))
    )
    pairs = Counter(
        (before, after) for before, after in changed.order_by().values_list("before", "status")
    )
    transitions = [
        Transition(before, after, count, _got_worse(before, after))
        for (before, after), count in pairs.items()
    ]
    transitions.sort(key=lambda t: (not t.got_worse, _STATUS_RANK.get(t.after, 99), -t.count))
    rows = changed.values_list("member_id", "member__name", "before", "status", "score_before", "score")
    members = [StatusChange(*row) for row in rows]
    members.sort(key=lambda c: (not c.got_worse, _STATUS_RANK.get(c.after, 99), c.member_name, c.member_id))
    worse = sum(t.count for t in transitions if t.got_worse)
    total = sum(pairs.values())
    return Changes(
        run=run,
        previous=previous,
        total=total,
        worse=worse,
        better=total - worse,
        transitions=transitions,
        members=members[:shown],
    )


@dataclass(frozen=True)
class TrendPoint:
    as_of: date
    score: float


def portfolio_trend(*, user: AnyUser, limit: int = HISTORY_POINTS) -> list[TrendPoint]:
    """The visible members' average score at each of the latest scored as-of dates, oldest first."""
    runs: dict[date, int] = {}
    for run_id, as_of in completed_runs().values_list("pk", "as_of")[: limit * 3]:
        runs.setdefault(as_of, run_id)  # the latest re-run of a date wins
        if len(runs) == limit:
            break
    averages = dict(
        VectorSnapshot.objects.filter(run_id__in=runs.values(), member__in=visible_members(user=user))
        .order_by()
        .values_list("run_id")
        .annotate(average=Avg("score"))
        .values_list("run_id", "average")
    )
    return [
        TrendPoint(as_of=as_of, score=averages[run_id])
        for as_of, run_id in sorted(runs.items())
        if averages.get(run_id) is not None
    ]


# ---------------------------------------------------------------------------------------------------
# Filtering the members list


def filter_members_by_vector(
    members: QuerySet[Member],
    *,
    run: ScoreRun | None,
    status: str = "",
    flag: str = "",
    previous: ScoreRun | None = None,
    was: str = "",
) -> QuerySet[Member]:
    """Members whose vector in `run` has the status and flag (and had status `was` in `previous`).

    None match before any run, nor when `was` is asked for with no earlier run to compare with."""
    if not (status or flag or was):
        return members
    if run is None or (was and previous is None):
        return members.none()
    snapshots = VectorSnapshot.objects.filter(run=run, member_id=OuterRef("pk"))
    if status:
        snapshots = snapshots.filter(status=status)
    if flag:
        snapshots = snapshots.filter(_has_flag(flag))
    members = members.filter(Exists(snapshots))
    if was:
        members = members.filter(
            Exists(VectorSnapshot.objects.filter(run=previous, member_id=OuterRef("pk"), status=was))
        )
    return members


def with_vector(members: QuerySet[Member], *, run: ScoreRun | None) -> QuerySet[Member]:
    """Members annotated with `vector_status` and `vector_score` from `run` (None when not scored)."""
    if run is None:
        return members
    snapshot = VectorSnapshot.objects.filter(run=run, member_id=OuterRef("pk"))
    return members.annotate(
        vector_status=Subquery(snapshot.values("status")[:1]), vector_score=Subquery(snapshot.values("score")[:1])
    )


# ---------------------------------------------------------------------------------------------------
# Signal sets


def signal_set_versions() -> QuerySet[SignalSet]:
    """Every saved version of the signals, newest first, with who saved it."""
    return SignalSet.objects.select_related("created_by").order_by("-version")


def signal_set_by_version(*, version: int) -> SignalSet:
    """One version of the signals; raises SignalSet.DoesNotExist."""
    return SignalSet.objects.select_related("created_by").get(version=version)
