"""The measures of the backtest, checked by hand on a handful of members."""

from __future__ import annotations

import numpy as np
import pytest

from membersuccess.evidence.metrics import auc, brier, calibration, cross_fitted_probabilities, lift_top_decile, quality


def test_auc_is_the_share_of_renewed_lapsed_pairs_ranked_right():
    scores = np.array([90, 80, 70, 60, 50])
    renewed = np.array([1, 0, 1, 0, 0])
    # Pairs (renewed, lapsed): 90>80, 90>60, 90>50, 70<80, 70>60, 70>50 -> 5 of 6.
    assert auc(scores, renewed) == pytest.approx(5 / 6)


def test_ties_count_half_in_the_auc():
    assert auc(np.array([1, 1]), np.array([1, 0])) == pytest.approx(0.5)


def test_auc_is_undefined_when_everyone_renewed():
    assert auc(np.array([1.0, 2.0]), np.array([1, 1])) is None


def test_lift_is_the_lapse_rate_of_the_lowest_tenth_over_the_overall_one():
    scores = np.arange(20, dtype=float)  # the two lowest are the riskiest tenth
    renewed = np.ones(20, dtype=int)
    renewed[[0, 1, 10, 15]] = 0  # 4 lapses in 20: 20%; both of the riskiest two lapsed: 100%
    assert lift_top_decile(scores, renewed) == pytest.approx(1.0 / 0.2)


def test_members_tied_at_the_cut_share_the_riskiest_decile_pro_rata():
    scores = np.array([0.0] * 4 + [1.0] * 6)  # a decile of one member, drawn from four tied at 0
    renewed = np.array([0, 0, 1, 1] + [1] * 6)  # half of the tied lapsed; overall 2 of 10
    assert lift_top_decile(scores, renewed) == pytest.approx(0.5 / 0.2)


def test_brier_is_the_mean_squared_error_of_the_probabilities():
    assert brier(np.array([0.8, 0.3]), np.array([1, 0])) == pytest.approx((0.04 + 0.09) / 2)


def test_calibration_bins_hold_mean_predicted_observed_and_count():
    rows = calibration(np.array([0.15, 0.12, 0.85, 0.95, 1.0]), np.array([0, 1, 1, 1, 0]))
    assert rows == [("0.1-0.2", 0.135, 0.5, 2), ("0.8-0.9", 0.85, 1.0, 1), ("0.9-1.0", 0.975, 0.5, 2)]


def test_probabilities_follow_the_score_and_the_renewal_rate():
    rng = np.random.default_rng(1)
    scores = rng.uniform(0, 100, 2000)
    renewed = (rng.random(2000) < scores / 100).astype(int)
    p = cross_fitted_probabilities(scores, renewed)
    assert p.mean() == pytest.approx(renewed.mean(), abs=0.02)
    assert np.corrcoef(p, scores)[0, 1] > 0.99


def test_quality_of_a_single_outcome_is_all_undefined():
    q = quality(np.array([1.0, 2.0, 3.0]), np.array([1, 1, 1]))
    assert (q.auc, q.brier, q.calibration, q.lift_top_decile) == (None, None, [], None)
