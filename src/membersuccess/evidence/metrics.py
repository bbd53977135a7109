"""How well a score separates members who renewed from members who lapsed: pure numbers, no Django.

- AUC: the chance that a member who renewed scores above one who lapsed (ties count half); ranks only.
- Probabilities for Brier and calibration: a logistic curve of renewal on the score, fitted by
  cross-fitting (each member's probability comes from a curve fitted on the other folds), so a score
  on any scale becomes an honest out-of-sample renewal probability. The curve is monotone in the
  score, so it leaves the ranking (AUC, lift) as the score itself gives it.
- Brier: mean squared difference between that probability and what happened (0 is perfect).
- Calibration: members by predicted probability in bins of 0.1; mean predicted against observed.
- Lift in the riskiest decile: the lapse rate among the 10% lowest-scored members divided by the
  overall lapse rate. Members tied at the cut-off are shared out pro rata, so ties are never broken
  by an arbitrary order."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FOLDS = 5
SEED = 8
BINS = 10


@dataclass(frozen=True)
class ScoreQuality:
    auc: float | None
    brier: float | None
    calibration: list[tuple[str, float, float, int]]  # (bin, mean predicted, observed, n)
    lift_top_decile: float | None


def auc(scores: np.ndarray, renewed: np.ndarray) -> float | None:
    """Area under the ROC curve with renewal as the positive class; None when only one outcome occurs."""
    from sklearn.metrics import roc_auc_score

    if renewed.min() == renewed.max():
        return None
    return float(roc_auc_score(renewed, scores))


def cross_fitted_probabilities(scores: np.ndarray, renewed: np.ndarray) -> np.ndarray:
    """Out-of-fold renewal probabilities from a logistic curve on the score."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    x = _standardized(scores)[:, None]
    minority = int(min(renewed.sum(), len(renewed) - renewed.sum()))
    probabilities = np.empty(len(renewed))
    if minority < 2:
        probabilities[:] = renewed.mean()
        return probabilities
    splitter = StratifiedKFold(n_splits=min(FOLDS, minority), shuffle=True, random_state=SEED)
    for train, test in splitter.split(x, renewed):
        model = LogisticRegression().fit(x[train], renewed[train])
        probabilities[test] = model.predict_proba(x[test])[:, 1]
    return probabilities


def _standardized(values: np.ndarray) -> np.ndarray:
    spread = values.std()
    return (values - values.mean()) / spread if spread > 0 else values - values.mean()


def brier(probabilities: np.ndarray, renewed: np.ndarray) -> float:
    return float(np.mean((probabilities - renewed) ** 2))


def calibration(probabilities: np.ndarray, renewed: np.ndarray) -> list[tuple[str, float, float, int]]:
    """Non-empty bins of 0.1 of predicted probability: (label, mean predicted, observed renewal rate, members)."""
    index = np.minimum((probabilities * BINS).astype(int), BINS - 1)
    rows = []
    for b in range(BINS):
        members = index == b
        n = int(members.sum())
        if n:
            rows.append((
                f"{b / BINS:.1f}-{(b + 1) / BINS:.1f}",
                round(float(probabilities[members].mean()), 6),
                round(float(renewed[members].mean()), 6),
                n,
            ))
    return rows


def lift_top_decile(scores: np.ndarray, renewed: np.ndarray) -> float | None:
    """Lapse rate in the lowest-scored 10% over the overall lapse rate; ties at the cut shared pro rata."""
    lapsed = 1 - renewed
    overall = lapsed.mean()
    if overall == 0 or len(scores) == 0:
        return None
    size = max(1, math.ceil(len(scores) / 10))
    cut = np.sort(scores)[size - 1]
    below = scores < cut
    at = scores == cut
    taken_at = size - int(below.sum())
    expected_lapses = lapsed[below].sum() + taken_at * lapsed[at].mean()
    return float(expected_lapses / size / overall)


def quality(scores: np.ndarray, renewed: np.ndarray) -> ScoreQuality:
    """AUC, Brier, calibration and lift of one score against the renewals that followed."""
    if len(renewed) == 0 or renewed.min() == renewed.max():
        return ScoreQuality(auc=None, brier=None, calibration=[], lift_top_decile=None)
    probabilities = cross_fitted_probabilities(scores, renewed)
    return ScoreQuality(
        auc=_rounded(auc(scores, renewed)),
        brier=_rounded(brier(probabilities, renewed)),
        calibration=calibration(probabilities, renewed),
        lift_top_decile=_rounded(lift_top_decile(scores, renewed)),
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
