"""Per-member aggregates as of several dates, each computed in one pass over its table.

Every signal, every distinct milestone rule and every "last touch" becomes a filtered aggregate
(`count(where=...)`, `sum(where=...)`, ...) of a single GROUP BY member, for all as-of dates at once:
the engine scans the interactions once, however many signals and dates there are. Distinct days are
the exception: they are counted in a second, smaller pass over only the rows they read (see
`distinct_days`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from membersuccess.engine.inputs import ACTIVE_MEMBER_STATUSES, RENEWED_TERM_STATUSES
from membersuccess.engine.milestones import MilestoneRule
from membersuccess.engine.params import ScoringParams
from membersuccess.engine.signals import Signal

SECONDS_A_DAY = 86_400
SUM_DECIMALS = 6  # sums of floats are rounded so that summation order never shows between backends


def col(name: str, k: int) -> str:
    """The column of `name` as of the k-th date (0 is the scoring date)."""
    return f"{name}__{k}"


def _match(table: ir.Table, *, sources: Sequence[str], kinds: Sequence[str]) -> ir.BooleanValue:
    condition: ir.BooleanValue = ibis.literal(True)
    if sources:
        condition = condition & (table.source.isin(list(sources)) if len(sources) > 1 else table.source == sources[0])
    if kinds:
        condition = condition & (table.kind.isin(list(kinds)) if len(kinds) > 1 else table.kind == kinds[0])
    return condition


def presence_key(signal: Signal) -> str:
    """Signals reading the same sources share one "is there any data for this member" column."""
    if signal.reads_tickets:
        return "has_tickets"
    if signal.sources:
        return "has_src_" + "_".join(signal.sources)
    return "has_kind_" + "_".join(signal.kinds) if signal.kinds else "has_any"


def member_anchors(
    *, members: ir.Table, terms: ir.Table, as_of_days: Sequence[int], params: ScoringParams
) -> ir.Table:
    """Per member: joining day, current term start per date, term end, and whether they are scored.

    The current term is the one running on the date, else the latest one started before it (the
    same rule the member 360 page uses)."""
    t0 = as_of_days[0]
    started = {k: terms.start_day <= t for k, t in enumerate(as_of_days)}
    aggregates: dict[str, ir.Value] = {}
    for k, t in enumerate(as_of_days):
        aggregates[col("running_start", k)] = terms.start_day.max(where=started[k] & (terms.end_day >= t))
        aggregates[col("latest_start", k)] = terms.start_day.max(where=started[k])
    aggregates["term_end"] = terms.end_day.max(where=started[0])
    aggregates["future_terms"] = terms.count(where=terms.start_day > t0)
    aggregates["covering_terms"] = terms.count(
        where=started[0] & (terms.end_day + params.lapse_grace_days >= t0)
    )
    aggregates["renewed_terms"] = terms.count(
        where=terms.status.isin(list(RENEWED_TERM_STATUSES)) & (terms.end_day <= t0)
    )
    aggregates["term_count"] = terms.count()
    per_member = terms.group_by("member_id").aggregate(**aggregates)
    joined = members.left_join(per_member, "member_id")
    covering = joined.covering_terms.fill_null(0)
    no_terms = joined.term_count.fill_null(0) == 0
    columns: dict[str, ir.Value] = {
        "member_id": joined.member_id,
        "segment_id": joined.segment_id,
        "journey_id": joined.journey_id,
        "joined_day": joined.joined_day,
        "term_end": joined.term_end,
        "renewed_already": joined.future_terms.fill_null(0) > 0,
        "renewed": joined.renewed_terms.fill_null(0) > 0,
        "scored": (joined.joined_day <= t0)
        & ((covering > 0) | (no_terms & joined.status.isin(list(ACTIVE_MEMBER_STATUSES)))),
    }
    for k in range(len(as_of_days)):
        columns[col("term_start", k)] = joined[col("running_start", k)].coalesce(joined[col("latest_start", k)])
    return joined.select(**columns)


def interaction_features(
    *,
    interactions: ir.Table,
    anchors: ir.Table,
    signals: Sequence[Signal],
    rules: Sequence[MilestoneRule],
    as_of_days: Sequence[int],
    params: ScoringParams,
) -> ir.Table:
    """One row per member with interactions: signal values, rule aggregates, presence and last touch."""
    t0 = as_of_days[0]
    facts = interactions.filter(interactions.day <= t0)
    if rules:
        # Rule windows start at each member's own anchor, so the facts need the member's dates.
        needed = ["member_id", "joined_day", *[col("term_start", k) for k in range(len(as_of_days))]]
        facts = facts.join(anchors.select(*needed), "member_id")
    aggregates: dict[str, ir.Value | None] = {}  # None: counted by distinct_days, joined in below
    days: list[DistinctDays] = []
    matches: dict[tuple[tuple[str, ...], tuple[str, ...]], ir.BooleanValue] = {}

    def match(sources: Sequence[str], kinds: Sequence[str]) -> ir.BooleanValue:
        key = (tuple(sources), tuple(kinds))
        if key not in matches:
            matches[key] = _match(facts, sources=sources, kinds=kinds)
        return matches[key]

    for k, t in enumerate(as_of_days):
        until = facts.day <= t
        for signal in signals:
            if signal.reads_tickets:
                continue
            name = col(signal.name, k)
            if signal.aggregation == "distinct_days":
                days.append(DistinctDays(name, signal.sources, signal.kinds, until=t, since=t - signal.window_days))
                aggregates[name] = None
                continue
            where = match(signal.sources, signal.kinds) & until & (facts.day > t - signal.window_days)
            aggregates[name] = _aggregate(facts, signal.aggregation, where)
        for index, rule in enumerate(rules):
            name = col(f"rule{index}", k)
            anchor_name = "joined_day" if rule.window == "join" else col("term_start", k)
            if rule.aggregation == "distinct_days":
                days.append(DistinctDays(name, rule.sources, rule.kinds, until=t, anchor=anchor_name))
                aggregates[name] = None
                continue
            where = match(rule.sources, rule.kinds) & until & (facts.day >= facts[anchor_name])
            aggregates[name] = _aggregate(facts, rule.aggregation, where)
        engaged = until
        if params.quiet_ignores_kinds:
            engaged = engaged & ~facts.kind.isin(list(params.quiet_ignores_kinds))
        aggregates[col("last_touch", k)] = facts.day.max(where=engaged)
    for signal in signals:
        key = presence_key(signal)
        if not signal.reads_tickets and key not in aggregates:
            aggregates[key] = facts.count(where=match(signal.sources, () if signal.sources else signal.kinds))
    per_member = facts.group_by("member_id").aggregate(
        **{name: value for name, value in aggregates.items() if value is not None}
    )
    if not days:
        return per_member
    counted = distinct_days(interactions=interactions, anchors=anchors, wanted=days, t0=t0)
    joined = per_member.left_join(counted, "member_id")
    return joined.select(
        per_member.member_id,
        **{name: per_member[name] if value is not None else joined[name].fill_null(0)
           for name, value in aggregates.items()},
    )


@dataclass(frozen=True)
class DistinctDays:
    """A distinct-days aggregate: days on which the member had an interaction of the sources and kinds,
    from the day after `since` (or from the member's `anchor` column) to `until`, both inclusive."""

    column: str
    sources: tuple[str, ...]
    kinds: tuple[str, ...]
    until: int
    since: int | None = None
    anchor: str | None = None


def distinct_days(
    *, interactions: ir.Table, anchors: ir.Table, wanted: Sequence[DistinctDays], t0: int
) -> ir.Table:
    """One row per member with any of the wanted interactions: each distinct-days aggregate.

    A filtered COUNT(DISTINCT day) per aggregate in the member pass makes the engine keep a hash
    table of (member, day) for each one; at tens of millions of interactions those cost several
    times the rest of the pass together, and grow faster than the data. Here only the rows some
    aggregate reads are grouped once by (member, day), with a count per filter, and then each
    aggregate counts the member's days whose filter count is above zero within its window."""
    # Per filter, the earliest day any of its aggregates reads (None: from the member's anchor).
    sinces: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int | None]] = {}
    for w in wanted:
        sinces.setdefault((w.sources, w.kinds), []).append(w.since)
    earliest = {key: None if None in values else min(v for v in values if v is not None)
                for key, values in sinces.items()}
    keys = list(earliest)
    facts = interactions.filter(interactions.day <= t0)
    read: ir.BooleanValue | None = None
    for (sources, kinds), since in earliest.items():
        reads = _match(facts, sources=sources, kinds=kinds)
        if since is not None:
            reads = reads & (facts.day > since)
        read = reads if read is None else read | reads
    facts = facts.filter(read)
    per_day = facts.group_by(["member_id", "day"]).aggregate(
        **{f"rows{i}": facts.count(where=_match(facts, sources=s, kinds=k)) for i, (s, k) in enumerate(keys)}
    )
    anchored = sorted({w.anchor for w in wanted if w.anchor is not None})
    if anchored:
        per_day = per_day.join(anchors.select("member_id", *anchored), "member_id")
    aggregates: dict[str, ir.Value] = {}
    for w in wanted:
        on_day = per_day[f"rows{keys.index((w.sources, w.kinds))}"] > 0
        start = per_day.day > w.since if w.anchor is None else per_day.day >= per_day[w.anchor]
        aggregates[w.column] = per_day.count(where=on_day & (per_day.day <= w.until) & start)
    return per_day.group_by("member_id").aggregate(**aggregates)


def _aggregate(facts: ir.Table, aggregation: str, where: ir.BooleanValue) -> ir.Value:
    if aggregation == "count":
        return facts.count(where=where)
    if aggregation == "sum":
        return facts.value.sum(where=where).round(SUM_DECIMALS)
    if aggregation == "days_since_last":
        return facts.day.max(where=where)
    raise ValueError(f"not an interaction aggregation: {aggregation}")


def ticket_features(
    *, tickets: ir.Table, signals: Sequence[Signal], as_of_days: Sequence[int]
) -> ir.Table:
    """One row per member with tickets: open tickets, tickets opened, median resolution hours, last opened."""
    t0 = as_of_days[0]
    end0 = (t0 + 1) * SECONDS_A_DAY
    facts = tickets.filter(tickets.opened_s < end0)
    # The median is taken over whole seconds, exact on every backend, and only then turned into hours.
    seconds = (facts.resolved_s - facts.opened_s).cast("float64")
    aggregates: dict[str, ir.Value] = {}
    for k, t in enumerate(as_of_days):
        end = (t + 1) * SECONDS_A_DAY  # the as-of day itself is included
        opened = facts.opened_s < end
        for signal in signals:
            if not signal.reads_tickets:
                continue
            severity = (
                facts.severity.isin(list(signal.kinds)) if signal.kinds else ibis.literal(True)
            )
            start = (t + 1 - signal.window_days) * SECONDS_A_DAY
            if signal.aggregation == "open_tickets":
                still_open = facts.resolved_s.isnull() | (facts.resolved_s >= end)
                where = severity & opened & (facts.opened_s >= start) & still_open
                aggregates[col(signal.name, k)] = facts.count(where=where)
            elif signal.aggregation == "tickets_opened":
                aggregates[col(signal.name, k)] = facts.count(where=severity & opened & (facts.opened_s >= start))
            else:
                resolved = facts.resolved_s.notnull() & (facts.resolved_s < end) & (facts.resolved_s >= start)
                # Masking instead of median(where=...): Spark needs the percentile's fraction to be a constant.
                masked = ibis.ifelse(severity & resolved, seconds, ibis.null("float64"))
                aggregates[col(signal.name, k)] = (masked.median() / 3600.0).round(SUM_DECIMALS)
        aggregates[col("last_ticket", k)] = (facts.opened_s.max(where=opened) / SECONDS_A_DAY).floor().cast("int32")
    aggregates["has_tickets"] = facts.count()
    return facts.group_by("member_id").aggregate(**aggregates)


def manual_achievements(*, achievements: ir.Table, milestone_ids: Sequence[int]) -> ir.Table | None:
    """One row per member: the day each milestone was confirmed by staff (null when it was not)."""
    if not milestone_ids:
        return None
    aggregates = {
        f"manual{m}": achievements.achieved_day.min(where=achievements.milestone_id == m) for m in milestone_ids
    }
    return achievements.group_by("member_id").aggregate(**aggregates)
