"""Learned weights: fit the Success Vector's weights on renewals after an earlier date, test them after a later one.

Training: every member is scored as of --train-as-of from only what was known then (the backtest's
machinery, backtest.score_known), which gives each input's normalized value n — milestone position
and every signal, already turned so that a higher n is always better for the member. The renewals
and lapses of terms ending within the horizon after that date are the outcomes; a renewal counts only
if it was known by --test-as-of (terms whose grace runs past it are pending), so nothing the test
period holds is seen in training. Training also needs --train-as-of + horizon ≤ --test-as-of.

The fit: a logistic regression of renewal on the n's with an L2 penalty (as scikit-learn's default,
C = 1) and every coefficient kept at zero or more. Because the score is a weighted sum of the same
n's, S = 100 · Σ w·n / Σ w, coefficients are weights: scaled to the current total weight and rounded,
they drop into the signal set as they are. The zero floor keeps each signal's configured direction: an
input that pulled the other way in training gets weight 0 rather than a reversed meaning.

Holdout: members are scored again as of --test-as-of and the current weights, the learned weights
and equal weights (every input 1) are measured on the renewals that followed (metrics.py: AUC, Brier,
lift). The current weights' figures are those `msm backtest` reports for that date and horizon.
Learned weights beat the current ones when their holdout AUC is higher; only then may they be adopted
(unless forced), as a new signal set version with all of this kept beside it as its evidence."""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from membersuccess.evidence.backtest import KnownScores, Outcomes, renewal_outcomes, score_known
from membersuccess.evidence.errors import EvidenceError
from membersuccess.evidence.metrics import quality

if TYPE_CHECKING:
    from membersuccess.scoring.models import SignalSet

MIN_MEMBERS = 30  # members with a known outcome in a period
MIN_EACH_OUTCOME = 5  # renewals and lapses each
PENALTY = 1.0  # L2 on the coefficients (scikit-learn's C = 1)
EVIDENCE_KIND = "learned_weights"
MILESTONE_INPUT = "milestone_position"


@dataclass(frozen=True)
class InputWeight:
    """One input of the vector with its weight now and the weight learned for it."""

    name: str
    label: str
    direction: str
    current: float
    learned: float


@dataclass(frozen=True)
class Period:
    """The members measured in one period: scored as of `as_of`, outcomes in the following horizon."""

    as_of: date
    horizon_days: int
    members: int
    renewal_rate: float
    pending: int  # terms ending in the horizon whose outcome was not known yet (left out)


@dataclass(frozen=True)
class HoldoutScore:
    """How one set of weights did on the later period."""

    weights: str  # "current", "learned" or "equal"
    auc: float | None
    brier: float | None
    lift_top_decile: float | None


@dataclass(frozen=True)
class LearnedWeights:
    """Weights fitted on the training period and the evidence of how they did on the later one."""

    signal_set_version: int  # the version whose signals were fitted and whose weights are "current"
    train: Period
    test: Period
    inputs: list[InputWeight]
    holdout: list[HoldoutScore]
    definition: dict[str, Any]  # the current definition with the learned weights: what adoption saves

    @property
    def current(self) -> HoldoutScore:
        return self._holdout("current")

    @property
    def learned(self) -> HoldoutScore:
        return self._holdout("learned")

    def _holdout(self, name: str) -> HoldoutScore:
        return next(h for h in self.holdout if h.weights == name)

    @property
    def beats_current(self) -> bool:
        """Whether the learned weights ranked the later period's renewals better than the current ones."""
        learned, current = self.learned.auc, self.current.auc
        return learned is not None and current is not None and learned > current

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (dates as ISO strings); also the evidence kept beside an adopted version."""
        data = asdict(self)
        for period in ("train", "test"):
            data[period]["as_of"] = data[period]["as_of"].isoformat()
        data["kind"] = EVIDENCE_KIND
        data["beats_current"] = self.beats_current
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


def learn_weights(
    *, train_as_of: date, test_as_of: date, horizon_days: int = 365, engine: str = "duckdb"
) -> LearnedWeights:
    """Fit weights on renewals after `train_as_of` and measure them against the current ones after `test_as_of`."""
    from django.utils import timezone

    from membersuccess.evidence.selectors import data_end

    today = timezone.localdate()
    _check_dates(train_as_of=train_as_of, test_as_of=test_as_of, horizon_days=horizon_days, today=today)
    end = data_end(today=today)

    train_known = score_known(as_of=train_as_of, engine=engine)
    # Only renewals known by the test date teach the weights: the test period stays unseen.
    train_outcomes = renewal_outcomes(
        as_of=train_as_of, horizon_days=horizon_days, grace_days=train_known.grace_days,
        data_end=min(end, test_as_of),
    )
    definition = _definition_of(train_known.signal_set_version)
    names, labels, directions, current_weights = _inputs_of(definition)
    train_x, train_y = _inputs_and_outcomes(train_known, train_outcomes, names=names)
    train = _period(train_as_of, horizon_days, train_y, train_outcomes.pending, "training", "--train-as-of")
    learned_weights = _as_weights(_fit(train_x, train_y), total=float(current_weights.sum()), names=names)

    test_known = score_known(as_of=test_as_of, engine=engine)
    if test_known.signal_set_version != train_known.signal_set_version:
        raise EvidenceError("the signals changed while the weights were being learned: run it again")
    test_outcomes = renewal_outcomes(
        as_of=test_as_of, horizon_days=horizon_days, grace_days=test_known.grace_days, data_end=end
    )
    test_x, test_y = _inputs_and_outcomes(test_known, test_outcomes, names=names)
    test = _period(test_as_of, horizon_days, test_y, test_outcomes.pending, "test", "--test-as-of")
    engine_scores = _engine_scores(test_known, test_outcomes)

    holdout = [
        _holdout("current", engine_scores, test_y),
        _holdout("learned", weighted_score(test_x, learned_weights), test_y),
        _holdout("equal", weighted_score(test_x, np.ones(len(names))), test_y),
    ]
    inputs = [
        InputWeight(name=n, label=lab, direction=d, current=float(c), learned=float(w))
        for n, lab, d, c, w in zip(names, labels, directions, current_weights, learned_weights, strict=True)
    ]
    return LearnedWeights(
        signal_set_version=train_known.signal_set_version, train=train, test=test, inputs=inputs,
        holdout=holdout, definition=with_weights(definition, dict(zip(names, learned_weights.tolist(), strict=True))),
    )


def _check_dates(*, train_as_of: date, test_as_of: date, horizon_days: int, today: date) -> None:
    if horizon_days < 1:
        raise EvidenceError(f"--horizon must be at least 1 day, got {horizon_days}")
    if test_as_of >= today:
        raise EvidenceError(
            f"--test-as-of {test_as_of} is not in the past: the test needs the renewals that followed it"
        )
    if train_as_of >= test_as_of:
        raise EvidenceError(f"--train-as-of {train_as_of} must be before --test-as-of {test_as_of}")
    train_end = train_as_of + timedelta(days=horizon_days)
    if train_end > test_as_of:
        raise EvidenceError(
            f"the training renewals run to {train_end} ({horizon_days} days after --train-as-of), past "
            f"--test-as-of {test_as_of}: choose a test date on or after {train_end}, an earlier training date "
            "or a shorter --horizon"
        )


def _inputs_and_outcomes(
    known: KnownScores, outcomes: Outcomes, *, names: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """The n of every input, in the order of `names`, for the measured members who were scored; and 0/1."""
    columns = [name if name == MILESTONE_INPUT else f"n_{name}" for name in names]
    row_of = {m: i for i, m in enumerate(known.result["member_id"].to_pylist())}
    keep = np.array([m in row_of for m in outcomes.member_ids.tolist()], dtype=bool)
    rows = np.array([row_of[m] for m in outcomes.member_ids[keep].tolist()], dtype=np.int64)
    matrix = np.column_stack([np.asarray(known.result[c].to_numpy(zero_copy_only=False), dtype=float)
                              for c in columns])
    return np.nan_to_num(matrix[rows], nan=0.0), outcomes.renewed[keep].astype(float)


def _period(as_of: date, horizon_days: int, renewed: np.ndarray, pending: int, which: str, option: str) -> Period:
    members = len(renewed)
    renewals = int(renewed.sum())
    lapses = members - renewals
    if members < MIN_MEMBERS or min(renewals, lapses) < MIN_EACH_OUTCOME:
        until = as_of + timedelta(days=horizon_days)
        raise EvidenceError(
            f"too little history in the {which} period: {members} members had a term ending between {as_of} and "
            f"{until} with a known outcome ({renewals} renewed, {lapses} lapsed, {pending} not known yet); learning "
            f"weights needs at least {MIN_MEMBERS} members with at least {MIN_EACH_OUTCOME} renewals and "
            f"{MIN_EACH_OUTCOME} lapses — choose another {option} or a longer --horizon"
        )
    return Period(as_of=as_of, horizon_days=horizon_days, members=members,
                  renewal_rate=round(renewals / members, 6), pending=pending)


def _definition_of(version: int) -> dict[str, Any]:
    from membersuccess.scoring.models import SignalSet

    return copy.deepcopy(SignalSet.objects.get(version=version).definition)


def _inputs_of(definition: dict[str, Any]) -> tuple[list[str], list[str], list[str], np.ndarray]:
    """Names, labels, directions and current weights of the inputs, milestone position first."""
    from membersuccess.engine.signals import config_from_dict

    config = config_from_dict(definition)
    names = [MILESTONE_INPUT, *(s.name for s in config.signals)]
    labels = ["milestones reached on time", *(s.label for s in config.signals)]
    directions: list[str] = ["helps", *(s.direction for s in config.signals)]
    weights = np.array([config.params.milestone_weight, *(s.weight for s in config.signals)], dtype=float)
    return names, labels, directions, weights


def _fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Non-negative coefficients of a penalized logistic regression of renewal on the inputs."""
    from scipy.optimize import minimize
    from scipy.special import expit

    sign = 2 * y - 1
    k = x.shape[1]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        margin = sign * (theta[0] + x @ theta[1:])
        value = float(np.sum(np.logaddexp(0.0, -margin)) + 0.5 * np.dot(theta[1:], theta[1:]) / PENALTY)
        slope = -sign * expit(-margin)
        grad = np.concatenate([[slope.sum()], x.T @ slope + theta[1:] / PENALTY])
        return value, grad

    start = np.zeros(k + 1)
    bounds = [(None, None)] + [(0.0, None)] * k
    fitted = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    if not np.all(np.isfinite(fitted.x)):
        raise EvidenceError(f"the weights could not be fitted: {fitted.message}")
    return np.asarray(fitted.x[1:], dtype=float)


def _as_weights(coefficients: np.ndarray, *, total: float, names: list[str]) -> np.ndarray:
    """Coefficients scaled to the current total weight, rounded to hundredths."""
    if coefficients.sum() <= 1e-9:
        raise EvidenceError(
            "no input predicted renewal in the training period (every learned weight is zero): "
            f"nothing to learn from {', '.join(names)}"
        )
    weights = np.round(coefficients / coefficients.sum() * (total if total > 0 else 10.0), 2)
    if weights.sum() <= 0:
        raise EvidenceError("the learned weights round to zero: nothing to learn from the training period")
    return weights


def weighted_score(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The Success Vector's score from the inputs' n's: 100 · Σ w·n / Σ w."""
    return np.asarray(100.0 * (x @ weights) / weights.sum(), dtype=float)


def _engine_scores(known: KnownScores, outcomes: Outcomes) -> np.ndarray:
    scores = dict(zip(known.result["member_id"].to_pylist(), known.result["score"].to_pylist(), strict=True))
    return np.array([scores[m] for m in outcomes.member_ids.tolist() if m in scores], dtype=float)


def _holdout(name: str, scores: np.ndarray, renewed: np.ndarray) -> HoldoutScore:
    q = quality(scores, renewed.astype(np.int64))
    return HoldoutScore(weights=name, auc=q.auc, brier=q.brier, lift_top_decile=q.lift_top_decile)


def with_weights(definition: dict[str, Any], weights: dict[str, float]) -> dict[str, Any]:
    """A copy of a signal set definition with new weights (milestone_position sets the milestone weight)."""
    document = copy.deepcopy(definition)
    document.setdefault("params", {})["milestone_weight"] = weights[MILESTONE_INPUT]
    for row in document.get("signals") or []:
        row["weight"] = weights[row["name"]]
    return document


def adopt_learned_weights(learned: LearnedWeights, *, by: Any = None, force: bool = False) -> SignalSet:
    """Save the learned weights as the new active signal set, with their evidence beside it; returns the version.

    Refused when they did not beat the current weights on the later period (unless `force`), or when the
    signals changed since they were learned."""
    from django.db import transaction

    from membersuccess.engine.signals import SignalConfigError
    from membersuccess.scoring.services import signal_set_active, signal_set_save

    current, new = learned.current.auc, learned.learned.auc
    if not learned.beats_current and not force:
        raise EvidenceError(
            f"not adopted: the learned weights do not beat the current ones (version {learned.signal_set_version}) "
            f"on the renewals after {learned.test.as_of} — holdout AUC {_auc(new)} against {_auc(current)}; "
            "add --force to adopt them anyway"
        )
    with transaction.atomic():
        active = signal_set_active()
        if active.version != learned.signal_set_version:
            raise EvidenceError(
                f"not adopted: the weights were learned for version {learned.signal_set_version} of the signals, "
                f"but version {active.version} is in use now: learn them again"
            )
        note = (
            f"Weights learned on renewals after {learned.train.as_of}, tested on those after {learned.test.as_of}: "
            f"holdout AUC {_auc(new)} against {_auc(current)} for version {learned.signal_set_version}"
            + (" (adopted although they did not beat it)" if not learned.beats_current else "")
        )
        try:
            saved = signal_set_save(definition=learned.definition, created_by=by, note=note)
        except SignalConfigError as error:
            raise EvidenceError(f"the learned weights cannot be saved: {error}") from error
        saved.evidence = {**learned.to_dict(), "forced": bool(force and not learned.beats_current)}
        saved.save(update_fields=["evidence"])
    return saved


def _auc(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def evidence_summary(evidence: object) -> str:
    """One line for the versions list: how learned weights did on their holdout, or "" for other versions."""
    if not isinstance(evidence, dict) or evidence.get("kind") != EVIDENCE_KIND:
        return ""
    holdout = {h.get("weights"): h for h in evidence.get("holdout", []) if isinstance(h, dict)}
    train, test = evidence.get("train") or {}, evidence.get("test") or {}
    learned, current = holdout.get("learned") or {}, holdout.get("current") or {}
    return (
        f"Learned on {train.get('members', '?')} members' renewals after {train.get('as_of', '?')}; "
        f"on {test.get('members', '?')} members after {test.get('as_of', '?')}: AUC {_auc(learned.get('auc'))} "
        f"against {_auc(current.get('auc'))} for version {evidence.get('signal_set_version', '?')}, "
        f"Brier {_auc(learned.get('brier'))} against {_auc(current.get('brier'))}"
        + (" (adopted although it did not beat it)" if evidence.get("forced") else "")
    )
