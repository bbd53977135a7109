"""Signals as data: which interactions count, how they are aggregated, and how much they weigh.

An organization changes its Success Vector by editing this data (stored as JSON), never code.
See docs/engine.md for the meaning of every field and the default set."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, cast, get_args

from membersuccess.engine.params import ScoringParams, params_from_dict, params_to_dict

Aggregation = Literal[
    "count", "sum", "distinct_days", "days_since_last", "open_tickets", "tickets_opened", "median_resolution_hours"
]
Direction = Literal["helps", "hurts"]

AGGREGATIONS: tuple[str, ...] = get_args(Aggregation)
DIRECTIONS: tuple[str, ...] = get_args(Direction)
# These read the tickets table; for them `kinds` lists ticket severities and `sources` stays empty.
TICKET_AGGREGATIONS = frozenset({"open_tickets", "tickets_opened", "median_resolution_hours"})
# A high value of these is always bad news, so they cannot be configured to help.
HURT_ONLY_AGGREGATIONS = frozenset({"days_since_last", "open_tickets", "median_resolution_hours"})
MILESTONE_INPUT = "milestone_position"
JSON_VERSION = 1

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class SignalConfigError(ValueError):
    """A signal definition that cannot be used; the message names the signal and the field."""


@dataclass(frozen=True)
class Signal:
    """One input of the Success Vector: an aggregation of a member's interactions over a window."""

    name: str
    label: str
    aggregation: Aggregation
    window_days: int
    direction: Direction
    target: float  # for a signal that helps: the value that counts fully; for one that hurts: the limit
    weight: float
    sources: tuple[str, ...] = ()  # empty: every source
    kinds: tuple[str, ...] = ()  # empty: every kind (ticket signals: every severity)
    target_from_segment: bool = False  # use the median among renewed members of the segment, `target` as fallback
    description: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def reads_tickets(self) -> bool:
        """Whether the signal is computed from the tickets table rather than from interactions."""
        return self.aggregation in TICKET_AGGREGATIONS


def _fail(signal: str, field_name: str, problem: str) -> SignalConfigError:
    return SignalConfigError(f"signal {signal!r}, field {field_name!r}: {problem}")


def _validate(s: Signal) -> None:
    name = s.name if isinstance(s.name, str) else repr(s.name)
    if not isinstance(s.name, str) or not _NAME.match(s.name):
        raise _fail(name, "name", "use lowercase letters, digits and _ (starting with a letter, at most 60)")
    if s.name == MILESTONE_INPUT:
        raise _fail(name, "name", f"{MILESTONE_INPUT!r} is reserved for the milestone position input")
    if not isinstance(s.label, str) or not s.label.strip():
        raise _fail(name, "label", "give the words staff will read, e.g. 'events attended'")
    if s.aggregation not in AGGREGATIONS:
        raise _fail(name, "aggregation", f"unknown aggregation {s.aggregation!r}; use one of {', '.join(AGGREGATIONS)}")
    if s.direction not in DIRECTIONS:
        raise _fail(name, "direction", f"unknown direction {s.direction!r}; use 'helps' or 'hurts'")
    if s.aggregation in HURT_ONLY_AGGREGATIONS and s.direction != "hurts":
        raise _fail(name, "direction", f"{s.aggregation} can only hurt")
    if isinstance(s.window_days, bool) or not isinstance(s.window_days, int) or s.window_days < 1:
        raise _fail(name, "window_days", "must be a whole number of days, at least 1")
    if not _is_number(s.weight) or s.weight < 0:
        raise _fail(name, "weight", "must be a number, zero or more")
    if not _is_number(s.target) or s.target <= 0:
        word = "limit" if s.direction == "hurts" else "target"
        raise _fail(name, "target", f"missing or not a positive number (the {word})")
    if s.target_from_segment and s.direction != "helps":
        raise _fail(name, "target_from_segment", "only a signal that helps can take its target from the segment")
    for field_name in ("sources", "kinds"):
        values = getattr(s, field_name)
        if not isinstance(values, tuple) or not all(isinstance(v, str) and v for v in values):
            raise _fail(name, field_name, "must be a list of non-empty strings")
    if s.reads_tickets and s.sources:
        raise _fail(name, "sources", f"{s.aggregation} reads the tickets table; leave sources empty")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def validate_signals(signals: Sequence[Signal]) -> tuple[Signal, ...]:
    """Check a whole signal set (each signal, unique names) and return it as a tuple."""
    seen: set[str] = set()
    for signal in signals:
        if not isinstance(signal, Signal):
            raise SignalConfigError(f"not a Signal: {signal!r}")
        if signal.name in seen:
            raise _fail(signal.name, "name", "used twice; signal names must be unique")
        seen.add(signal.name)
    return tuple(signals)


_ENGAGEMENT_SOURCES = (
    "events", "lms", "certification", "portal", "careers", "directory", "community", "volunteering", "referrals",
    "email", "advocacy",
)

# Weights sum to 10, so each is roughly its share of the signal part of the score. Portal use is one
# modest input among many (logins are cheap and say little about outcomes); NPS is deliberately absent.
DEFAULT_SIGNALS: tuple[Signal, ...] = (
    Signal("events_attended", "events attended", "count", 365, "helps", 4, 1.5,
           sources=("events",), kinds=("event_attended",), target_from_segment=True),
    Signal("ce_credits", "CE credits earned", "sum", 365, "helps", 10, 1.5,
           sources=("lms",), kinds=("course_completed",), target_from_segment=True),
    Signal("certification_progress", "certification steps", "count", 730, "helps", 1, 0.5,
           sources=("certification",), kinds=("cert_exam_booked", "cert_earned")),
    Signal("portal_days", "days using the member portal", "distinct_days", 90, "helps", 6, 0.75,
           sources=("portal",), kinds=("login",)),
    Signal("downloads", "resources downloaded", "count", 180, "helps", 3, 0.5,
           sources=("portal",), kinds=("download",)),
    Signal("community_posts", "community posts", "count", 180, "helps", 2, 1.0,
           sources=("community",), kinds=("post",)),
    Signal("volunteering", "committee or volunteer sessions", "count", 365, "helps", 4, 1.0,
           sources=("volunteering",), kinds=("committee_meeting",)),
    Signal("referrals", "colleagues referred", "count", 730, "helps", 1, 0.5,
           sources=("referrals",), kinds=("referral",)),
    Signal("email_clicks", "email clicks", "count", 90, "helps", 2, 0.5,
           sources=("email",), kinds=("email_click",)),
    Signal("open_tickets", "open support tickets", "open_tickets", 365, "hurts", 3, 0.75),
    Signal("ticket_resolution", "median ticket resolution", "median_resolution_hours", 180, "hurts", 120, 0.5),
    Signal("days_since_last_interaction", "interaction of any kind", "days_since_last", 180, "hurts", 180, 1.0,
           sources=_ENGAGEMENT_SOURCES),
)


@dataclass(frozen=True)
class ScoringConfig:
    """A whole Success Vector configuration: the signals and the other parameters."""

    signals: tuple[Signal, ...]
    params: ScoringParams = field(default_factory=ScoringParams)

    def __post_init__(self) -> None:
        validate_signals(self.signals)
        total = self.params.milestone_weight + sum(s.weight for s in self.signals)
        if total <= 0:
            raise SignalConfigError("weights: the milestone weight and the signal weights cannot all be zero")

    @property
    def total_weight(self) -> float:
        """w_p + Σ w_i, the denominator of the score."""
        return self.params.milestone_weight + sum(s.weight for s in self.signals)


DEFAULT_CONFIG = ScoringConfig(signals=DEFAULT_SIGNALS)


def _signal_row(signal: Signal) -> dict[str, Any]:
    row = asdict(signal)
    row["sources"], row["kinds"] = list(signal.sources), list(signal.kinds)
    return row


def config_to_dict(config: ScoringConfig) -> dict[str, Any]:
    """The configuration as the JSON-ready document admins export and import."""
    return {
        "version": JSON_VERSION,
        "signals": [_signal_row(s) for s in config.signals],
        "params": params_to_dict(config.params),
    }


def config_from_dict(document: object) -> ScoringConfig:
    """Read and validate a configuration document; errors name the signal (or parameter) and the field."""
    if isinstance(document, list):  # a bare list of signals
        document = {"signals": document}
    if not isinstance(document, Mapping):
        raise SignalConfigError('configuration: expected an object {"version": 1, "signals": [...], "params": {...}}')
    unknown = sorted(set(document) - {"version", "signals", "params"})
    if unknown:
        raise SignalConfigError(f"configuration: unknown field {unknown[0]!r}")
    if document.get("version", JSON_VERSION) != JSON_VERSION:
        raise SignalConfigError(f"configuration: unsupported version {document.get('version')!r} (expected 1)")
    rows = document.get("signals")
    if not isinstance(rows, list):
        raise SignalConfigError("configuration, field 'signals': expected a list of signals")
    signals = validate_signals([_signal_from_row(index, row) for index, row in enumerate(rows)])
    raw_params = document.get("params") or {}
    if not isinstance(raw_params, Mapping):
        raise SignalConfigError("configuration, field 'params': expected an object")
    try:
        params = params_from_dict(raw_params)
    except (TypeError, ValueError) as error:
        raise SignalConfigError(str(error)) from error
    return ScoringConfig(signals=signals, params=params)


def config_to_json(config: ScoringConfig) -> str:
    """The configuration as a JSON file."""
    return json.dumps(config_to_dict(config), indent=2, ensure_ascii=False)


def config_from_json(text: str) -> ScoringConfig:
    """Read a configuration file written by config_to_json (or by hand)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise SignalConfigError(f"configuration: not valid JSON ({error.msg} at line {error.lineno})") from error
    return config_from_dict(document)


def signals_to_json(signals: Iterable[Signal]) -> str:
    """Just the signals, as a JSON document with default parameters."""
    return config_to_json(ScoringConfig(signals=tuple(signals)))


def signals_from_json(text: str) -> tuple[Signal, ...]:
    """Just the signals of a configuration file."""
    return config_from_json(text).signals


_FIELDS = {
    "name": str, "label": str, "aggregation": str, "window_days": int, "direction": str, "target": float,
    "weight": float, "sources": list, "kinds": list, "target_from_segment": bool, "description": str,
}
_REQUIRED = ("name", "label", "aggregation", "window_days", "direction", "target", "weight")


def _signal_from_row(index: int, row: object) -> Signal:
    if not isinstance(row, Mapping):
        raise SignalConfigError(f"signal #{index + 1}: expected an object")
    name = str(row.get("name", f"#{index + 1}"))
    unknown = sorted(set(row) - set(_FIELDS))
    if unknown:
        raise _fail(name, unknown[0], "unknown field")
    for required in _REQUIRED:
        if row.get(required) is None:
            raise _fail(name, required, "missing")
    values: dict[str, object] = {}
    for key, value in row.items():
        expected = _FIELDS[key]
        if expected is float and _is_number(value):
            value = float(cast(float, value))
        elif expected is list and isinstance(value, list):
            value = tuple(value)
        elif expected is int and isinstance(value, float) and value.is_integer():
            value = int(value)
        elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise _fail(name, key, f"expected {expected.__name__}, got {value!r}")
        values[key] = value
    return Signal(**values)  # type: ignore[arg-type]
