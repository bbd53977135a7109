"""The backtest: score every member as of a past date with only what was known then, and measure the
scores against what happened next (renewed or lapsed), side by side with usage-only and NPS-only baselines.

Who is measured: every member whose membership term was running on the as-of date and ends within the
horizon after it. Renewed: another term of theirs starts after that term's start and no later than
its end plus the lapse grace (ScoringParams.lapse_grace_days, 60 days by default); lapsed otherwise.
Terms ending so late that the grace runs past the end of the data (the latest term start, or today)
are left out and counted as pending, renewed or not, so recent lapses and renewals weigh alike.

What the scores may see: exactly what `msm score --as-of` reads (interactions and tickets up to the
as-of day), with three more cut-offs so nothing known later leaks in: terms that had not started, a
term's renewed status before its renewal started, tickets' resolutions after the day, and staff
confirmations of milestones dated later are all removed. No snapshot is written. The signals,
weights and journeys are those in force now (so the backtest measures today's model on the past).

Baselines on the same members: usage only — portal interactions (logins, downloads) in the 365
days up to the as-of date; NPS only — the member's latest NPS answer up to the as-of date (members
who never answered get the median answer of the others). metrics.py says how AUC, Brier,
calibration and lift are computed, and how scores become probabilities."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from membersuccess.evidence.errors import EvidenceError
from membersuccess.evidence.metrics import quality

USAGE_WINDOW_DAYS = 365
USAGE_SOURCES = ("portal",)


@dataclass(frozen=True)
class CalibrationBin:
    """One row of the calibration table: members whose predicted renewal probability fell in this bin."""

    bin: str  # e.g. "0.6-0.7"
    predicted: float  # mean predicted renewal probability in the bin
    observed: float  # share of those members who renewed
    n: int


@dataclass(frozen=True)
class BaselineResult:
    """How a simpler score did on the same members."""

    name: str  # "usage_only" or "nps_only"
    auc: float | None
    brier: float | None
    lift_top_decile: float | None


@dataclass(frozen=True)
class BacktestResult:
    """How well the Success Vector, scored as of `as_of`, predicted renewals in the following `horizon_days`."""

    as_of: date
    horizon_days: int
    members: int  # members with a term ending in the horizon: the ones the prediction is measured on
    renewal_rate: float | None
    auc: float | None  # None when everyone renewed or everyone lapsed (AUC is undefined)
    brier: float | None
    calibration: list[CalibrationBin]
    lift_top_decile: float | None  # lapse rate in the riskiest 10% ÷ overall lapse rate
    baselines: list[BaselineResult]
    pending: int = 0  # terms ending in the horizon whose outcome is not known yet (left out)
    signal_set_version: int | None = None  # the signals and weights that scored the members

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary (dates as ISO strings)."""
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data

    def to_json(self) -> str:
        """One JSON document, as printed by `msm backtest --json`."""
        return json.dumps(self.to_dict(), indent=2)


@dataclass(frozen=True)
class KnownScores:
    """The engine's result as of a past date, computed from only what was known then."""

    as_of: date
    result: pa.Table  # one row per scored member: score, milestone position, each signal's n_i, ...
    interactions: pa.Table  # the interactions up to the as-of date
    signal_set_version: int
    grace_days: int


def known_snapshot_tables(tables: dict[str, pa.Table], *, as_of: date) -> dict[str, pa.Table]:
    """The scoring input tables cut back to what was known at the end of the as-of day."""
    from membersuccess.engine.inputs import day_number

    t0 = day_number(as_of)
    known = dict(tables)
    members = tables["members"]
    known["members"] = members.filter(pc.less_equal(members["joined_day"], t0))
    terms = tables["terms"].filter(pc.less_equal(tables["terms"]["start_day"], t0))
    known["terms"] = _statuses_known_then(terms)
    tickets = tables["tickets"]
    end_of_day = (t0 + 1) * 86_400
    resolved = tickets["resolved_s"]
    unresolved_then = pc.fill_null(pc.greater_equal(resolved, end_of_day), False)
    known["tickets"] = tickets.set_column(
        tickets.schema.get_field_index("resolved_s"), "resolved_s",
        pc.if_else(unresolved_then, pa.scalar(None, pa.int64()), resolved),
    ).filter(pc.less(tickets["opened_s"], end_of_day))
    achievements = tables["achievements"]
    known["achievements"] = achievements.filter(pc.less_equal(achievements["achieved_day"], t0))
    interactions = tables["interactions"]
    known["interactions"] = interactions.filter(pc.less_equal(interactions["day"], t0))
    return known


def _statuses_known_then(terms: pa.Table) -> pa.Table:
    """A term counts as renewed only when a later term of the member had started; otherwise it is active."""
    member = terms["member_id"].to_numpy()
    start = terms["start_day"].to_numpy()
    order = np.lexsort((start, member))
    renewed = np.zeros(len(member), dtype=bool)
    if len(order) > 1:
        same_member_next = member[order][1:] == member[order][:-1]
        renewed[order[:-1]] = same_member_next
    status = pa.array(np.where(renewed, "renewed", "active"), pa.string())
    return terms.set_column(terms.schema.get_field_index("status"), "status", status)


def score_known(*, as_of: date, engine: str = "duckdb", definition: dict[str, Any] | None = None) -> KnownScores:
    """Score every member as of `as_of` from what was known then, with the active signals or `definition`."""
    from membersuccess.engine.backends import ENGINES, EngineUnavailable, backend
    from membersuccess.engine.run import compute_vectors
    from membersuccess.engine.signals import SignalConfigError, config_from_dict
    from membersuccess.scoring.services import config_of, signal_set_active
    from membersuccess.scoring.tables import read_snapshot

    if engine not in ENGINES:
        raise EvidenceError(f"unknown engine {engine!r}: use duckdb or spark")
    signal_set = signal_set_active()
    try:
        config = config_from_dict(definition) if definition is not None else config_of(signal_set)
    except SignalConfigError as error:
        raise EvidenceError(f"the signals cannot be used: {error}") from error
    snapshot = read_snapshot(as_of=as_of)
    tables = known_snapshot_tables(snapshot.tables, as_of=as_of)
    try:
        with backend(engine) as con:
            result = compute_vectors(con, tables, config=config, milestones=snapshot.milestones, as_of=as_of)
    except EngineUnavailable as error:
        raise EvidenceError(str(error)) from error
    return KnownScores(
        as_of=as_of, result=result, interactions=tables["interactions"],
        signal_set_version=signal_set.version, grace_days=config.params.lapse_grace_days,
    )


@dataclass(frozen=True)
class Outcomes:
    """Renewed (1) or lapsed (0) per measured member, and how many had an outcome not known yet."""

    member_ids: np.ndarray
    renewed: np.ndarray
    pending: int


def renewal_outcomes(*, as_of: date, horizon_days: int, grace_days: int, data_end: date) -> Outcomes:
    """What happened to each member whose running term ended within the horizon (see the module docstring)."""
    from membersuccess.members.models import MembershipTerm

    until = as_of + timedelta(days=horizon_days)
    known_until = data_end - timedelta(days=grace_days)
    ending: dict[int, tuple[date, date]] = {}
    for member_id, start_on, end_on in MembershipTerm.objects.filter(
        start_on__lte=as_of, end_on__gt=as_of, end_on__lte=until
    ).values_list("member_id", "start_on", "end_on"):
        if member_id not in ending or end_on > ending[member_id][1]:
            ending[member_id] = (start_on, end_on)
    later: dict[int, list[date]] = {}
    for member_id, start_on in MembershipTerm.objects.filter(
        member_id__in=list(ending), start_on__gt=as_of
    ).values_list("member_id", "start_on").iterator(chunk_size=10_000):
        later.setdefault(member_id, []).append(start_on)
    ids, renewed, pending = [], [], 0
    for member_id in sorted(ending):
        start_on, end_on = ending[member_id]
        if end_on > known_until:
            pending += 1
            continue
        grace_end = end_on + timedelta(days=grace_days)
        ids.append(member_id)
        renewed.append(any(start_on < s <= grace_end for s in later.get(member_id, [])))
    return Outcomes(np.array(ids, dtype=np.int64), np.array(renewed, dtype=np.int64), pending)


def usage_volume(interactions: pa.Table, *, as_of: date, member_ids: np.ndarray) -> np.ndarray:
    """Portal interactions per member in the USAGE_WINDOW_DAYS up to the as-of date."""
    from membersuccess.engine.inputs import day_number

    t0 = day_number(as_of)
    window = pc.and_(
        pc.is_in(interactions["source"], pa.array(USAGE_SOURCES)),
        pc.and_(pc.greater(interactions["day"], t0 - USAGE_WINDOW_DAYS), pc.less_equal(interactions["day"], t0)),
    )
    members = interactions.filter(window)["member_id"].to_numpy()
    counts: dict[int, int] = {}
    for member_id, count in zip(*np.unique(members, return_counts=True), strict=True):
        counts[int(member_id)] = int(count)
    return np.array([counts.get(int(m), 0) for m in member_ids], dtype=float)


def latest_nps(*, as_of: date, member_ids: np.ndarray) -> np.ndarray:
    """Each member's latest NPS answer up to the as-of date; the median of the answers where there is none."""
    from membersuccess.interactions.models import SurveyResponse

    end = datetime.combine(as_of + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    latest: dict[int, int] = {}
    for member_id, score in (
        SurveyResponse.objects.filter(kind=SurveyResponse.Kind.NPS, responded_at__lt=end,
                                      member_id__in=[int(m) for m in member_ids])
        .order_by("member_id", "responded_at", "pk").values_list("member_id", "score").iterator(chunk_size=10_000)
    ):
        latest[member_id] = score  # ordered by time: the last one wins
    known = list(latest.values())
    fill = float(np.median(known)) if known else 0.0
    return np.array([latest.get(int(m), fill) for m in member_ids], dtype=float)


def backtest(*, as_of: date, horizon_days: int = 365, engine: str = "duckdb") -> BacktestResult:
    """Score every member as of `as_of` from what was known then and measure against the next `horizon_days`."""
    from django.utils import timezone

    if horizon_days < 1:
        raise EvidenceError(f"--horizon must be at least 1 day, got {horizon_days}")
    if as_of >= timezone.localdate():
        raise EvidenceError(f"--as-of {as_of} is not in the past: a backtest needs what happened afterwards")
    return measure(score_known(as_of=as_of, engine=engine), horizon_days=horizon_days)


def measure(known: KnownScores, *, horizon_days: int) -> BacktestResult:
    """Compare scores known on a past date with the renewals that followed, beside the two baselines."""
    from django.utils import timezone

    from membersuccess.evidence.selectors import data_end

    as_of = known.as_of
    outcomes = renewal_outcomes(
        as_of=as_of, horizon_days=horizon_days, grace_days=known.grace_days,
        data_end=data_end(today=timezone.localdate()),
    )
    scores_by_member = dict(zip(
        known.result["member_id"].to_pylist(), known.result["score"].to_pylist(), strict=True
    ))
    measured = np.array([m in scores_by_member for m in outcomes.member_ids.tolist()], dtype=bool)
    member_ids, renewed = outcomes.member_ids[measured], outcomes.renewed[measured]
    if len(member_ids) == 0:
        raise EvidenceError(
            f"no member had a term ending between {as_of} and {as_of + timedelta(days=horizon_days)} whose "
            f"renewal is known yet ({outcomes.pending} pending): choose an earlier --as-of or a longer --horizon"
        )
    vector = np.array([scores_by_member[m] for m in member_ids.tolist()], dtype=float)
    usage = usage_volume(known.interactions, as_of=as_of, member_ids=member_ids)
    nps = latest_nps(as_of=as_of, member_ids=member_ids)
    main = quality(vector, renewed)
    baselines = []
    for name, scores in (("usage_only", usage), ("nps_only", nps)):
        q = quality(scores, renewed)
        baselines.append(BaselineResult(name=name, auc=q.auc, brier=q.brier, lift_top_decile=q.lift_top_decile))
    return BacktestResult(
        as_of=as_of, horizon_days=horizon_days, members=len(member_ids),
        renewal_rate=round(float(renewed.mean()), 6), auc=main.auc, brier=main.brier,
        calibration=[CalibrationBin(bin=b, predicted=p, observed=o, n=n) for b, p, o, n in main.calibration],
        lift_top_decile=main.lift_top_decile, baselines=baselines, pending=outcomes.pending,
        signal_set_version=known.signal_set_version,
    )
