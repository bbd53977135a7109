"""Dues at stake and value at risk: dues × (1 − renewal probability), to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from membersuccess.renewals.pipeline import value_at_risk_of
from membersuccess.renewals.probability import RATE_BY_STATUS, RenewalModel
from membersuccess.renewals.selectors import renewal_pipeline, value_at_risk
from membersuccess.scoring.models import VectorSnapshot
from tests.renewals.builders import renewing
from tests.web.vector_factories import make_run

pytestmark = pytest.mark.django_db

ON, OFF = VectorSnapshot.Status.ON_TRACK, VectorSnapshot.Status.OFF_TRACK
# 4 in 5 on-track members renewed, 1 in 4 off-track ones did.
MODEL = RenewalModel(
    method=RATE_BY_STATUS, decisions=30, renewals=19,
    rate_by_status={ON: 0.8, OFF: 0.25}, count_by_status={ON: 20, OFF: 10},
)


def test_value_at_risk_is_dues_times_the_chance_of_not_renewing():
    assert value_at_risk_of(dues=Decimal("200.00"), probability=0.8) == Decimal("40.00")
    assert value_at_risk_of(dues=Decimal("333.33"), probability=0.25) == Decimal("250.00")


def test_value_at_risk_is_unknown_when_the_probability_is():
    assert value_at_risk_of(dues=Decimal("200.00"), probability=None) is None


def test_each_row_carries_status_probability_dues_and_value_at_risk(as_of):
    run = make_run(as_of=as_of)
    renewing(as_of=as_of, ends_in_days=20, dues="400.00", run=run, status=OFF, name="Off")
    [row] = renewal_pipeline(as_of=as_of, window=30, model=MODEL).rows
    assert (row.vector_status, row.probability, row.dues, row.value_at_risk) == (
        OFF, 0.25, Decimal("400.00"), Decimal("300.00")
    )


def test_pipeline_totals_add_up_dues_and_value_at_risk(as_of):
    run = make_run(as_of=as_of)
    renewing(as_of=as_of, ends_in_days=20, dues="400.00", run=run, status=OFF)
    renewing(as_of=as_of, ends_in_days=25, dues="200.00", run=run, status=ON)
    pipeline = renewal_pipeline(as_of=as_of, window=30, model=MODEL)
    assert pipeline.dues_at_stake == Decimal("600.00")
    assert pipeline.value_at_risk == Decimal("340.00")


def test_an_unscored_member_gets_the_overall_observed_rate(as_of):
    renewing(as_of=as_of, ends_in_days=20, dues="100.00")
    [row] = renewal_pipeline(as_of=as_of, window=30, model=MODEL).rows
    assert row.vector_status is None
    assert row.probability == pytest.approx(19 / 30)


def test_value_at_risk_by_status_groups_the_terms_worst_status_first(as_of):
    run = make_run(as_of=as_of)
    renewing(as_of=as_of, ends_in_days=20, dues="400.00", run=run, status=OFF)
    renewing(as_of=as_of, ends_in_days=25, dues="200.00", run=run, status=ON)
    renewing(as_of=as_of, ends_in_days=26, dues="100.00", run=run, status=ON)
    groups = value_at_risk(as_of=as_of, window=30)
    assert [(g.status, g.terms, g.dues_at_stake) for g in groups] == [
        (OFF, 1, Decimal("400.00")), (ON, 2, Decimal("300.00"))
    ]
