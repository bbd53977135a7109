"""The backtest: score every member as of a past date with only what was known then, and measure the
scores against what happened next (renewed or lapsed), side by side with usage-only and NPS-only baselines."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date


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

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary (dates as ISO strings)."""
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data

    def to_json(self) -> str:
        """One JSON document, as printed by `msm backtest --json`."""
        return json.dumps(self.to_dict(), indent=2)


def backtest(*, as_of: date, horizon_days: int = 365, engine: str = "duckdb") -> BacktestResult:
    """Score every member as of `as_of` from what was known then and measure against the next `horizon_days`."""
    raise NotImplementedError("the backtest computation lands in the next commit")
