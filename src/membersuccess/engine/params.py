"""The knobs of the Success Vector v1 that are not signals: bands, horizons and the milestone weight."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class ScoringParams:
    """Parameters of score, status, flags and reasons (DESIGN §6); the defaults suit most associations."""

    milestone_weight: float = 4.0  # w_p: milestone position is the key input, worth ~29% with the default signals
    low_band: float = 40.0  # off_track when the score is below this
    drift_delta: float = 5.0  # drifting when velocity < -drift_delta
    velocity_days: int = 30  # velocity compares the score with the one this many days earlier
    too_early_days: int = 60  # members younger than this, with nothing due yet, are too early to judge
    quiet_days: int = 90  # quiet after this many days without any interaction while active
    quiet_ignores_kinds: tuple[str, ...] = ("payment",)  # paying dues is not engagement
    renewal_horizon_days: int = 90  # renewal_at_risk when the term ends within this many days
    lapse_grace_days: int = 60  # a member whose term ended fewer days ago than this is still scored (renewal pending)
    segment_target_min_members: int = 5  # fewer renewed members than this: use the signal's own target
    top_reasons: int = 3
    reason_min_points: float = 1.0  # inputs costing fewer score points than this are not worth a reason

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "quiet_ignores_kinds":
                if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
                    raise ValueError("scoring parameter quiet_ignores_kinds: must be a list of interaction kinds")
                continue
            if f.type == "int" and isinstance(value, float) and value.is_integer():
                value = int(value)
                object.__setattr__(self, f.name, value)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"scoring parameter {f.name}: must be a number, got {value!r}")
            if f.type == "int" and not isinstance(value, int):
                raise ValueError(f"scoring parameter {f.name}: must be a whole number, got {value!r}")
            if value < 0:
                raise ValueError(f"scoring parameter {f.name}: must not be negative, got {value!r}")
        if self.velocity_days < 1:
            raise ValueError("scoring parameter velocity_days: must be at least 1")


def params_to_dict(params: ScoringParams) -> dict[str, object]:
    """The parameters as the JSON object stored beside the signals."""
    values = asdict(params)
    values["quiet_ignores_kinds"] = list(params.quiet_ignores_kinds)
    return values


def params_from_dict(values: Mapping[str, object]) -> ScoringParams:
    """Parameters from JSON; missing ones take their default, unknown ones are an error (ValueError)."""
    known = {f.name for f in fields(ScoringParams)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"scoring parameter {unknown[0]}: unknown parameter")
    cleaned = dict(values)
    kinds = cleaned.get("quiet_ignores_kinds")
    if isinstance(kinds, list):
        cleaned["quiet_ignores_kinds"] = tuple(kinds)
    return ScoringParams(**cleaned)  # type: ignore[arg-type]
