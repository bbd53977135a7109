"""Training the fit model from the database: first-year milestones as the outcome, every member's
fit at joining stored, and history too thin to learn from refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from membersuccess.accounts.models import AuditEntry
from membersuccess.members.models import Member
from membersuccess.potential.models import FitModel, MemberFit
from membersuccess.potential.services import PotentialError, fit_model_train
from tests.factories import make_achievement, make_member
from tests.potential.helpers import JOINED, make_history, served_journey

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 1)


def test_a_planted_channel_effect_gives_a_higher_auc_than_the_same_history_without_it() -> None:
    journey = make_history(planted=True)
    planted = fit_model_train(as_of=AS_OF)
    Member.objects.all().delete()
    make_history(planted=False, journey=journey)
    removed = fit_model_train(as_of=AS_OF)
    assert planted.cv_auc > removed.cv_auc + 0.15

@pytest.fixture
def planted_history() -> None:
    make_history(planted=True)


def test_training_stores_the_model_with_its_auc_date_and_counts(planted_history: None) -> None:
    model = fit_model_train(as_of=AS_OF)
    assert model.as_of == AS_OF
    assert model.members_used == 150
    assert 0 < model.members_reached < 150
    assert model.cv_auc > 0.75
    assert model.weights["acquisition_channel=referral"] > 0 > model.weights["acquisition_channel=paid-social"]
    assert AuditEntry.objects.filter(action="fit_model_trained", object_id=str(model.pk)).exists()


def test_history_without_the_effect_gives_an_auc_near_chance() -> None:
    make_history(planted=False)
    model = fit_model_train(as_of=AS_OF)
    assert model.cv_auc < 0.65


def test_every_member_gets_a_fit_at_joining_out_of_fold_when_the_model_learned_from_them(
    planted_history: None,
) -> None:
    newcomer = make_member(joined_on=AS_OF - timedelta(days=30), acquisition_channel="paid-social")
    fit_model_train(as_of=AS_OF)
    assert MemberFit.objects.count() == 151
    assert MemberFit.objects.filter(out_of_fold=True).count() == 150
    mine = MemberFit.objects.get(member=newcomer)
    assert (mine.out_of_fold, mine.reached_first_year) == (False, None)
    assert mine.band == "poor"
    assert any("Acquisition channel “paid-social”" in reason for reason in mine.reasons)


def test_a_member_reached_the_first_year_only_when_every_first_year_milestone_came_within_the_year() -> None:
    journey = served_journey()
    late = make_member(joined_on=JOINED, journey=journey, acquisition_channel="web")
    for milestone in journey.milestones.filter(due_offset_days__lte=365):
        make_achievement(member=late, milestone=milestone, achieved_on=JOINED + timedelta(days=400))
    make_history(planted=True, journey=journey)
    fit_model_train(as_of=AS_OF)
    assert MemberFit.objects.get(member=late).reached_first_year is False


def test_training_with_too_little_history_says_how_many_members_it_found() -> None:
    make_history(planted=True, size=10)
    with pytest.raises(PotentialError, match="cannot train the fit model as of 2025-06-01: 10 members"):
        fit_model_train(as_of=AS_OF)
    assert not FitModel.objects.exists()


def test_members_whose_first_year_is_not_over_are_not_learned_from(planted_history: None) -> None:
    model = fit_model_train(as_of=JOINED + timedelta(days=400))
    assert model.members_used < 150
