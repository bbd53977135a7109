"""Success Milestones as the engine sees them: ordered, dated checkpoints with an achievement rule.

A rule aggregates a member's interactions of some kinds since an anchor (joining, or the start of
the current term) and is met when the aggregate reaches its threshold. Staff may also confirm any
milestone by hand (a manual achievement); either way counts. Rules that are the same are computed
once, however many milestones use them."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

RuleAggregation = Literal["count", "sum", "distinct_days"]
Anchor = Literal["join", "term_start"]
RULE_AGGREGATIONS: tuple[str, ...] = get_args(RuleAggregation)
ANCHORS: tuple[str, ...] = get_args(Anchor)


class MilestoneRuleError(ValueError):
    """An achievement rule that cannot be evaluated; the message names the milestone and the field."""


@dataclass(frozen=True)
class MilestoneRule:
    """Met when `aggregation` over interactions of `kinds` since the `window` anchor reaches `threshold`."""

    kinds: tuple[str, ...]
    aggregation: RuleAggregation
    threshold: float
    window: Anchor = "join"
    sources: tuple[str, ...] = ()  # empty: any source

    @property
    def key(self) -> tuple[object, ...]:
        """What makes two rules compute the same aggregate (the threshold does not)."""
        return (self.kinds, self.sources, self.aggregation, self.window)


@dataclass(frozen=True)
class Milestone:
    """One checkpoint of a journey, due `due_offset_days` after joining or after the current term started."""

    milestone_id: int
    journey_id: int
    order: int
    name: str
    due_offset_days: int
    due_from: Anchor = "join"
    grace_days: int = 30
    rule: MilestoneRule | None = None  # None: only staff confirm it


def rule_from_json(rule: Mapping[str, object] | None, *, milestone: str = "milestone") -> MilestoneRule | None:
    """Parse a SuccessMilestone.rule document; an empty one means the milestone is confirmed by hand."""
    if not rule:
        return None

    def fail(field_name: str, problem: str) -> MilestoneRuleError:
        return MilestoneRuleError(f"milestone {milestone!r}, rule field {field_name!r}: {problem}")

    unknown = sorted(set(rule) - {"kinds", "sources", "aggregation", "threshold", "window"})
    if unknown:
        raise fail(unknown[0], "unknown field")
    kinds, sources = rule.get("kinds"), rule.get("sources", [])
    if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) and k for k in kinds):
        raise fail("kinds", "give a list of interaction kinds, e.g. ['course_completed']")
    if not isinstance(sources, list) or not all(isinstance(s, str) and s for s in sources):
        raise fail("sources", "must be a list of sources")
    aggregation = rule.get("aggregation", "count")
    if aggregation not in RULE_AGGREGATIONS:
        raise fail("aggregation", f"use one of {', '.join(RULE_AGGREGATIONS)}")
    threshold = rule.get("threshold", 1)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not math.isfinite(threshold):
        raise fail("threshold", "must be a number")
    if threshold <= 0:
        raise fail("threshold", "must be more than zero")
    window = rule.get("window", "join")
    if window not in ANCHORS:
        raise fail("window", "use 'join' or 'term_start'")
    return MilestoneRule(
        kinds=tuple(sorted(kinds)),
        sources=tuple(sorted(sources)),
        aggregation=aggregation,  # type: ignore[arg-type]
        threshold=float(threshold),
        window=window,  # type: ignore[arg-type]
    )


def distinct_rules(milestones: Sequence[Milestone]) -> list[MilestoneRule]:
    """Each distinct aggregate the milestones need, in a stable order (its index names its column)."""
    seen: dict[tuple[object, ...], MilestoneRule] = {}
    for milestone in milestones:
        if milestone.rule is not None and milestone.rule.key not in seen:
            seen[milestone.rule.key] = milestone.rule
    return list(seen.values())


def journeys_of(milestones: Sequence[Milestone]) -> dict[int, list[Milestone]]:
    """Milestones grouped by journey, each journey's in order."""
    grouped: dict[int, list[Milestone]] = {}
    for milestone in sorted(milestones, key=lambda m: (m.journey_id, m.order)):
        grouped.setdefault(milestone.journey_id, []).append(milestone)
    return grouped
