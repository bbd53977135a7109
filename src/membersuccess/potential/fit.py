"""The fit model, free of Django: learn from members' attributes at joining whether they reached
their first-year milestones, measure it by cross-validated AUC, and explain a chance in words.

A logistic regression over one-hot attributes: each (attribute, value) pair gets one weight, so
a chance is the sum of a few weights and every reason is one of them, read out in words."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

# What a person is at joining: attribute name -> value, e.g. {"segment": "students",
# "acquisition_channel": "referral", "attr:years_experience": "3"}.
Features = Mapping[str, str]

MIN_MEMBERS = 30
DEFAULT_FOLDS = 5
# Below this cross-validated AUC the model tells staff nothing worth a band; criteria alone decide.
MIN_USEFUL_AUC = 0.55
# Weights smaller than this move a chance by well under a few points: not worth a reason.
REASON_MIN_WEIGHT = 0.15
REASONS_SHOWN = 3

FEATURE_LABELS = {
    "segment": "Segment",
    "acquisition_channel": "Acquisition channel",
    "required_outcome": "Stated required outcome",
    "kind": "Member kind",
    "country": "Country",
}


class NotEnoughHistory(ValueError):
    """Too few members with a known first year to learn from."""


@dataclass(frozen=True)
class LearnedFit:
    intercept: float
    weights: dict[str, float]  # "segment=students" -> weight
    cv_auc: float
    cv_auc_spread: float
    folds: int
    members_used: int
    members_reached: int
    out_of_fold: list[float]  # each training member's chance from a model that did not see them
    poor_below: float
    strong_from: float


def _encode(features: Features) -> dict[str, float]:
    return {f"{name}={value}": 1.0 for name, value in features.items() if value != ""}


def learn_fit(
    rows: Sequence[Features], reached: Sequence[bool], *, folds: int = DEFAULT_FOLDS, seed: int = 0
) -> LearnedFit:
    """Fit the model on every row and measure it by stratified k-fold cross-validation."""
    if len(rows) != len(reached):
        raise ValueError("rows and outcomes differ in length")
    y = np.array([1 if r else 0 for r in reached])
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    if len(rows) < MIN_MEMBERS or min(positives, negatives) < folds:
        raise NotEnoughHistory(
            f"{len(rows)} members with a known first year ({positives} reached their first-year milestones, "
            f"{negatives} did not); the fit model needs at least {MIN_MEMBERS}, with at least {folds} of each"
        )
    vectorizer = DictVectorizer(sparse=True, sort=True)
    x = vectorizer.fit_transform([_encode(r) for r in rows])
    out_of_fold = np.zeros(len(y))
    fold_aucs: list[float] = []
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(x, y):
        fold_model = _new_model().fit(x[train], y[train])
        out_of_fold[test] = fold_model.predict_proba(x[test])[:, 1]
        if len(set(y[test])) == 2:
            fold_aucs.append(float(roc_auc_score(y[test], out_of_fold[test])))
    model = _new_model().fit(x, y)
    weights = {name: float(w) for name, w in zip(vectorizer.feature_names_, model.coef_[0], strict=True)}
    return LearnedFit(
        intercept=float(model.intercept_[0]),
        weights=weights,
        cv_auc=float(np.mean(fold_aucs)),
        cv_auc_spread=float(np.std(fold_aucs)),
        folds=folds,
        members_used=len(y),
        members_reached=positives,
        out_of_fold=[float(p) for p in out_of_fold],
        poor_below=float(np.quantile(out_of_fold, 1 / 3)),
        strong_from=float(np.quantile(out_of_fold, 2 / 3)),
    )


def _new_model() -> LogisticRegression:
    # Mild L2 shrinkage: rare values (a channel with five members) do not get wild weights.
    return LogisticRegression(C=1.0, max_iter=1000)


def chance(*, intercept: float, weights: Mapping[str, float], features: Features) -> float:
    """The chance of reaching the first-year milestones; unseen values add nothing."""
    logit = intercept + sum(weights.get(key, 0.0) for key in _encode(features))
    return 1.0 / (1.0 + math.exp(-logit))


def feature_label(name: str, *, attribute_labels: Mapping[str, str] | None = None) -> str:
    if name.startswith("attr:"):
        attribute = name.removeprefix("attr:")
        return (attribute_labels or {}).get(attribute, attribute.replace("_", " ").capitalize())
    return FEATURE_LABELS.get(name, name.replace("_", " ").capitalize())


def reasons(
    *,
    weights: Mapping[str, float],
    features: Features,
    value_labels: Mapping[str, str] | None = None,
    attribute_labels: Mapping[str, str] | None = None,
) -> list[str]:
    """The few attributes that moved the chance most, each in one sentence."""
    found = [(key, weights[key]) for key in _encode(features) if abs(weights.get(key, 0.0)) >= REASON_MIN_WEIGHT]
    found.sort(key=lambda item: -abs(item[1]))
    sentences = []
    for key, weight in found[:REASONS_SHOWN]:
        name, value = key.split("=", 1)
        shown = (value_labels or {}).get(key, value)
        direction = "more often" if weight > 0 else "less often"
        sentences.append(
            f"{feature_label(name, attribute_labels=attribute_labels)} “{shown}”: members like this reached "
            f"their first-year milestones {direction} than others"
        )
    return sentences


def band(
    *, chance: float | None, poor_below: float, strong_from: float, fails_poor: bool, fails_moderate: bool
) -> str:
    """strong, moderate or poor: a failed criterion caps the band; otherwise the chance decides."""
    if fails_poor:
        return "poor"
    if chance is None:
        return "moderate"
    if chance < poor_below:
        return "poor"
    if chance >= strong_from and not fails_moderate:
        return "strong"
    return "moderate"
