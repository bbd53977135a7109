"""The Success Vector v1 (DESIGN §6) as one Ibis expression: one row per scored member.

    n_i = clip(x_i / target_i, 0, 1)        for a signal that helps
    n_i = clip(1 - x_i / limit_i, 0, 1)     for a signal that hurts
    p   = achieved milestones that were due by t / milestones due by t   (1 when none is due)
    S   = 100 · (w_p·p + Σ w_i·n_i) / (w_p + Σ w_i)
    v   = S(t) − S(t − velocity_days), both computed from interactions

The result carries every input's value, target and normalized value, so contributions and reasons
can be put in words without touching the interactions again (see explain.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import ibis
import ibis.expr.types as ir

from membersuccess.engine.features import (
    col,
    interaction_features,
    manual_achievements,
    member_anchors,
    presence_key,
    ticket_features,
)
from membersuccess.engine.inputs import EngineInputs, day_number
from membersuccess.engine.milestones import Milestone, MilestoneRule, distinct_rules, journeys_of
from membersuccess.engine.signals import MILESTONE_INPUT, ScoringConfig, Signal

DECIMALS = 6
STATUSES = ("on_track", "drifting", "off_track", "too_early")
FLAGS = ("off_track", "drifting", "quiet", "saved_at_risk", "renewal_at_risk")


def score_members(
    inputs: EngineInputs,
    *,
    config: ScoringConfig,
    milestones: Sequence[Milestone],
    as_of: date,
    cache: bool = True,
) -> ir.Table:
    """The Success Vector of every member whose membership is active on `as_of`, as an Ibis table.

    With `cache`, the per-member aggregates are materialized once on the backend, because the score,
    the segment targets and the velocity all read them."""
    params = config.params
    t0 = day_number(as_of)
    as_of_days = (t0, t0 - params.velocity_days)
    signals = config.signals
    rules = distinct_rules(milestones)
    anchors = member_anchors(members=inputs.members, terms=inputs.terms, as_of_days=as_of_days, params=params)
    ifeat = interaction_features(
        interactions=inputs.interactions, anchors=anchors, signals=signals, rules=rules,
        as_of_days=as_of_days, params=params,
    )
    tfeat = ticket_features(tickets=inputs.tickets, signals=signals, as_of_days=as_of_days)
    manual = manual_achievements(achievements=inputs.achievements, milestone_ids=[m.milestone_id for m in milestones])

    base = anchors
    for extra in (ifeat, tfeat, manual):
        if extra is not None:
            base = base.left_join(extra, "member_id").drop("member_id_right")
    if cache:
        base = base.cache()

    values = _signal_values(base, signals=signals, as_of_days=as_of_days)
    base = base.mutate(**values)
    targets = _segment_targets(base, signals=signals, params_min=params.segment_target_min_members)
    if targets is not None:
        base = base.left_join(targets, "segment_id").drop("segment_id_right")
    milestone_columns = _milestone_columns(base, milestones=milestones, rules=rules, as_of_days=as_of_days)
    base = base.mutate(**milestone_columns)
    if cache:
        base = base.cache()
    return _vector(base, config=config, milestones=milestones, inputs=inputs, t0=t0, t1=as_of_days[1])


def _signal_values(base: ir.Table, *, signals: Sequence[Signal], as_of_days: Sequence[int]) -> dict[str, ir.Value]:
    """x_i per date: zero when the member has nothing in the window; days since last capped at the window."""
    values: dict[str, ir.Value] = {}
    for k, t in enumerate(as_of_days):
        for s in signals:
            raw = base[col(s.name, k)]
            if s.aggregation == "days_since_last":
                last = raw.coalesce(base.joined_day)
                last = ibis.ifelse(last < base.joined_day, base.joined_day, last)
                days = ibis.literal(t) - last
                value: ir.Value = ibis.ifelse(days > s.window_days, s.window_days, days)
                value = ibis.ifelse(value < 0, 0, value)
            elif s.aggregation == "median_resolution_hours":
                value = raw  # null when no ticket was resolved in the window: nothing was slow
            else:
                value = raw.coalesce(0)
            values[f"x_{s.name}__{k}"] = value.cast("float64")
    return values


def _segment_targets(base: ir.Table, *, signals: Sequence[Signal], params_min: int) -> ir.Table | None:
    """Per segment, the median value among members who renewed; null where too few renewed."""
    derived = [s for s in signals if s.target_from_segment]
    if not derived:
        return None
    renewed = base.filter(base.renewed & base.segment_id.notnull())
    aggregates: dict[str, ir.Value] = {"renewed_members": renewed.count()}
    for s in derived:
        aggregates[f"segment_median_{s.name}"] = renewed[f"x_{s.name}__0"].median()
    per_segment = renewed.group_by("segment_id").aggregate(**aggregates)
    columns: dict[str, ir.Value] = {"segment_id": per_segment.segment_id}
    for s in derived:
        median = per_segment[f"segment_median_{s.name}"]
        usable = (per_segment.renewed_members >= params_min) & (median > 0)
        columns[f"segment_target_{s.name}"] = ibis.ifelse(usable, median, ibis.null("float64"))
    return per_segment.select(**columns)


def _milestone_columns(
    base: ir.Table, *, milestones: Sequence[Milestone], rules: Sequence[MilestoneRule], as_of_days: Sequence[int]
) -> dict[str, ir.Value]:
    """Milestones due and achieved per date, and the next milestone now, evaluated journey by journey."""
    rule_index = {rule.key: i for i, rule in enumerate(rules)}
    by_journey = journeys_of(milestones)
    columns: dict[str, ir.Value] = {}
    zero = ibis.literal(0)
    for k, t in enumerate(as_of_days):
        due_cases: list[tuple[ir.BooleanValue, ir.Value]] = []
        achieved_due_cases: list[tuple[ir.BooleanValue, ir.Value]] = []
        achieved_cases: list[tuple[ir.BooleanValue, ir.Value]] = []
        next_cases: dict[str, list[tuple[ir.BooleanValue, ir.Value]]] = {"id": [], "due": [], "grace": []}
        for journey_id, steps in by_journey.items():
            on_journey = base.journey_id == journey_id
            due_sum: ir.Value = zero
            achieved_due_sum: ir.Value = zero
            achieved_sum: ir.Value = zero
            states = []
            for m in steps:
                anchor = base.joined_day if m.due_from == "join" else base[col("term_start", k)]
                due_day = anchor + m.due_offset_days
                due = (due_day <= t).fill_null(False)
                achieved: ir.BooleanValue = ibis.literal(False)
                if m.rule is not None:
                    amount = base[col(f"rule{rule_index[m.rule.key]}", k)].coalesce(0)
                    achieved = amount >= m.rule.threshold
                    if k == 0:
                        # Kept apart from manual confirmation, so scoring can record what the rules found.
                        columns[rule_met_column(m)] = (on_journey & achieved).fill_null(False)
                manual_day = base[f"manual{m.milestone_id}"]
                achieved = achieved | (manual_day <= t).fill_null(False)
                due_sum = due_sum + due.cast("int64")
                achieved_due_sum = achieved_due_sum + (due & achieved).cast("int64")
                achieved_sum = achieved_sum + achieved.cast("int64")
                states.append((m, achieved, due_day))
            due_cases.append((on_journey, due_sum))
            achieved_due_cases.append((on_journey, achieved_due_sum))
            achieved_cases.append((on_journey, achieved_sum))
            if k == 0:
                # The next milestone is the first one in order not achieved yet.
                first_id: list[tuple[ir.BooleanValue, ir.Value]] = []
                first_due: list[tuple[ir.BooleanValue, ir.Value]] = []
                first_grace: list[tuple[ir.BooleanValue, ir.Value]] = []
                for m, achieved, due_day in states:
                    first_id.append((~achieved, ibis.literal(m.milestone_id, "int64")))
                    first_due.append((~achieved, due_day))
                    first_grace.append((~achieved, due_day + m.grace_days))
                next_cases["id"].append((on_journey, ibis.cases(*first_id, else_=ibis.null("int64"))))
                next_cases["due"].append((on_journey, ibis.cases(*first_due, else_=ibis.null("int32"))))
                next_cases["grace"].append((on_journey, ibis.cases(*first_grace, else_=ibis.null("int32"))))
        columns[col("due", k)] = _cases(due_cases, zero)
        columns[col("achieved_due", k)] = _cases(achieved_due_cases, zero)
        if k == 0:
            columns["milestones_achieved"] = _cases(achieved_cases, zero)
            columns["next_milestone_id"] = _cases(next_cases["id"], ibis.null("int64"))
            columns["next_due_day"] = _cases(next_cases["due"], ibis.null("int32"))
            columns["next_grace_day"] = _cases(next_cases["grace"], ibis.null("int32"))
    return columns


def _cases(cases: list[tuple[ir.BooleanValue, ir.Value]], default: ir.Value) -> ir.Value:
    return ibis.cases(*cases, else_=default) if cases else default


def _normalized(base: ir.Table, s: Signal, k: int) -> tuple[ir.Value, ir.Value]:
    """(target or limit, n_i) for signal s on the k-th date."""
    target: ir.Value = ibis.literal(float(s.target))
    if s.target_from_segment:
        target = base[f"segment_target_{s.name}"].coalesce(target)
    x = base[f"x_{s.name}__{k}"]
    ratio = x.coalesce(0.0) / target
    n = ratio if s.direction == "helps" else 1.0 - ratio
    n = ibis.ifelse(n < 0.0, 0.0, ibis.ifelse(n > 1.0, 1.0, n))
    return target, n


def _vector(
    base: ir.Table, *, config: ScoringConfig, milestones: Sequence[Milestone], inputs: EngineInputs, t0: int, t1: int
) -> ir.Table:
    params = config.params
    total = config.total_weight
    rows = base.filter(base.scored)
    scores: list[ir.Value] = []
    normalized: dict[str, ir.Value] = {}
    targets: dict[str, ir.Value] = {}
    for k in (0, 1):
        due = rows[col("due", k)]
        position = ibis.ifelse(due > 0, rows[col("achieved_due", k)] / due.cast("float64"), 1.0)
        if k == 0:
            normalized["milestone_position"] = position
        weighted: ir.Value = position * params.milestone_weight
        for s in config.signals:
            target, n = _normalized(rows, s, k)
            if k == 0:
                normalized[s.name], targets[s.name] = n, target
            weighted = weighted + n * s.weight
        scores.append(weighted * (100.0 / total))
    score, score_before = scores
    # Members who joined within the velocity window have no earlier score to compare with.
    velocity = ibis.ifelse(rows.joined_day <= t1, score - score_before, ibis.null("float64"))

    signal_weight = sum(s.weight for s in config.signals)
    present_weight: ir.Value = ibis.literal(0.0)
    presence: dict[str, ir.Value] = {}
    for s in config.signals:
        presence[s.name] = rows[presence_key(s)].fill_null(0) > 0
        present_weight = present_weight + ibis.ifelse(presence[s.name], s.weight, 0.0)
    confidence = present_weight / signal_weight if signal_weight > 0 else ibis.literal(1.0)

    last_touch = ibis.greatest(
        rows[col("last_touch", 0)].coalesce(rows.joined_day), rows[col("last_ticket", 0)].coalesce(rows.joined_day),
        rows.joined_day,
    )
    days_quiet = ibis.literal(t0) - last_touch
    overdue_days = ibis.literal(t0) - rows.next_grace_day
    overdue = (overdue_days > 0).fill_null(False)
    too_early = (rows.joined_day > t0 - params.too_early_days) & (rows[col("due", 0)] == 0)
    off_track = overdue | (score < params.low_band)
    drifting = (velocity < -params.drift_delta).fill_null(False)
    status = ibis.cases(
        (too_early, "too_early"), (off_track, "off_track"), (drifting, "drifting"), else_="on_track"
    )
    days_to_renewal = rows.term_end - t0
    renewal_at_risk = (
        (days_to_renewal >= 0) & (days_to_renewal <= params.renewal_horizon_days) & ~rows.renewed_already
    ).fill_null(False) & (status != "on_track")

    columns: dict[str, ir.Value] = {
        "member_id": rows.member_id,
        "score": score.round(DECIMALS),
        "score_before": ibis.ifelse(rows.joined_day <= t1, score_before, ibis.null("float64")).round(DECIMALS),
        "velocity": velocity.round(DECIMALS),
        "status": status,
        "confidence": confidence.round(DECIMALS),
        "milestone_position": normalized["milestone_position"].round(DECIMALS),
        "milestones_due": rows[col("due", 0)].cast("int64"),
        "milestones_achieved_due": rows[col("achieved_due", 0)].cast("int64"),
        "milestones_achieved": rows.milestones_achieved.cast("int64"),
        "next_milestone_id": rows.next_milestone_id,
        "next_milestone_due_day": rows.next_due_day.cast("int32"),
        "overdue_days": ibis.ifelse(overdue, overdue_days, 0).cast("int32"),
        "days_quiet": days_quiet.cast("int32"),
        "days_to_renewal": days_to_renewal.cast("int32"),
        "flag_off_track": status == "off_track",
        "flag_drifting": drifting,
        "flag_quiet": days_quiet >= params.quiet_days,
        "flag_renewal_at_risk": renewal_at_risk,
    }
    for m in milestones:
        if m.rule is not None:
            columns[rule_met_column(m)] = rows[rule_met_column(m)]
    # Each input's share of the score, from the rounded normalized value the result carries, so that
    # contributions and reasons are plain column arithmetic here and Python only puts them in words.
    columns[points_column(MILESTONE_INPUT)] = ibis.literal(100.0 * params.milestone_weight) * columns[
        "milestone_position"] / total
    for s in config.signals:
        columns[f"x_{s.name}"] = rows[f"x_{s.name}__0"].round(DECIMALS)
        columns[f"n_{s.name}"] = n_rounded = normalized[s.name].round(DECIMALS)
        columns[f"target_{s.name}"] = targets[s.name].round(DECIMALS)
        columns[f"present_{s.name}"] = presence[s.name]
        columns[points_column(s.name)] = ibis.literal(100.0 * s.weight) * n_rounded / total
        columns[lost_column(s.name)] = ibis.literal(100.0 * s.weight) * (1.0 - n_rounded) / total
    result = rows.select(**columns)
    return _saved_at_risk(result, previous=inputs.previous).select(*result_columns(config, milestones))


def _saved_at_risk(result: ir.Table, *, previous: ir.Table | None) -> ir.Table:
    """A member brought back from off track stays at risk until they reach the milestone that was next.

    Saved: off track (or already saved) in the previous completed run, not off track now, and the
    next milestone is still the one it was then."""
    if previous is None:
        return result.mutate(flag_saved_at_risk=ibis.literal(False))
    prev = previous.select(
        member_id=previous.member_id,
        prev_at_risk=(previous.status == "off_track") | previous.saved_at_risk.fill_null(False),
        prev_next=previous.next_milestone_id,
    )
    joined = result.left_join(prev, "member_id").drop("member_id_right")
    saved = (
        joined.prev_at_risk.fill_null(False)
        & (joined.status != "off_track")
        & joined.next_milestone_id.notnull()
        & (joined.next_milestone_id == joined.prev_next).fill_null(False)
    )
    return joined.mutate(flag_saved_at_risk=saved).drop("prev_at_risk", "prev_next")


def rule_met_column(milestone: Milestone) -> str:
    """The result column telling whether a member on the milestone's journey meets its rule on the as-of date."""
    return f"rule_met_{milestone.milestone_id}"


def points_column(name: str) -> str:
    """The result column with an input's score points, 100·w·n/(w_p + Σ w_i), before rounding for display."""
    return f"points_{name}"


def lost_column(name: str) -> str:
    """The result column with the score points a signal misses, 100·w·(1 − n)/(w_p + Σ w_i)."""
    return f"lost_{name}"


def result_columns(config: ScoringConfig, milestones: Sequence[Milestone] = ()) -> list[str]:
    """The columns of the engine's result, in order."""
    fixed = [
        "member_id", "score", "score_before", "velocity", "status", "confidence", "milestone_position",
        "milestones_due", "milestones_achieved_due", "milestones_achieved", "next_milestone_id",
        "next_milestone_due_day", "overdue_days", "days_quiet", "days_to_renewal",
        *[f"flag_{f}" for f in FLAGS],
    ]
    fixed.append(points_column(MILESTONE_INPUT))
    for s in config.signals:
        fixed += [f"x_{s.name}", f"n_{s.name}", f"target_{s.name}", f"present_{s.name}", points_column(s.name),
                  lost_column(s.name)]
    return fixed + [rule_met_column(m) for m in milestones if m.rule is not None]
