"""Small, dependency-free statistics for checking the demo's sampled effects."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def standardized(values: FloatArray) -> FloatArray:
    """Mean 0, standard deviation 1 (NaN stays NaN)."""
    return (values - np.nanmean(values)) / np.nanstd(values)


def logistic_coefficients(features: FloatArray, outcome: npt.NDArray[np.bool_]) -> FloatArray:
    """Maximum-likelihood logistic regression by Newton's method; returns the slopes (no intercept)."""
    x = np.column_stack([np.ones(len(features)), features])
    beta = np.zeros(x.shape[1])
    for _ in range(30):
        p = 1 / (1 + np.exp(-x @ beta))
        beta += np.linalg.solve(x.T @ (x * (p * (1 - p))[:, None]), x.T @ (outcome - p))
    slopes: FloatArray = beta[1:]
    return slopes


def auc(score: FloatArray, outcome: npt.NDArray[np.bool_]) -> float:
    """Area under the ROC curve: how often a renewer scores above a lapser (ties count half)."""
    _, inverse, counts = np.unique(score, return_inverse=True, return_counts=True)
    ranks = (np.cumsum(counts) - (counts - 1) / 2)[inverse]
    positives = int(outcome.sum())
    negatives = len(outcome) - positives
    return float((ranks[outcome].sum() - positives * (positives + 1) / 2) / (positives * negatives))
