"""`msm forecast retention`: fit the sBG model to cohort survival, project retention, value a member."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from membersuccess.evidence.cohorts import CohortSurvival, read_cohort_file, require_cohorts
from membersuccess.evidence.errors import EvidenceError
from membersuccess.evidence.retention import (
    RetentionFitError,
    discounted_expected_lifetime,
    discounted_expected_residual_lifetime,
    fit_sbg,
    renewal_rates,
    survival,
)

DEFAULT_HORIZON = 10
DEFAULT_DISCOUNT_RATE = 0.10


@dataclass(frozen=True)
class RetentionPoint:
    """One renewal period: projected survival and renewal rate, and what was observed where known."""

    period: int
    survival: float  # S(t): share of a joining cohort still a member after t periods
    renewal_rate: float | None  # r(t) = S(t)/S(t-1); None at period 0
    observed: float | None  # observed share still a member (all cohorts pooled), where every cohort is seen


@dataclass(frozen=True)
class RetentionForecast:
    """The fitted model of one group of members and what it says about their future and their value."""

    name: str
    alpha: float
    beta: float
    log_likelihood: float
    cohorts: int
    members: int
    retention: list[RetentionPoint]
    dues: float
    discount_rate: float
    lifetime_value: float  # expected discounted dues from a member joining now, first payment included
    # Expected discounted dues still to come from a member who has renewed n times (index n), next renewal undiscounted.
    residual_lifetime_value: list[float]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def forecast_survival(
    group: CohortSurvival, *, horizon: int, dues: float, discount_rate: float
) -> RetentionForecast:
    """Fit α and β to a group's cohorts and project `horizon` periods."""
    if horizon < 1:
        raise EvidenceError(f"--horizon must be at least 1 period, got {horizon}")
    if dues < 0:
        raise EvidenceError(f"--dues must not be negative, got {dues}")
    try:
        fit = fit_sbg(list(group.cohorts.values()))
        lifetime = discounted_expected_lifetime(fit.alpha, fit.beta, discount_rate=discount_rate)
        residual = [
            dues * discounted_expected_residual_lifetime(fit.alpha, fit.beta, renewals=n, discount_rate=discount_rate)
            for n in range(horizon)
        ]
    except RetentionFitError as error:
        raise EvidenceError(f"{group.name}: {error}") from error
    s = survival(fit.alpha, fit.beta, horizon)
    r = renewal_rates(fit.alpha, fit.beta, horizon)
    observed = _pooled_observed(group)
    points = [
        RetentionPoint(
            period=t,
            survival=round(float(s[t]), 6),
            renewal_rate=None if t == 0 else round(float(r[t - 1]), 6),
            observed=round(observed[t], 6) if t < len(observed) else None,
        )
        for t in range(horizon + 1)
    ]
    return RetentionForecast(
        name=group.name, alpha=fit.alpha, beta=fit.beta, log_likelihood=fit.log_likelihood,
        cohorts=fit.cohorts, members=fit.members, retention=points, dues=dues, discount_rate=discount_rate,
        lifetime_value=dues * lifetime, residual_lifetime_value=residual,
    )


def _pooled_observed(group: CohortSurvival) -> list[float]:
    """Observed survival per period over the cohorts seen that long (a Kaplan-Meier style product)."""
    shares: list[float] = [1.0]
    t = 1
    while True:
        seen = [c for c in group.cohorts.values() if len(c) > t and c[t - 1] > 0]
        if not seen:
            return shares
        at_risk = sum(c[t - 1] for c in seen)
        stayed = sum(c[t] for c in seen)
        shares.append(shares[-1] * stayed / at_risk)
        t += 1


def forecast_from_file(
    path: Path, *, horizon: int = DEFAULT_HORIZON, dues: float | None = None,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> RetentionForecast:
    """The forecast of one cohort given as a `period,active` file; lifetime value in dues of 1 unless given."""
    active = read_cohort_file(path)
    group = CohortSurvival(name=path.name, cohorts={path.stem: active})
    return forecast_survival(group, horizon=horizon, dues=1.0 if dues is None else dues, discount_rate=discount_rate)


def forecast_from_database(
    *, as_of: date, horizon: int = DEFAULT_HORIZON, dues: float | None = None,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> tuple[list[RetentionForecast], list[str]]:
    """All members first, then each segment with enough history; dues default to each group's average term.

    Also returns a note for each segment that could not be fitted on its own."""
    from membersuccess.evidence.selectors import membership_cohorts

    groups = membership_cohorts(as_of=as_of)
    require_cohorts({g.name: g.cohorts for g in groups})
    forecasts: list[RetentionForecast] = []
    notes: list[str] = []
    for index, group in enumerate(groups):
        group_dues = dues if dues is not None else (group.mean_dues or 0.0)
        try:
            forecasts.append(
                forecast_survival(group, horizon=horizon, dues=group_dues, discount_rate=discount_rate)
            )
        except EvidenceError as error:
            if index == 0:
                raise
            # A small segment may not support a fit of its own; the all-members fit still stands.
            notes.append(f"not fitted: {error}")
    return forecasts, notes


def forecasts_json(forecasts: list[RetentionForecast], *, as_of: date | None) -> str:
    """One JSON document: the first (all members, or the file's cohort) at top level, segments under `segments`."""
    head, *rest = forecasts
    data: dict[str, object] = head.to_dict()
    if as_of is not None:
        data["as_of"] = as_of.isoformat()
    data["segments"] = [f.to_dict() for f in rest]
    return json.dumps(data, indent=2)
