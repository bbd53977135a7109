"""The shifted-beta-geometric (sBG) retention model, fitted by maximum likelihood on cohort survival.

Fader & Hardie (2007), "How to Project Customer Retention", Journal of Interactive Marketing 21(1):
each member renews at every period end with their own probability 1 − θ, and θ varies across members
as Beta(α, β). Then, for a member who joined at period 0,

    P(T = 1) = α / (α + β)
    P(T = t) = P(T = t − 1) · (β + t − 2) / (α + β + t − 1)        t ≥ 2
    S(t)     = S(t − 1) − P(T = t),  S(0) = 1                      share still a member after t periods
    r(t)     = S(t) / S(t − 1) = (β + t − 1) / (α + β + t − 1)      the renewal rate rises with tenure

A cohort with n_0, n_1, …, n_T members still active contributes
    Σ_t (n_{t−1} − n_t) · ln P(T = t)  +  n_T · ln S(T)
to the log-likelihood; several cohorts (join years) share one α and β, each observed for as many
periods as have passed.

Lifetime value (Fader & Hardie 2010, "Customer-Base Valuation in a Contractual Setting"), with dues
paid at the start of each period and discount rate d:
    DEL             = dues · ₂F₁(1, β; α + β; 1/(1 + d))                        a member joining now
    DERL(n renewals) = dues · r(n + 1) · ₂F₁(1, β + n + 1; α + β + n + 1; 1/(1 + d))
the expected discounted dues still to come from a member who has renewed n times and is about to
decide on the next renewal (the payment at that renewal is not discounted).

Pure numbers: no Django here."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

# Fits are made on log α and log β; beyond these bounds the data cannot tell the parameters apart.
LOG_BOUND = 9.0


class RetentionFitError(ValueError):
    """The survival data cannot support a fit; the message says what is wrong with it."""


@dataclass(frozen=True)
class SbgFit:
    """Fitted α and β, the log-likelihood at the maximum, and what they were fitted on."""

    alpha: float
    beta: float
    log_likelihood: float
    cohorts: int
    members: int  # members at period 0, over all cohorts

    @property
    def mean_churn(self) -> float:
        """The average probability of lapsing at a renewal among new members, α / (α + β)."""
        return self.alpha / (self.alpha + self.beta)


def lapse_probabilities(alpha: float, beta: float, periods: int) -> np.ndarray:
    """P(T = t) for t = 1..periods."""
    p = np.empty(periods)
    if periods == 0:
        return p
    p[0] = alpha / (alpha + beta)
    for t in range(2, periods + 1):
        p[t - 1] = p[t - 2] * (beta + t - 2) / (alpha + beta + t - 1)
    return p


def survival(alpha: float, beta: float, periods: int) -> np.ndarray:
    """S(t) for t = 0..periods: the share of a cohort still members after t renewal periods."""
    return np.concatenate([[1.0], 1.0 - np.cumsum(lapse_probabilities(alpha, beta, periods))])


def renewal_rates(alpha: float, beta: float, periods: int) -> np.ndarray:
    """r(t) for t = 1..periods: the share of members active at t − 1 who renew at t."""
    t = np.arange(1, periods + 1)
    return (beta + t - 1) / (alpha + beta + t - 1)


def log_likelihood(alpha: float, beta: float, cohorts: Sequence[Sequence[int]]) -> float:
    """The sBG log-likelihood of cohorts given as members still active at periods 0, 1, …"""
    total = 0.0
    for active in cohorts:
        counts = np.asarray(active, dtype=float)
        periods = len(counts) - 1
        if periods < 1:
            continue
        p = lapse_probabilities(alpha, beta, periods)
        s_last = 1.0 - p.sum()
        lapsed = counts[:-1] - counts[1:]
        total += float(np.sum(lapsed * np.log(p)))
        if counts[-1] > 0:
            total += float(counts[-1] * math.log(max(s_last, 1e-300)))
    return total


def fit_sbg(cohorts: Sequence[Sequence[int]]) -> SbgFit:
    """Maximum-likelihood α and β for one or more cohorts (members active at periods 0, 1, …)."""
    usable = [list(c) for c in cohorts if len(c) >= 2 and c[0] > 0]
    if not usable:
        raise RetentionFitError("no cohort has been observed for a full renewal period yet: nothing to fit")
    lapsed = sum(c[0] - c[-1] for c in usable)
    if lapsed == 0:
        raise RetentionFitError("no member lapsed in any cohort: the data cannot say how retention falls")
    if all(c[-1] == 0 and c[1] == 0 for c in usable):
        raise RetentionFitError("every member lapsed at the first renewal: there is no retention to project")

    def negative(theta: np.ndarray) -> float:
        return -log_likelihood(math.exp(theta[0]), math.exp(theta[1]), usable)

    best: optimize.OptimizeResult | None = None
    for start in ((0.0, 0.0), (-1.0, 1.0), (1.0, 2.0)):
        result = optimize.minimize(
            negative, np.array(start), method="L-BFGS-B", bounds=[(-LOG_BOUND, LOG_BOUND)] * 2
        )
        if best is None or result.fun < best.fun:
            best = result
    assert best is not None
    if np.any(np.abs(best.x) >= LOG_BOUND - 1e-3):
        raise RetentionFitError(
            "the survival data is too uniform to tell how retention varies among members "
            "(the fit runs off to an extreme); add cohorts or periods"
        )
    return SbgFit(
        alpha=float(math.exp(best.x[0])),
        beta=float(math.exp(best.x[1])),
        log_likelihood=-float(best.fun),
        cohorts=len(usable),
        members=int(sum(c[0] for c in usable)),
    )


def _check_discount(discount_rate: float) -> float:
    if not math.isfinite(discount_rate) or discount_rate <= 0:
        raise RetentionFitError(
            f"the discount rate must be above 0 (e.g. 0.1 for 10% a period), got {discount_rate!r}"
        )
    return 1.0 / (1.0 + discount_rate)


def discounted_expected_lifetime(alpha: float, beta: float, *, discount_rate: float) -> float:
    """Expected discounted number of dues payments from a member joining now (the first is paid at once)."""
    x = _check_discount(discount_rate)
    return float(special.hyp2f1(1.0, beta, alpha + beta, x))


def discounted_expected_residual_lifetime(alpha: float, beta: float, *, renewals: int, discount_rate: float) -> float:
    """DERL: expected discounted payments still to come from a member who has renewed `renewals` times."""
    if renewals < 0:
        raise RetentionFitError(f"renewals must be 0 or more, got {renewals}")
    x = _check_discount(discount_rate)
    n = renewals + 1  # the member is in period n, deciding whether to renew at its end
    rate = (beta + n - 1) / (alpha + beta + n - 1)
    return float(rate * special.hyp2f1(1.0, beta + n, alpha + beta + n, x))


def simulate_cohort(*, alpha: float, beta: float, members: int, periods: int, seed: int) -> list[int]:
    """Members still active at periods 0..periods for a cohort drawn from the sBG model (for checks)."""
    rng = np.random.default_rng(seed)
    churn = rng.beta(alpha, beta, size=members)
    lifetimes = rng.geometric(np.clip(churn, 1e-12, 1.0))  # T ≥ 1: the period at whose end they lapse
    return [int(np.sum(lifetimes > t)) for t in range(periods + 1)]
