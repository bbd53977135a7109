"""The shifted-beta-geometric model (Fader & Hardie 2007): the published fits, recovery of known
parameters from simulated cohorts, and lifetime value checked against a plain sum of the series."""

from __future__ import annotations

import numpy as np
import pytest

from membersuccess.evidence.retention import (
    RetentionFitError,
    discounted_expected_lifetime,
    discounted_expected_residual_lifetime,
    fit_sbg,
    renewal_rates,
    simulate_cohort,
    survival,
)

# Fader & Hardie (2007), Table 1: customers of 1,000 still active at the start of years 0..7.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


def test_the_regular_cohort_fits_the_published_parameters():
    # The paper reports alpha = 0.704, beta = 1.182 for the regular customers.
    fit = fit_sbg([REGULAR])
    assert fit.alpha == pytest.approx(0.704, abs=0.001)
    assert fit.beta == pytest.approx(1.182, abs=0.001)


def test_the_high_end_cohort_fits_the_published_parameters():
    # The paper reports alpha = 0.668, beta = 3.806 for the high end customers.
    fit = fit_sbg([HIGH_END])
    assert fit.alpha == pytest.approx(0.668, abs=0.001)
    assert fit.beta == pytest.approx(3.806, abs=0.001)


def test_the_fitted_curve_follows_the_observed_survival():
    fit = fit_sbg([REGULAR])
    projected = survival(fit.alpha, fit.beta, 7) * 1000
    assert np.max(np.abs(projected - np.array(REGULAR))) < 15


def test_survival_by_hand_for_alpha_1_beta_1():
    # With alpha = beta = 1, P(T = t) = 1/(t(t+1)), so S(t) = 1/(t+1).
    assert survival(1.0, 1.0, 4) == pytest.approx([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5])
    assert renewal_rates(1.0, 1.0, 3) == pytest.approx([1 / 2, 2 / 3, 3 / 4])


def test_renewal_rates_rise_with_tenure():
    fit = fit_sbg([REGULAR])
    rates = renewal_rates(fit.alpha, fit.beta, 10)
    assert np.all(np.diff(rates) > 0)


@pytest.mark.parametrize(("alpha", "beta", "seed"), [(0.7, 1.2, 1), (2.0, 6.0, 2), (0.4, 3.0, 3)])
def test_known_parameters_are_recovered_from_simulated_cohorts(alpha, beta, seed):
    cohorts = [simulate_cohort(alpha=alpha, beta=beta, members=4000, periods=8, seed=seed + k) for k in range(3)]
    fit = fit_sbg(cohorts)
    # Sampling error with 12,000 members over 8 periods is a few percent on each parameter.
    assert fit.alpha == pytest.approx(alpha, rel=0.15)
    assert fit.beta == pytest.approx(beta, rel=0.15)
    assert fit.mean_churn == pytest.approx(alpha / (alpha + beta), abs=0.02)


def test_cohorts_observed_for_different_lengths_share_one_fit():
    long = simulate_cohort(alpha=0.7, beta=1.2, members=5000, periods=8, seed=10)
    short = simulate_cohort(alpha=0.7, beta=1.2, members=5000, periods=2, seed=11)
    fit = fit_sbg([long, short])
    assert fit.cohorts == 2 and fit.members == 10_000
    assert fit.alpha == pytest.approx(0.7, rel=0.15)
    assert fit.beta == pytest.approx(1.2, rel=0.15)


def test_lifetime_value_equals_the_discounted_sum_of_survival():
    s = survival(0.704, 1.182, 4000)
    discount = (1 / 1.1) ** np.arange(4001)
    assert discounted_expected_lifetime(0.704, 1.182, discount_rate=0.1) == pytest.approx(float(np.sum(s * discount)))


@pytest.mark.parametrize("renewals", [0, 1, 4])
def test_residual_lifetime_counts_the_next_renewal_undiscounted(renewals):
    s = survival(0.668, 3.806, 4000)
    n = renewals
    expected = sum(s[t] / s[n] * (1 / 1.1) ** (t - n - 1) for t in range(n + 1, 4001))
    got = discounted_expected_residual_lifetime(0.668, 3.806, renewals=renewals, discount_rate=0.1)
    assert got == pytest.approx(expected, rel=1e-9)


def test_members_who_stayed_longer_are_worth_more_from_here_on():
    values = [
        discounted_expected_residual_lifetime(0.704, 1.182, renewals=n, discount_rate=0.1) for n in range(6)
    ]
    assert values == sorted(values)


def test_a_cohort_where_nobody_lapsed_cannot_be_fitted():
    with pytest.raises(RetentionFitError, match="no member lapsed"):
        fit_sbg([[100, 100, 100]])


def test_a_cohort_with_only_period_zero_cannot_be_fitted():
    with pytest.raises(RetentionFitError, match="full renewal period"):
        fit_sbg([[100]])


def test_a_zero_discount_rate_is_refused():
    with pytest.raises(RetentionFitError, match="discount rate must be above 0"):
        discounted_expected_lifetime(0.7, 1.2, discount_rate=0.0)
