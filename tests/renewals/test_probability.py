"""Renewal probability is fitted from past decisions against the vector known before the term ended."""

from __future__ import annotations

from datetime import timedelta

import pytest

from membersuccess.members.models import MembershipTerm
from membersuccess.renewals.probability import (
    LOGISTIC,
    NO_HISTORY,
    OVERALL_RATE,
    RATE_BY_STATUS,
    Decision,
    fit_renewal_model,
    past_decisions,
    renewal_model,
)
from membersuccess.scoring.models import VectorSnapshot
from tests.factories import make_member, make_term
from tests.renewals.builders import past_decision
from tests.web.vector_factories import make_run, make_vector

ON, OFF, DRIFT = VectorSnapshot.Status.ON_TRACK, VectorSnapshot.Status.OFF_TRACK, VectorSnapshot.Status.DRIFTING


def decisions(status: str, score: float, *, renewed: int, lapsed: int) -> list[Decision]:
    return [Decision(status, score, True)] * renewed + [Decision(status, score, False)] * lapsed


def test_without_history_the_probability_is_unknown_not_invented():
    model = fit_renewal_model([])
    assert model.method == NO_HISTORY
    assert model.probability(status=ON, score=80) is None


def test_thin_history_falls_back_to_the_observed_rate_by_status():
    model = fit_renewal_model(decisions(ON, 80, renewed=8, lapsed=2) + decisions(OFF, 20, renewed=2, lapsed=6))
    assert model.method == RATE_BY_STATUS
    assert model.probability(status=ON, score=50) == pytest.approx(0.8)
    assert model.probability(status=OFF, score=90) == pytest.approx(0.25)


def test_a_status_seen_too_rarely_gets_the_overall_rate():
    model = fit_renewal_model(decisions(ON, 80, renewed=8, lapsed=2) + decisions(DRIFT, 40, renewed=1, lapsed=1))
    assert model.probability(status=DRIFT, score=40) == pytest.approx(9 / 12)


def test_very_thin_history_uses_the_overall_rate():
    model = fit_renewal_model(decisions(ON, 80, renewed=2, lapsed=1) + decisions(OFF, 20, renewed=0, lapsed=1))
    assert model.method == OVERALL_RATE
    assert model.probability(status=OFF, score=20) == pytest.approx(0.5)


def test_with_enough_history_a_logistic_regression_ranks_on_track_members_above_off_track_ones():
    history = (
        decisions(ON, 80, renewed=45, lapsed=5) + decisions(OFF, 25, renewed=12, lapsed=28)
        + decisions(DRIFT, 50, renewed=12, lapsed=8)
    )
    model = fit_renewal_model(history)
    assert model.method == LOGISTIC
    on, off = model.probability(status=ON, score=80), model.probability(status=OFF, score=25)
    assert on is not None and off is not None
    assert 0.75 < on < 0.95 and 0.2 < off < 0.45
    assert model.cross_validated_auc is not None and model.cross_validated_auc > 0.7
    assert model.evidence()["decisions"] == 110


@pytest.mark.django_db
def test_a_past_decision_takes_the_vector_from_before_the_term_ended(as_of):
    past_decision(end_on=as_of - timedelta(days=30), renewed=False, status=OFF, score=20)
    assert past_decisions(as_of=as_of) == [Decision(OFF, 20, False)]


@pytest.mark.django_db
def test_a_vector_scored_after_the_term_ended_is_not_evidence_about_it(as_of):
    member = make_member()
    end_on = as_of - timedelta(days=30)
    make_term(member=member, start_on=end_on - timedelta(days=364), end_on=end_on,
              status=MembershipTerm.Status.RENEWED)
    make_vector(run=make_run(as_of=end_on + timedelta(days=1)), member=member, status=ON)
    assert past_decisions(as_of=as_of) == []


@pytest.mark.django_db
def test_terms_still_undecided_are_not_decisions(as_of):
    member = make_member()
    end_on = as_of - timedelta(days=5)
    make_term(member=member, start_on=end_on - timedelta(days=364), end_on=end_on)
    make_vector(run=make_run(as_of=end_on - timedelta(days=7)), member=member, status=ON)
    assert past_decisions(as_of=as_of) == []


@pytest.mark.django_db
def test_the_model_is_fitted_from_the_database_history(as_of):
    for i in range(6):
        past_decision(end_on=as_of - timedelta(days=10 + i), renewed=True, status=ON, score=80)
    model = renewal_model(as_of=as_of)
    assert (model.method, model.decisions, model.renewals) == (RATE_BY_STATUS, 6, 6)
