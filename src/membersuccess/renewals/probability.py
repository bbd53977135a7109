"""Renewal probability, fitted from the association's own history of renewal decisions.

A renewal decision is a past term whose outcome is recorded: renewed, upgraded or downgraded (the member
stayed) or lapsed or cancelled (they left). Its inputs are what the Success Vector said *before* the term
ended: the status and score of the member's latest completed scoring at most LOOKBACK_DAYS before the end.

With enough decisions of both kinds the probability is a logistic regression on status (one-hot) and
score; otherwise it falls back to the observed renewal rate by status, then to the overall observed rate,
and says so. Without any decision the probability is unknown (None), never invented."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from membersuccess.members.models import MembershipTerm
from membersuccess.scoring.models import ScoreRun, VectorSnapshot

STATUSES = tuple(VectorSnapshot.Status.values)
STAYED = frozenset(
    {MembershipTerm.Status.RENEWED, MembershipTerm.Status.UPGRADED, MembershipTerm.Status.DOWNGRADED}
)
LEFT = frozenset({MembershipTerm.Status.LAPSED, MembershipTerm.Status.CANCELLED})
# How long before a term's end a vector may be and still describe the member at the decision.
LOOKBACK_DAYS = 180
# Decisions older than this are left out: the association and its journeys change.
HISTORY_DAYS = 3 * 365
# A regression needs both outcomes in numbers; below these, the observed rates are used instead.
MIN_DECISIONS_FOR_MODEL = 40
MIN_EACH_OUTCOME_FOR_MODEL = 10
MIN_DECISIONS_FOR_STATUS_RATE = 5
CV_FOLDS = 5

LOGISTIC = "logistic_regression"
RATE_BY_STATUS = "observed_rate_by_status"
OVERALL_RATE = "observed_overall_rate"
NO_HISTORY = "no_history"

METHOD_LABELS = {
    LOGISTIC: "logistic regression on Success Vector status and score",
    RATE_BY_STATUS: "observed renewal rate by Success Vector status",
    OVERALL_RATE: "observed overall renewal rate",
    NO_HISTORY: "unknown: no past renewal decisions with a Success Vector yet",
}


@dataclass(frozen=True)
class Decision:
    """One past renewal decision with what the Success Vector said before it."""

    status: str
    score: float
    renewed: bool


@dataclass(frozen=True)
class RenewalModel:
    """How renewal probability is estimated, and the evidence behind it."""

    method: str
    decisions: int
    renewals: int
    rate_by_status: dict[str, float]
    count_by_status: dict[str, int]
    cross_validated_auc: float | None = None
    brier_score: float | None = None
    coefficients: dict[str, float] = field(default_factory=dict)
    intercept: float | None = None

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]

    @property
    def overall_rate(self) -> float | None:
        return self.renewals / self.decisions if self.decisions else None

    def probability(self, *, status: str | None, score: float | None) -> float | None:
        """The probability that a member with this vector renews; unscored members get the overall rate."""
        if self.method == NO_HISTORY:
            return None
        if status is None or score is None:
            return self.overall_rate
        if self.method == LOGISTIC and self.intercept is not None:
            logit = self.intercept + sum(
                weight * _feature(name, status, score) for name, weight in self.coefficients.items()
            )
            return float(1.0 / (1.0 + np.exp(-logit)))
        if self.method == RATE_BY_STATUS and self.count_by_status.get(status, 0) >= MIN_DECISIONS_FOR_STATUS_RATE:
            return self.rate_by_status[status]
        return self.overall_rate

    def evidence(self) -> dict[str, object]:
        """What the method was fitted on and how well it separates renewals from lapses."""
        return {
            "method": self.method,
            "method_label": self.method_label,
            "decisions": self.decisions,
            "renewals": self.renewals,
            "overall_rate": self.overall_rate,
            "rate_by_status": self.rate_by_status,
            "count_by_status": self.count_by_status,
            "cross_validated_auc": self.cross_validated_auc,
            "brier_score": self.brier_score,
        }


def _feature(name: str, status: str, score: float) -> float:
    if name == "score":
        return score / 100.0
    return 1.0 if name == f"status={status}" else 0.0


FEATURES = ("score", *(f"status={s}" for s in STATUSES))


def _matrix(decisions: Sequence[Decision]) -> np.ndarray:
    return np.array([[_feature(name, d.status, d.score) for name in FEATURES] for d in decisions], dtype=float)


def fit_renewal_model(decisions: Sequence[Decision]) -> RenewalModel:
    """Fit the renewal probability from past decisions, falling back to observed rates when they are few."""
    renewals = sum(1 for d in decisions if d.renewed)
    counts: dict[str, int] = defaultdict(int)
    stayed: dict[str, int] = defaultdict(int)
    for d in decisions:
        counts[d.status] += 1
        stayed[d.status] += int(d.renewed)
    rate_by_status = {s: stayed[s] / counts[s] for s in counts}

    def observed(method: str) -> RenewalModel:
        return RenewalModel(
            method=method, decisions=len(decisions), renewals=renewals,
            rate_by_status=rate_by_status, count_by_status=dict(counts),
        )

    if not decisions:
        return observed(NO_HISTORY)
    lapses = len(decisions) - renewals
    if len(decisions) < MIN_DECISIONS_FOR_MODEL or min(renewals, lapses) < MIN_EACH_OUTCOME_FOR_MODEL:
        enough_by_status = any(n >= MIN_DECISIONS_FOR_STATUS_RATE for n in counts.values())
        return observed(RATE_BY_STATUS if enough_by_status else OVERALL_RATE)
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    x, y = _matrix(decisions), np.array([d.renewed for d in decisions], dtype=int)
    model = LogisticRegression(C=1.0, max_iter=1000)
    folds = StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=0)
    held_out = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    model.fit(x, y)
    return RenewalModel(
        method=LOGISTIC,
        decisions=len(decisions),
        renewals=renewals,
        rate_by_status=rate_by_status,
        count_by_status=dict(counts),
        cross_validated_auc=float(roc_auc_score(y, held_out)),
        brier_score=float(brier_score_loss(y, held_out)),
        coefficients={name: float(c) for name, c in zip(FEATURES, model.coef_[0], strict=True)},
        intercept=float(model.intercept_[0]),
    )


def past_decisions(*, as_of: date, member_ids: Iterable[int] | None = None) -> list[Decision]:
    """Renewal decisions of terms that ended by `as_of` (within HISTORY_DAYS), each with the vector before it."""
    terms = MembershipTerm.objects.filter(
        end_on__lte=as_of, end_on__gt=as_of - timedelta(days=HISTORY_DAYS), status__in=[*STAYED, *LEFT]
    )
    if member_ids is not None:
        terms = terms.filter(member_id__in=list(member_ids))
    term_rows = list(terms.values_list("member_id", "end_on", "status"))
    if not term_rows:
        return []
    earliest = min(end for _, end, _ in term_rows) - timedelta(days=LOOKBACK_DAYS)
    snapshots: dict[int, list[tuple[date, str, float]]] = defaultdict(list)
    rows = (
        VectorSnapshot.objects.filter(
            run__status=ScoreRun.Status.COMPLETED, as_of__gte=earliest, as_of__lte=as_of,
            member_id__in={member_id for member_id, _, _ in term_rows},
        )
        .order_by("member_id", "as_of", "run__finished_at", "run_id")
        .values_list("member_id", "as_of", "status", "score")
    )
    for member_id, day, status, score in rows.iterator(chunk_size=10_000):
        snapshots[member_id].append((day, status, score))
    decisions = []
    for member_id, end_on, term_status in term_rows:
        history = snapshots.get(member_id)
        if not history:
            continue
        # The latest vector on or before the term's end; a re-run of the same date sorts last and wins.
        i = bisect.bisect_right(history, end_on, key=lambda h: h[0]) - 1
        if i < 0 or history[i][0] < end_on - timedelta(days=LOOKBACK_DAYS):
            continue
        _, status, score = history[i]
        decisions.append(Decision(status=status, score=score, renewed=term_status in STAYED))
    return decisions


def renewal_model(*, as_of: date) -> RenewalModel:
    """The renewal probability model as it can be fitted on `as_of` from the whole membership's history."""
    return fit_renewal_model(past_decisions(as_of=as_of))
