"""The fit model learns what history holds, says how well by cross-validated AUC, and explains itself."""

from __future__ import annotations

import math

import numpy as np
import pytest

from membersuccess.potential.fit import NotEnoughHistory, band, chance, learn_fit, reasons

CHANNELS = ("referral", "web", "paid-social", "chapter")
SEGMENTS = ("students", "practitioners", "firms")


def generated_history(*, planted: bool, size: int = 800, seed: int = 7) -> tuple[list[dict[str, str]], list[bool]]:
    """Members at joining; with `planted`, the channel shifts the chance of reaching the first year."""
    rng = np.random.default_rng(seed)
    shift = {"referral": 1.5, "web": 0.0, "paid-social": -1.5, "chapter": 0.5}
    rows, reached = [], []
    for _ in range(size):
        features = {
            "acquisition_channel": str(rng.choice(CHANNELS)),
            "segment": str(rng.choice(SEGMENTS)),
            "country": str(rng.choice(["US", "CA", "GB"])),
        }
        logit = shift[features["acquisition_channel"]] if planted else 0.0
        rows.append(features)
        reached.append(bool(rng.random() < 1 / (1 + math.exp(-logit))))
    return rows, reached


def test_model_learns_a_planted_effect_with_a_high_cross_validated_auc() -> None:
    learned = learn_fit(*generated_history(planted=True))
    assert learned.cv_auc > 0.7


def test_model_reports_an_auc_near_chance_when_the_effect_is_removed() -> None:
    planted = learn_fit(*generated_history(planted=True))
    removed = learn_fit(*generated_history(planted=False))
    assert removed.cv_auc < 0.6
    assert planted.cv_auc - removed.cv_auc > 0.15


def test_learned_weights_point_the_way_of_the_planted_effect() -> None:
    learned = learn_fit(*generated_history(planted=True))
    assert learned.weights["acquisition_channel=referral"] > 0 > learned.weights["acquisition_channel=paid-social"]


def test_every_training_member_gets_an_out_of_fold_chance_and_the_band_cuts_are_ordered() -> None:
    rows, reached = generated_history(planted=True, size=300)
    learned = learn_fit(rows, reached)
    assert len(learned.out_of_fold) == 300
    assert all(0 < p < 1 for p in learned.out_of_fold)
    assert learned.poor_below <= learned.strong_from
    assert learned.members_used == 300 and learned.members_reached == sum(reached)


def test_too_little_history_is_refused_with_the_counts() -> None:
    rows, reached = generated_history(planted=True, size=20)
    with pytest.raises(NotEnoughHistory, match="20 members with a known first year"):
        learn_fit(rows, reached)


def test_history_where_everyone_reached_their_milestones_is_refused() -> None:
    rows, _ = generated_history(planted=True, size=100)
    with pytest.raises(NotEnoughHistory, match="0 did not"):
        learn_fit(rows, [True] * 100)


def test_chance_adds_the_weights_of_the_values_present_and_ignores_unseen_values() -> None:
    weights = {"acquisition_channel=referral": 1.0, "segment=students": -1.0}
    assert chance(intercept=0.0, weights=weights, features={"acquisition_channel": "referral"}) == pytest.approx(
        1 / (1 + math.exp(-1))
    )
    assert chance(intercept=0.0, weights=weights, features={"acquisition_channel": "never-seen"}) == 0.5


def test_reasons_name_the_attributes_that_moved_the_chance_most_in_words() -> None:
    weights = {"acquisition_channel=paid-social": -1.4, "segment=students": 0.6, "country=US": 0.01}
    found = reasons(
        weights=weights,
        features={"acquisition_channel": "paid-social", "segment": "students", "country": "US"},
        value_labels={"segment=students": "Students"},
    )
    assert found == [
        "Acquisition channel “paid-social”: members like this reached their first-year milestones less often "
        "than others",
        "Segment “Students”: members like this reached their first-year milestones more often than others",
    ]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"chance": 0.9, "fails_poor": True, "fails_moderate": False}, "poor"),
        ({"chance": 0.9, "fails_poor": False, "fails_moderate": True}, "moderate"),
        ({"chance": 0.9, "fails_poor": False, "fails_moderate": False}, "strong"),
        ({"chance": 0.5, "fails_poor": False, "fails_moderate": False}, "moderate"),
        ({"chance": 0.1, "fails_poor": False, "fails_moderate": False}, "poor"),
        ({"chance": None, "fails_poor": False, "fails_moderate": False}, "moderate"),
    ],
)
def test_band_is_capped_by_failed_criteria_and_otherwise_follows_the_chance(
    kwargs: dict[str, object], expected: str
) -> None:
    assert band(poor_below=0.3, strong_from=0.7, **kwargs) == expected  # type: ignore[arg-type]
