"""The pipeline lists active terms ending from today up to the window's last day, both included."""

from __future__ import annotations

from datetime import timedelta

import pytest

from membersuccess.members.models import MembershipTerm
from membersuccess.renewals.errors import RenewalError
from membersuccess.renewals.selectors import renewal_pipeline
from tests.factories import make_term
from tests.renewals.builders import renewing

pytestmark = pytest.mark.django_db


def names(pipeline) -> list[str]:
    return [row.member_name for row in pipeline.rows]


def test_a_term_ending_on_day_30_is_in_the_30_day_window(as_of):
    renewing(as_of=as_of, ends_in_days=30, name="Day thirty")
    assert names(renewal_pipeline(as_of=as_of, window=30)) == ["Day thirty"]


def test_a_term_ending_on_day_31_is_not_in_the_30_day_window_but_is_in_the_60_day_one(as_of):
    renewing(as_of=as_of, ends_in_days=31, name="Day thirty-one")
    assert names(renewal_pipeline(as_of=as_of, window=30)) == []
    assert names(renewal_pipeline(as_of=as_of, window=60)) == ["Day thirty-one"]


@pytest.mark.parametrize(("window", "last_day"), [(60, 60), (90, 90), (180, 180)])
def test_each_window_includes_its_last_day_and_not_the_next(as_of, window, last_day):
    renewing(as_of=as_of, ends_in_days=last_day, name="Last day")
    renewing(as_of=as_of, ends_in_days=last_day + 1, name="Day after")
    assert names(renewal_pipeline(as_of=as_of, window=window)) == ["Last day"]


def test_a_term_ending_today_is_in_the_pipeline_with_zero_days_left(as_of):
    renewing(as_of=as_of, ends_in_days=0, name="Today")
    [row] = renewal_pipeline(as_of=as_of, window=30).rows
    assert row.days_left == 0


def test_a_term_that_ended_yesterday_is_not_in_the_pipeline(as_of):
    renewing(as_of=as_of, ends_in_days=-1)
    assert renewal_pipeline(as_of=as_of, window=30).rows == []


def test_a_term_whose_renewal_is_recorded_is_not_in_the_pipeline(as_of):
    member, term = renewing(as_of=as_of, ends_in_days=10)
    term.status = MembershipTerm.Status.RENEWED
    term.save()
    make_term(member=member, start_on=term.end_on + timedelta(days=1))
    assert renewal_pipeline(as_of=as_of, window=30).rows == []


def test_the_default_window_is_90_days(as_of):
    renewing(as_of=as_of, ends_in_days=90, name="In")
    renewing(as_of=as_of, ends_in_days=91, name="Out")
    assert names(renewal_pipeline(as_of=as_of)) == ["In"]


@pytest.mark.parametrize("window", [0, 45, 365, -30])
def test_an_unknown_window_is_refused_naming_the_allowed_ones(as_of, window):
    with pytest.raises(RenewalError, match=r"window must be one of 30, 60, 90, 180 days, not "):
        renewal_pipeline(as_of=as_of, window=window)
