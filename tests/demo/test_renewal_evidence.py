"""Renewals are sampled from the latent model, and the data shows it: attaining one's own milestones
drives renewal strongly, raw activity volume weakly, NPS barely (DESIGN.md §2, "happiness is not success")."""

from __future__ import annotations

import numpy as np
import pytest

from tests.demo.statistics import auc, logistic_coefficients, standardized


@pytest.fixture(scope="module")
def evidence(calibration):
    renewals = calibration.renewals
    return {
        "attainment": renewals.column("attainment").to_numpy(),
        "volume": np.log1p(renewals.column("activity_volume").to_numpy().astype(float)),
        "nps": renewals.column("nps_mean").to_numpy(zero_copy_only=False).astype(float),
        "renewed": renewals.column("renewed").to_numpy(zero_copy_only=False).astype(bool),
    }


def univariate(evidence, name: str) -> float:
    values = evidence[name]
    known = ~np.isnan(values)
    return float(logistic_coefficients(standardized(values[known])[:, None], evidence["renewed"][known])[0])


def test_there_are_enough_renewal_decisions_to_judge(evidence):
    assert len(evidence["renewed"]) > 3000
    assert np.isnan(evidence["nps"]).mean() < 0.7


def test_renewal_rate_is_that_of_a_real_association(evidence):
    assert 0.7 < evidence["renewed"].mean() < 0.9


def test_attaining_ones_own_milestones_drives_renewal_strongly(evidence):
    assert univariate(evidence, "attainment") > 1.0
    assert auc(evidence["attainment"], evidence["renewed"]) > 0.75
    all_achieved = evidence["attainment"] == 1.0
    under_half = evidence["attainment"] < 0.5
    gap = evidence["renewed"][all_achieved].mean() - evidence["renewed"][under_half].mean()
    assert gap > 0.3


def test_attainment_predicts_renewal_clearly_better_than_activity_volume(evidence):
    assert univariate(evidence, "attainment") > 1.5 * univariate(evidence, "volume")
    assert auc(evidence["attainment"], evidence["renewed"]) > auc(evidence["volume"], evidence["renewed"]) + 0.08


def test_activity_volume_adds_little_once_attainment_is_known(evidence):
    both = np.column_stack([standardized(evidence["attainment"]), standardized(evidence["volume"])])
    attainment, volume = logistic_coefficients(both, evidence["renewed"])
    assert 0 < volume < attainment / 4


def test_nps_barely_relates_to_renewal(evidence):
    known = ~np.isnan(evidence["nps"])
    assert abs(univariate(evidence, "nps")) < univariate(evidence, "volume")
    assert auc(evidence["nps"][known], evidence["renewed"][known]) < 0.6


def test_renewal_is_sampled_not_decided_by_a_rule(evidence):
    renewed, attainment = evidence["renewed"], evidence["attainment"]
    assert 0 < renewed[attainment == 1.0].mean() < 1
    assert 0 < renewed[attainment == 0.0].mean() < 1
