"""Put the engine's per-member result in words: contributions, flags and the top reasons.

This is presentation over result columns that are already aggregated per member (no interaction is
read here), so it runs row by row in Python."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from membersuccess.engine.milestones import Milestone
from membersuccess.engine.signals import MILESTONE_INPUT, ScoringConfig, Signal
from membersuccess.engine.vector import FLAGS


@dataclass(frozen=True)
class Explanation:
    """What a VectorSnapshot stores beside the numbers."""

    contributions: list[dict[str, Any]]
    reasons: list[str]
    flags: list[str]


def period(days: int) -> str:
    """A window in the words staff use: '30 days', '3 months', '12 months'."""
    if days < 60:
        return f"{days} days"
    return f"{round(days / 30.4)} months"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def signal_sentence(signal: Signal, value: float | None, target: float) -> str:
    """One signal's value in plain words, e.g. 'no events attended in the last 12 months'."""
    window = period(signal.window_days)
    if signal.aggregation == "days_since_last":
        days = int(value or 0)
        more = " or more" if days >= signal.window_days else ""
        return f"no {signal.label} for {days} days{more}"
    if signal.aggregation == "open_tickets":
        return f"{_number(value or 0)} {signal.label}"
    if signal.aggregation == "median_resolution_hours":
        return f"{signal.label} {_number(value or 0)} hours (limit {_number(target)})"
    if not value:
        return f"no {signal.label} in the last {window}"
    suffix = f" (target {_number(target)})" if signal.direction == "helps" else ""
    return f"{_number(value)} {signal.label} in the last {window}{suffix}"


def explain(
    row: Mapping[str, Any],
    *,
    config: ScoringConfig,
    milestones: Mapping[int, Milestone],
    as_of_day: int,
) -> Explanation:
    """Contributions (each input's share of the score), flags, and reasons most important first."""
    total = config.total_weight
    w_p = config.params.milestone_weight
    p = row["milestone_position"]
    contributions: list[dict[str, Any]] = [{
        "input": MILESTONE_INPUT, "label": "milestones reached of those due", "value": p, "normalized": p,
        "weight": w_p, "points": round(100 * w_p * p / total, 2),
    }]
    shortfalls: list[tuple[float, str]] = []
    strengths: list[tuple[float, str]] = []
    for s in config.signals:
        n, x, target = row[f"n_{s.name}"], row[f"x_{s.name}"], row[f"target_{s.name}"]
        points = 100 * s.weight * n / total
        contributions.append({
            "input": s.name, "label": s.label, "value": x, "normalized": n, "weight": s.weight,
            "points": round(points, 2),
        })
        lost = 100 * s.weight * (1 - n) / total
        if lost >= config.params.reason_min_points:
            shortfalls.append((lost, signal_sentence(s, x, target)))
        elif points >= config.params.reason_min_points and (x or s.direction == "helps"):
            strengths.append((points, signal_sentence(s, x, target)))
    flags = [f for f in FLAGS if row[f"flag_{f}"]]
    reasons: list[str] = []
    next_id = row["next_milestone_id"]
    step = milestones.get(next_id) if next_id is not None else None
    if row["overdue_days"] and step is not None and row["next_milestone_due_day"] is not None:
        late = as_of_day - row["next_milestone_due_day"]
        reasons.append(f"“{step.name}” not reached — milestone {step.order} is {late} days overdue")
    shortfalls.sort(key=lambda item: -item[0])
    limit = config.params.top_reasons
    reasons += [text for _, text in shortfalls[: max(0, limit - len(reasons))]]
    if "drifting" in flags and row["velocity"] is not None:
        reasons.append(
            f"score fell {abs(row['velocity']):.0f} points in the last {config.params.velocity_days} days"
        )
    if "saved_at_risk" in flags and step is not None:
        reasons.append(f"back from off track, still at risk until “{step.name}” is reached")
    if "renewal_at_risk" in flags and row["days_to_renewal"] is not None:
        reasons.append(f"membership ends in {row['days_to_renewal']} days")
    if not reasons:
        strengths.sort(key=lambda item: -item[0])
        reasons = [text for _, text in strengths[:limit]]
    return Explanation(contributions=contributions, reasons=reasons, flags=flags)


def explain_all(
    result: pa.Table,
    *,
    config: ScoringConfig,
    milestones: Sequence[Milestone],
    as_of_day: int,
    batch_rows: int = 20_000,
) -> Iterator[tuple[dict[str, Any], Explanation]]:
    """Each result row (as a dict) with its explanation, a batch of rows at a time so memory stays flat."""
    by_id = {m.milestone_id: m for m in milestones}
    names = result.column_names
    for batch in result.to_batches(max_chunksize=batch_rows):
        columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        for values in zip(*columns, strict=True):
            row = dict(zip(names, values, strict=True))
            yield row, explain(row, config=config, milestones=by_id, as_of_day=as_of_day)
