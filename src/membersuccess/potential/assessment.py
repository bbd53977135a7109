"""A fit, put together: the admin's criteria, the learned chance, a band, and the reasons in words."""

from __future__ import annotations

from dataclasses import dataclass

from membersuccess.potential import fit as fit_model
from membersuccess.potential.criteria import CriteriaContext, CriterionResult, FitSubject, judge
from membersuccess.potential.models import FitCriterion, FitModel

BAND_LABELS = {"strong": "Strong fit", "moderate": "Moderate fit", "poor": "Poor fit"}
# The page styles shared with the Success Vector: strong reads as on track, poor as off track.
BAND_BADGES = {"strong": "on_track", "moderate": "too_early", "poor": "off_track"}


@dataclass(frozen=True)
class Fit:
    band: str  # strong, moderate, poor
    chance: float | None  # None when no model is trained
    reasons: list[str]
    criteria: list[CriterionResult]
    model: FitModel | None
    model_used: bool  # False when there is no model or it predicts no better than chance

    @property
    def band_label(self) -> str:
        return BAND_LABELS[self.band]

    @property
    def badge(self) -> str:
        return BAND_BADGES[self.band]

    @property
    def chance_percent(self) -> int | None:
        return None if self.chance is None else round(100 * self.chance)


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def subject_features(subject: FitSubject) -> dict[str, str]:
    """What the model reads about a person at joining."""
    features = {
        "segment": subject.segment.code if subject.segment else "",
        "acquisition_channel": subject.acquisition_channel.strip().lower(),
        "required_outcome": subject.required_outcome.code if subject.required_outcome else "",
        "kind": subject.kind,
        "country": subject.country,
    }
    for name, value in subject.attributes.items():
        features[f"attr:{name}"] = _plain(value)
    return {name: value for name, value in features.items() if value != ""}


def _value_labels(subject: FitSubject) -> dict[str, str]:
    labels = {}
    if subject.segment is not None:
        labels[f"segment={subject.segment.code}"] = subject.segment.name
    if subject.required_outcome is not None:
        labels[f"required_outcome={subject.required_outcome.code}"] = subject.required_outcome.name
    return labels


def model_is_useful(model: FitModel | None) -> bool:
    return model is not None and model.cv_auc >= fit_model.MIN_USEFUL_AUC


def assess(
    subject: FitSubject, *, model: FitModel | None, context: CriteriaContext, chance: float | None = None
) -> Fit:
    """Judge one subject; `chance` overrides the model's (an out-of-fold chance for training members)."""
    results = judge(subject, context)
    failed = [r for r in results if not r.passed]
    reasons = [r.reason for r in failed]
    useful = model_is_useful(model)
    features = subject_features(subject)
    if model is not None and chance is None:
        chance = fit_model.chance(intercept=model.intercept, weights=model.weights, features=features)
    if model is None:
        reasons.append("No fit model is trained yet, so only the criteria decide (an admin trains it on the "
                       "fit criteria page)")
    elif not useful:
        reasons.append(f"The fit model predicts little (cross-validated AUC {model.cv_auc:.2f}), so only the "
                       "criteria decide")
    else:
        assert chance is not None
        reasons.append(
            f"{chance:.0%} chance of reaching the first-year milestones (of members who joined: "
            f"{model.base_rate:.0%})"
        )
        reasons.extend(
            fit_model.reasons(
                weights=model.weights,
                features=features,
                value_labels=_value_labels(subject),
                attribute_labels=context.attribute_labels,
            )
        )
    band = fit_model.band(
        chance=chance if useful else None,
        poor_below=model.poor_below if model else 0.0,
        strong_from=model.strong_from if model else 1.0,
        fails_poor=any(r.criterion.effect == FitCriterion.Effect.POOR for r in failed),
        fails_moderate=any(r.criterion.effect == FitCriterion.Effect.MODERATE for r in failed),
    )
    return Fit(band=band, chance=chance if model else None, reasons=reasons, criteria=results, model=model,
               model_used=useful)
