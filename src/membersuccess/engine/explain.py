"""Put the engine's per-member result in words: contributions, flags and the top reasons.

This is presentation over result columns that are already aggregated per member, including each
input's points (no interaction is read here). `explain` states the rules for one row;
`explain_batches` gives the same text for a whole result, batch by batch, with array operations."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from membersuccess.engine.milestones import Milestone
from membersuccess.engine.signals import MILESTONE_INPUT, ScoringConfig, Signal
from membersuccess.engine.vector import FLAGS, lost_column, points_column


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


@dataclass(frozen=True)
class ExplainedBatch:
    """A batch of result rows with each row's explanation as the JSON text a VectorSnapshot stores.

    `contributions[i]`, `reasons[i]` and `flags[i]` are exactly `json.dumps` of the corresponding
    field of `explain(row)` for the i-th row of `rows`."""

    rows: pa.RecordBatch
    contributions: list[str]
    reasons: list[str]
    flags: list[str]


def explain_batches(
    result: pa.Table,
    *,
    config: ScoringConfig,
    milestones: Sequence[Milestone],
    as_of_day: int,
    batch_rows: int = 50_000,
) -> Iterator[ExplainedBatch]:
    """Explain every result row, a batch at a time so memory stays flat.

    The points each input earns and misses come from the engine's result (points_*, lost_*
    columns); here they are rounded and written as JSON column by column, and reasons are chosen with
    array operations, so per member Python only assembles the few sentences that are shown."""
    by_id = {m.milestone_id: m for m in milestones}
    for batch in result.to_batches(max_chunksize=batch_rows):
        if batch.num_rows:
            yield ExplainedBatch(
                rows=batch,
                contributions=_contributions_json(batch, config),
                reasons=_reasons_json(batch, config=config, milestones=by_id, as_of_day=as_of_day),
                flags=_flags_json(batch),
            )


def round2(values: np.ndarray) -> np.ndarray:
    """`round(v, 2)` of every value, exactly as Python rounds a float, without a Python call per value.

    Away from a tie, rint(100·v)/100 picks the same hundredth as Python and both return the double
    nearest to it; the rare values within reach of a tie are rounded by Python itself."""
    scaled = values * 100.0
    rounded = np.rint(scaled) / 100.0
    with np.errstate(invalid="ignore"):
        near_tie = ~(np.abs(scaled - np.floor(scaled) - 0.5) > 1e-6) | ~(np.abs(values) < 1e12)
    for i in np.flatnonzero(near_tie):
        rounded[i] = round(float(values[i]), 2)
    return rounded


def _json_floats(values: pa.Array) -> pa.Array:
    """Each float64 value as `json.dumps` writes it ("null" for a missing one), formatting each distinct
    value once (values are compared bit for bit, so 0.0 and -0.0 stay apart)."""
    values = values.cast(pa.float64())
    encoded = pc.dictionary_encode(values.view(pa.int64()))
    distinct = encoded.dictionary.to_numpy(zero_copy_only=False).view(np.float64)
    texts = pa.array([json.dumps(float(v)) for v in distinct], pa.string())
    return pc.fill_null(pc.take(texts, encoded.indices), "null")


def _float_column(batch: pa.RecordBatch, name: str) -> np.ndarray:
    return batch.column(name).cast(pa.float64()).to_numpy(zero_copy_only=False)


def _contributions_json(batch: pa.RecordBatch, config: ScoringConfig) -> list[str]:
    """The contributions list of every row as JSON text, assembled column-wise with Arrow."""
    def number(column: str, *, rounded: bool = False) -> pa.Array:
        if not rounded:
            return _json_floats(batch.column(column))
        return _json_floats(pa.array(round2(_float_column(batch, points_column(column))), pa.float64()))

    def item(name: str, label: str, weight: float, value: str) -> list[Any]:
        return [
            pa.scalar('{"input": ' + json.dumps(name) + ', "label": ' + json.dumps(label) + ', "value": '),
            number(value), pa.scalar(', "normalized": '),
            number(value if name == MILESTONE_INPUT else f"n_{name}"),
            pa.scalar(', "weight": ' + json.dumps(weight) + ', "points": '), number(name, rounded=True),
            pa.scalar("}"),
        ]

    pieces: list[Any] = [pa.scalar("[")]
    pieces += item(MILESTONE_INPUT, "milestones reached of those due", config.params.milestone_weight,
                   "milestone_position")
    for s in config.signals:
        pieces.append(pa.scalar(", "))
        pieces += item(s.name, s.label, s.weight, f"x_{s.name}")
    pieces.append(pa.scalar("]"))
    joined = pc.binary_join_element_wise(*pieces, pa.scalar(""))
    return joined.to_pylist()


def _flags_json(batch: pa.RecordBatch) -> list[str]:
    code = np.zeros(batch.num_rows, dtype=np.int64)
    for bit, flag in enumerate(FLAGS):
        code |= batch.column(f"flag_{flag}").fill_null(False).to_numpy(zero_copy_only=False).astype(np.int64) << bit
    texts = [json.dumps([f for bit, f in enumerate(FLAGS) if combination >> bit & 1])
             for combination in range(1 << len(FLAGS))]
    return [texts[c] for c in code.tolist()]


def _ranked(points: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the chosen signal indices by descending points (ties in signal order), and how many."""
    key = np.where(chosen, -points, np.inf)
    return np.argsort(key, axis=1, kind="stable"), chosen.sum(axis=1)


@dataclass
class _Sentences:
    """The signal sentences of a batch, each distinct (signal, value, target) written once."""

    signals: Sequence[Signal]
    x: np.ndarray
    x_valid: np.ndarray
    target: np.ndarray

    def __post_init__(self) -> None:
        self.memo: dict[tuple[int, int | None, int], str] = {}

    def slots(self, order: np.ndarray, count: np.ndarray, limit: int) -> list[pa.Array]:
        """For k < limit, the JSON text of each row's k-th ranked sentence (null past the row's count)."""
        rows = np.arange(order.shape[0])
        out = []
        for k in range(min(limit, order.shape[1])):
            valid = count > k
            j = order[valid, k]
            picked = rows[valid]
            # Values are compared by their bits, so that 0.0 and -0.0 (which print differently) stay apart.
            x = pa.array(self.x[picked, j], mask=~self.x_valid[picked, j]).view(pa.int64())
            x_codes = pc.dictionary_encode(x, null_encoding="encode")
            target_codes = pc.dictionary_encode(pa.array(self.target[picked, j]).view(pa.int64()))
            code = (
                x_codes.indices.to_numpy().astype(np.int64) * len(target_codes.dictionary)
                + target_codes.indices.to_numpy()
            ) * len(self.signals) + j
            distinct = pc.dictionary_encode(pa.array(code))
            x_values, targets = x_codes.dictionary.to_pylist(), target_codes.dictionary.to_pylist()
            texts = []
            for value in distinct.dictionary.to_pylist():
                rest, signal = divmod(value, len(self.signals))
                x_index, target_index = divmod(rest, len(targets))
                texts.append(self._text(signal, x_values[x_index], targets[target_index]))
            indices = np.zeros(len(rows), dtype=np.int64)
            indices[valid] = distinct.indices.to_numpy()
            out.append(pc.take(pa.array(texts, pa.string()), pa.array(indices, mask=~valid)))
        return out

    def _text(self, signal: int, x_bits: int | None, target_bits: int) -> str:
        key = (signal, x_bits, target_bits)
        text = self.memo.get(key)
        if text is None:
            value = None if x_bits is None else float(np.int64(x_bits).view(np.float64))
            target = float(np.int64(target_bits).view(np.float64))
            text = self.memo[key] = json.dumps(signal_sentence(self.signals[signal], value, target))
        return text


def _reasons_json(
    batch: pa.RecordBatch, *, config: ScoringConfig, milestones: Mapping[int, Milestone], as_of_day: int
) -> list[str]:
    """The reasons of every row as JSON text: the same choice and order as `explain`, decided with array
    operations. Only the sentences that are shown are written, each distinct one once; rows with an
    overdue milestone or a flag that adds a reason are finished in Python."""
    params = config.params
    signals = config.signals
    limit = params.top_reasons
    rows = batch.num_rows
    minimum = params.reason_min_points
    if signals:
        lost = np.column_stack([_float_column(batch, lost_column(s.name)) for s in signals])
        points = np.column_stack([_float_column(batch, points_column(s.name)) for s in signals])
        x_valid = np.column_stack([batch.column(f"x_{s.name}").is_valid().to_numpy(zero_copy_only=False)
                                   for s in signals])
        x = np.column_stack([_float_column(batch, f"x_{s.name}") for s in signals])
        target = np.column_stack([_float_column(batch, f"target_{s.name}") for s in signals])
        helps = np.array([s.direction == "helps" for s in signals])
        short = lost >= minimum
        strong = ~short & (points >= minimum) & ((x_valid & (x != 0)) | helps)
    else:
        lost = points = x = target = np.zeros((rows, 0))
        x_valid = short = strong = np.zeros((rows, 0), dtype=bool)
    short_order, short_count = _ranked(lost, short)
    strong_order, strong_count = _ranked(points, strong)
    sentences = _Sentences(signals, x, x_valid, target)
    short_slots = sentences.slots(short_order, short_count, limit)
    strong_slots = sentences.slots(strong_order, strong_count, limit)

    # Rows without an overdue milestone or a flag with its own reason: the shortfalls, else the strengths.
    has_short = pa.array(short_count > 0)
    chosen = [pc.if_else(has_short, a, b) for a, b in zip(short_slots, strong_slots, strict=True)]
    if chosen:
        joined = pc.binary_join_element_wise(*chosen, pa.scalar(", "), null_handling="skip")
        out: list[str] = pc.binary_join_element_wise(pa.scalar("["), joined, pa.scalar("]"), pa.scalar("")).to_pylist()
    else:
        out = ["[]"] * rows

    def flag(name: str) -> np.ndarray:
        return batch.column(name).fill_null(False).to_numpy(zero_copy_only=False)

    overdue = batch.column("overdue_days").fill_null(0).to_numpy(zero_copy_only=False) != 0
    drifting, saved, renewal = flag("flag_drifting"), flag("flag_saved_at_risk"), flag("flag_renewal_at_risk")
    special = np.flatnonzero(overdue | drifting | saved | renewal)
    if not len(special):
        return out
    picked = pa.array(special)

    def column(name: str) -> list[Any]:
        return batch.column(name).take(picked).to_pylist()

    def slot_lists(slots: list[pa.Array]) -> list[list[str | None]]:
        return [slot.take(picked).to_pylist() for slot in slots]

    next_ids, due_days, velocity = column("next_milestone_id"), column("next_milestone_due_day"), column("velocity")
    renewal_days = column("days_to_renewal")
    shorts, strongs = slot_lists(short_slots), slot_lists(strong_slots)
    short_counts, strong_counts = short_count[special].tolist(), strong_count[special].tolist()
    quoted: dict[str, str] = {}

    def quote(text: str) -> str:
        found = quoted.get(text)
        if found is None:
            found = quoted[text] = json.dumps(text)
        return found

    for n, i in enumerate(special.tolist()):
        parts: list[str] = []
        next_id = next_ids[n]
        step = milestones.get(next_id) if next_id is not None else None
        if overdue[i] and step is not None and due_days[n] is not None:
            parts.append(quote(
                f"“{step.name}” not reached — milestone {step.order} is {as_of_day - due_days[n]} days overdue"
            ))
        parts += [shorts[k][n] for k in range(min(short_counts[n], max(0, limit - len(parts))))]  # type: ignore[misc]
        if drifting[i] and velocity[n] is not None:
            parts.append(quote(f"score fell {abs(velocity[n]):.0f} points in the last {params.velocity_days} days"))
        if saved[i] and step is not None:
            parts.append(quote(f"back from off track, still at risk until “{step.name}” is reached"))
        if renewal[i] and renewal_days[n] is not None:
            parts.append(quote(f"membership ends in {renewal_days[n]} days"))
        if not parts:
            parts = [strongs[k][n] for k in range(min(strong_counts[n], limit))]  # type: ignore[misc]
        out[i] = "[" + ", ".join(parts) + "]"
    return out
