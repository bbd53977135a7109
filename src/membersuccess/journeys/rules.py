"""What a Success Milestone is made of, checked field by field before it is saved.

Staff write a milestone as plain values (from a form, the API or a file); `validate_milestone`
turns them into the model's fields or raises `MilestoneInputError` with one message per field, so
the web shows each next to its field. A rule that passes here also passes the engine's own parser
(`engine.milestones.rule_from_json`), so a saved journey never stops a scoring run."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from membersuccess.engine.milestones import ANCHORS, RULE_AGGREGATIONS, MilestoneRuleError, rule_from_json

MAX_DAYS = 3650  # ten years: further out is a typo, not a milestone
MAX_KINDS = 20
KIND_LENGTH = 60

AGGREGATION_LABELS: dict[str, str] = {
    "count": "How many interactions",
    "sum": "Sum of the interactions' values (e.g. CE credits)",
    "distinct_days": "On how many different days",
}
WINDOW_LABELS: dict[str, str] = {
    "join": "since joining",
    "term_start": "since the current term started",
}
ACHIEVED_BY = ("rule", "manual")


class MilestoneInputError(ValueError):
    """A milestone that cannot be saved; `errors` maps each wrong field to what is wrong with it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name}: {problem}" for name, problem in self.errors.items()))


@dataclass(frozen=True)
class MilestoneInput:
    """A milestone as staff give it, before it is checked; numbers may still be text."""

    name: str
    due_offset_days: int | str
    due_from: str = "join"
    grace_days: int | str = 30
    description: str = ""
    achieved_by: str = "rule"  # "rule", or "manual": staff confirm it with evidence
    kinds: Sequence[str] = field(default_factory=tuple)
    aggregation: str = "count"
    threshold: float | int | str = 1
    window: str = "join"
    sources: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class MilestoneFields:
    """Checked values, ready for SuccessMilestone."""

    name: str
    description: str
    due_offset_days: int
    due_from: str
    grace_days: int
    manual: bool
    rule: dict[str, object]


def split_codes(raw: str) -> list[str]:
    """Kinds or sources typed as 'a, b; c' or one per line: trimmed, empty ones dropped, order kept."""
    seen: list[str] = []
    for part in raw.replace(";", ",").replace("\n", ",").split(","):
        code = part.strip()
        if code and code not in seen:
            seen.append(code)
    return seen


def _days(raw: int | str, *, errors: dict[str, str], name: str, what: str) -> int:
    text = str(raw).strip()
    if text == "":
        errors[name] = f"give the {what} in days, e.g. 30"
        return 0
    try:
        value = int(text)
    except ValueError:
        errors[name] = f"{text!r} is not a whole number of days"
        return 0
    if value < 0:
        errors[name] = "cannot be negative"
    elif value > MAX_DAYS:
        errors[name] = f"at most {MAX_DAYS} days (ten years)"
    return value


def _threshold(raw: float | int | str, *, errors: dict[str, str]) -> float:
    if isinstance(raw, bool):
        errors["threshold"] = "must be a number, e.g. 3"
        return 0.0
    text = str(raw).strip()
    if text == "":
        errors["threshold"] = "give the amount the member must reach, e.g. 3"
        return 0.0
    try:
        value = float(text)
    except ValueError:
        errors["threshold"] = f"{text!r} is not a number; give the amount the member must reach, e.g. 3"
        return 0.0
    if not math.isfinite(value):
        errors["threshold"] = "must be a finite number"
    elif value < 0:
        errors["threshold"] = "cannot be negative"
    elif value == 0:
        errors["threshold"] = "must be more than zero: a rule met by doing nothing marks no progress"
    return value


def _codes(
    values: Sequence[str], *, errors: dict[str, str], name: str, known: Collection[str] | None, what: str
) -> list[str]:
    codes = [c.strip() for c in values if c.strip()]
    if len(codes) > MAX_KINDS:
        errors[name] = f"at most {MAX_KINDS} {what}s"
    too_long = [c for c in codes if len(c) > KIND_LENGTH or any(ch in c for ch in "\r\n\t")]
    if too_long:
        errors[name] = f"{too_long[0][:40]!r} is not a {what}: at most {KIND_LENGTH} characters on one line"
    elif known:
        unknown = [c for c in codes if c not in known]
        if unknown:
            listed = ", ".join(sorted(known)[:15])
            errors[name] = (
                f"unknown {what} {unknown[0]!r}: no interaction with it has been imported "
                f"(known: {listed}{', ...' if len(known) > 15 else ''})"
            )
    return codes


def validate_milestone(
    data: MilestoneInput,
    *,
    known_kinds: Collection[str] | None = None,
    known_sources: Collection[str] | None = None,
) -> MilestoneFields:
    """Check every field and return the model's values; raises MilestoneInputError naming each wrong field.

    Kinds (and sources) are checked against the ones imported so far when there are any; before the
    first import any well-formed kind is accepted, so journeys can be set up first."""
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = "give the milestone a name staff and members understand, e.g. 'First course completed'"
    elif len(name) > 160:
        errors["name"] = "at most 160 characters"
    due_offset_days = _days(data.due_offset_days, errors=errors, name="due_offset_days", what="due offset")
    grace_days = _days(data.grace_days, errors=errors, name="grace_days", what="grace period")
    if data.due_from not in ANCHORS:
        errors["due_from"] = f"{data.due_from!r} is not a due date anchor; use one of {', '.join(ANCHORS)}"
    if data.achieved_by not in ACHIEVED_BY:
        errors["achieved_by"] = "choose an achievement rule or confirmation by staff"
    rule: dict[str, object] = {}
    if data.achieved_by == "rule":
        kinds = _codes(data.kinds, errors=errors, name="kinds", known=known_kinds, what="interaction kind")
        if not kinds and "kinds" not in errors:
            errors["kinds"] = "give at least one interaction kind the rule counts, e.g. course_completed"
        sources = _codes(data.sources, errors=errors, name="sources", known=known_sources, what="source")
        if data.aggregation not in RULE_AGGREGATIONS:
            errors["aggregation"] = (
                f"unknown aggregation {data.aggregation!r}; use one of {', '.join(RULE_AGGREGATIONS)}"
            )
        threshold = _threshold(data.threshold, errors=errors)
        if data.window not in ANCHORS:
            errors["window"] = f"{data.window!r} is not a window; use one of {', '.join(ANCHORS)}"
        if not errors:
            number: float | int = int(threshold) if threshold.is_integer() else threshold
            rule = {"kinds": kinds, "aggregation": data.aggregation, "threshold": number, "window": data.window}
            if sources:
                rule["sources"] = sources
            try:
                rule_from_json(rule, milestone=name)  # the engine must read what we save
            except MilestoneRuleError as error:  # pragma: no cover - the checks above are stricter
                errors["achieved_by"] = str(error)
    if errors:
        raise MilestoneInputError(errors)
    return MilestoneFields(
        name=name,
        description=data.description.strip(),
        due_offset_days=due_offset_days,
        due_from=data.due_from,
        grace_days=grace_days,
        manual=data.achieved_by == "manual",
        rule=rule,
    )


def describe_rule(rule: Mapping[str, object], *, manual: bool) -> str:
    """The achievement rule in plain words, e.g. 'at least 2 interactions of course_completed since joining'."""
    if manual or not rule:
        return "Confirmed by staff, with evidence"
    kinds = rule.get("kinds") or []
    listed = " or ".join(str(k) for k in kinds) if isinstance(kinds, list) else str(kinds)
    threshold = rule.get("threshold", 1)
    window = WINDOW_LABELS.get(str(rule.get("window", "join")), str(rule.get("window")))
    aggregation = rule.get("aggregation", "count")
    if aggregation == "sum":
        amount = f"values of {listed} adding up to at least {threshold}"
    elif aggregation == "distinct_days":
        amount = f"{listed} on at least {threshold} different day{'s' if threshold != 1 else ''}"
    else:
        amount = f"at least {threshold} × {listed}"
    sources = rule.get("sources") or []
    source_text = f" (from {', '.join(str(s) for s in sources)})" if isinstance(sources, list) and sources else ""
    return f"{amount}{source_text} {window}"
