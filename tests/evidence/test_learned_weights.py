"""Learned weights: fitted on renewals after an earlier date, tested on those after a later one, adopted as a
new signals version with the evidence beside it — and nothing from the test period is seen in training."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from typer.testing import CliRunner

from membersuccess.cli import app
from membersuccess.engine.signals import config_from_dict
from membersuccess.evidence.backtest import measure, score_known
from membersuccess.evidence.errors import EvidenceError
from membersuccess.evidence.learn import (
    HoldoutScore,
    LearnedWeights,
    adopt_learned_weights,
    evidence_summary,
    learn_weights,
)
from membersuccess.interactions.models import Interaction
from membersuccess.scoring.models import SignalSet
from membersuccess.scoring.services import signal_set_active, signal_set_save
from tests.evidence.backtest_factories import build_small_association
from tests.evidence.learn_factories import (
    HORIZON,
    NOISE,
    PLANTED,
    TEST_AS_OF,
    TRAIN_AS_OF,
    PlantedAssociation,
    build_planted_association,
)

runner = CliRunner()


def learn() -> LearnedWeights:
    return learn_weights(train_as_of=TRAIN_AS_OF, test_as_of=TEST_AS_OF, horizon_days=HORIZON)


@pytest.fixture(scope="module")
def planted_and_learned(django_db_setup, django_db_blocker) -> Iterator[tuple[PlantedAssociation, LearnedWeights]]:
    """The planted association, built once for this module and rolled back at its end, and its learned weights."""
    with django_db_blocker.unblock(), transaction.atomic():
        association = build_planted_association()
        yield association, learn()
        transaction.set_rollback(True)


@pytest.fixture
def association(planted_and_learned, db) -> PlantedAssociation:
    return planted_and_learned[0]


@pytest.fixture
def learned(planted_and_learned, db) -> LearnedWeights:
    return planted_and_learned[1]


def weights(result: LearnedWeights) -> dict[str, float]:
    return {item.name: item.learned for item in result.inputs}


def test_both_periods_measure_the_members_whose_year_ended_in_the_horizon(association, learned):
    assert learned.train.members == len(association.first_cohort)
    assert learned.train.renewal_rate == pytest.approx(len(association.renewed_2023) / learned.train.members, abs=1e-6)
    assert learned.test.members == len(association.renewed_2023) + len(association.second_cohort)
    assert learned.train.pending == learned.test.pending == 0


def test_the_planted_signal_gets_the_highest_learned_weight(learned):
    learned_weights = weights(learned)
    assert max(learned_weights, key=learned_weights.__getitem__) == PLANTED
    assert learned_weights[PLANTED] > 2 * max(learned_weights[name] for name in NOISE)


def test_inputs_without_data_get_no_weight_and_the_total_stays_the_same(learned):
    learned_weights = weights(learned)
    # Nobody has a milestone due, a course or a ticket: those inputs are the same for everyone.
    for name in ("milestone_position", "ce_credits", "open_tickets", "ticket_resolution"):
        assert learned_weights[name] == 0
    assert sum(learned_weights.values()) == pytest.approx(sum(i.current for i in learned.inputs), abs=0.1)
    assert all(w >= 0 for w in learned_weights.values())


def test_the_learned_weights_beat_equal_and_current_weights_on_the_later_period(learned):
    holdout = {h.weights: h for h in learned.holdout}
    assert holdout["learned"].auc > holdout["equal"].auc
    assert holdout["learned"].auc > holdout["current"].auc
    assert holdout["learned"].brier < holdout["equal"].brier
    assert learned.beats_current


def test_the_learned_definition_keeps_the_signals_and_changes_only_the_weights(learned):
    current = config_from_dict(signal_set_active().definition)
    new = config_from_dict(learned.definition)
    assert [s.name for s in new.signals] == [s.name for s in current.signals]
    assert {s.name: s.weight for s in new.signals} == {k: v for k, v in weights(learned).items() if k in
                                                      {s.name for s in new.signals}}
    assert new.params.milestone_weight == weights(learned)["milestone_position"]
    assert [dataclasses.replace(s, weight=0) for s in new.signals] == [
        dataclasses.replace(s, weight=0) for s in current.signals
    ]


def test_the_current_weights_holdout_figures_are_the_backtest_of_the_test_date(learned):
    backtest = measure(score_known(as_of=TEST_AS_OF), horizon_days=HORIZON)
    assert backtest.members == learned.test.members
    assert (learned.current.auc, learned.current.brier) == (backtest.auc, backtest.brier)


def test_the_engine_scoring_with_the_learned_weights_gives_the_learned_holdout_figures(learned):
    backtest = measure(score_known(as_of=TEST_AS_OF, definition=learned.definition), horizon_days=HORIZON)
    assert backtest.auc == pytest.approx(learned.learned.auc, abs=1e-4)


# No leakage


def test_interactions_after_the_training_date_do_not_change_the_learned_weights(association, learned):
    # Logins between the two dates, given only to members who renewed in 2023: seen in training, the
    # portal would look like it predicts renewal. They fall outside every window of the test date.
    rows = [
        Interaction(member_id=member_id, source="portal", kind="login", external_id=f"late-{member_id}-{k}",
                    occurred_at=timezone.make_aware(datetime(2023, 4, 5 + 5 * k, 12)))
        for member_id in association.renewed_2023 for k in range(6)
    ]
    Interaction.objects.bulk_create(rows)
    assert learn() == learned


def test_renewals_known_only_after_the_test_date_are_not_used_for_training(association):
    # The 2023 renewals fall within the grace of terms ending on 30 June, known only from late August:
    # with a test date in July every training outcome is still pending, so there is nothing to learn from.
    with pytest.raises(EvidenceError, match=r"too little history in the training period: 0 members .* "
                                            r"160 not known yet"):
        learn_weights(train_as_of=TRAIN_AS_OF, test_as_of=date(2023, 7, 15), horizon_days=100)


# Adoption


def test_adopting_makes_a_new_active_version_with_the_evidence_beside_it(learned):
    saved = adopt_learned_weights(learned)
    assert saved.version == 2 and saved.is_active
    assert saved.definition == learned.definition
    assert saved.evidence["holdout"] == learned.to_dict()["holdout"]
    assert saved.evidence["train"]["as_of"] == str(TRAIN_AS_OF)
    assert saved.evidence["test"]["as_of"] == str(TEST_AS_OF)
    assert saved.evidence["forced"] is False
    assert "learned on renewals after 2023-03-31" in saved.note.lower()
    assert SignalSet.objects.get(version=1).evidence == {}


def not_better(learned: LearnedWeights) -> LearnedWeights:
    current = learned.current
    worse = HoldoutScore(weights="learned", auc=current.auc, brier=current.brier,
                         lift_top_decile=current.lift_top_decile)
    return dataclasses.replace(learned, holdout=[current, worse, *learned.holdout[2:]])


def test_weights_that_do_not_beat_the_current_ones_are_not_adopted(learned):
    with pytest.raises(EvidenceError, match="not adopted: the learned weights do not beat the current ones"):
        adopt_learned_weights(not_better(learned))
    assert SignalSet.objects.count() == 1


def test_forced_adoption_is_recorded_as_forced(learned):
    saved = adopt_learned_weights(not_better(learned), force=True)
    assert saved.is_active and saved.evidence["forced"] is True
    assert "adopted although" in evidence_summary(saved.evidence)


def test_weights_learned_for_an_older_version_are_not_adopted(learned):
    signal_set_save(definition=signal_set_active().definition, note="someone else's edit")
    with pytest.raises(EvidenceError, match="learned for version 1 of the signals, but version 2 is in use"):
        adopt_learned_weights(learned)


def test_the_evidence_summary_names_both_periods_and_both_aucs(learned):
    summary = evidence_summary(learned.to_dict())
    assert "after 2023-03-31" in summary and "after 2024-03-31" in summary
    assert f"AUC {learned.learned.auc:.3f} against {learned.current.auc:.3f}" in summary
    assert evidence_summary({}) == ""


# The command


def invoke(*args: str):
    return runner.invoke(app, ["signals", "learn", *args])


def test_msm_signals_learn_adopts_and_prints_one_json_document(learned):
    result = invoke("--train-as-of", str(TRAIN_AS_OF), "--test-as-of", str(TEST_AS_OF), "--adopt", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["adopted_version"] == 2
    assert document["holdout"] == learned.to_dict()["holdout"]
    assert {i["name"]: i["learned"] for i in document["inputs"]} == weights(learned)
    assert SignalSet.objects.get(is_active=True).evidence["kind"] == "learned_weights"


def test_msm_signals_learn_prints_weights_old_and_new_and_the_holdout(learned):
    result = invoke("--train-as-of", str(TRAIN_AS_OF), "--test-as-of", str(TEST_AS_OF))
    assert result.exit_code == 0, result.output
    assert "events attended" in result.stdout and "learned" in result.stdout
    assert f"{learned.learned.auc:.3f}" in result.stdout and f"{learned.current.auc:.3f}" in result.stdout
    assert "beat the current ones" in result.stdout
    assert SignalSet.objects.count() == 1


def test_learning_again_after_adopting_finds_the_same_weights_and_refuses_to_adopt_them(learned):
    adopt_learned_weights(learned)
    result = invoke("--train-as-of", str(TRAIN_AS_OF), "--test-as-of", str(TEST_AS_OF), "--adopt")
    assert result.exit_code == 2
    assert "not adopted: the learned weights do not beat the current ones (version 2)" in result.output
    assert "add --force to adopt them anyway" in result.output
    assert SignalSet.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--train-as-of", "2024-03-31", "--test-as-of", "2023-03-31"], "must be before --test-as-of"),
        (["--train-as-of", "2023-03-31", "--test-as-of", "2023-12-31"], "choose a test date on or after 2024-03-30"),
        (["--train-as-of", "2023-03-31", "--test-as-of", "2024-03-31", "--horizon", "0"], "at least 1 day"),
        (["--train-as-of", "31/03/2023", "--test-as-of", "2024-03-31"], "is not a date: use YYYY-MM-DD"),
        (["--train-as-of", "2023-03-31", "--test-as-of", "2024-03-31", "--force"], "--force only makes sense"),
    ],
)
def test_bad_dates_and_options_end_with_one_clear_line_and_exit_code_2(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.django_db
def test_a_test_date_that_is_not_in_the_past_is_refused():
    today = timezone.localdate()
    result = invoke("--train-as-of", str(today - timedelta(days=400)), "--test-as-of", str(today))
    assert result.exit_code == 2
    assert f"--test-as-of {today} is not in the past" in result.output


@pytest.mark.django_db
def test_too_little_history_is_refused_clearly():
    build_small_association()  # eight members whose term ended in 2024
    result = invoke("--train-as-of", "2024-06-30", "--test-as-of", "2025-06-30")
    assert result.exit_code == 2
    assert "too little history in the training period: 8 members" in result.output
    assert "at least 30 members" in result.output


# The signals page


def test_the_signals_page_shows_the_evidence_beside_the_adopted_version(learned):
    from django.test import Client

    from membersuccess.accounts.models import Role
    from tests.factories import make_staff_user

    adopt_learned_weights(learned)
    client = Client()
    client.force_login(make_staff_user(role=Role.STAFF))
    page = client.get("/signals/").content.decode()
    summary = f"AUC {learned.learned.auc:.3f} against {learned.current.auc:.3f} for version 1, Brier"
    assert page.count(summary) == 2  # beside the version in use, and in its row of the versions list
    version_page = client.get("/signals/versions/2/").content.decode()
    assert summary in version_page and "Evidence" in version_page
    assert summary not in client.get("/signals/versions/1/").content.decode()


# The demo association


@pytest.mark.django_db
def test_on_the_demo_learned_weights_put_milestones_first_and_beat_equal_weights(settings):
    from membersuccess.demo.services import build_demo
    from tests.demo.conftest import AS_OF

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo(members=700, seed=7, data_dir=settings.DATA_DIR, as_of=AS_OF)
    result = learn_weights(train_as_of=AS_OF - timedelta(days=730), test_as_of=AS_OF - timedelta(days=365))
    learned_weights = weights(result)
    # The demo draws renewals mostly from milestone attainment.
    assert max(learned_weights, key=learned_weights.__getitem__) == "milestone_position"
    holdout = {h.weights: h for h in result.holdout}
    assert holdout["learned"].auc > holdout["equal"].auc
    assert result.test.members > 200
