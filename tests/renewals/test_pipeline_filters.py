"""Filter the pipeline by success status, segment and team; sort it; see only the members one works with."""

from __future__ import annotations

from decimal import Decimal

import pytest

from membersuccess.accounts.models import Role
from membersuccess.renewals.errors import RenewalError
from membersuccess.renewals.pipeline import parse_as_of
from membersuccess.renewals.probability import RATE_BY_STATUS, RenewalModel
from membersuccess.renewals.selectors import renewal_pipeline
from membersuccess.scoring.models import VectorSnapshot
from tests.factories import make_segment, make_staff_user, make_task, make_team
from tests.renewals.builders import renewing
from tests.web.vector_factories import make_run

pytestmark = pytest.mark.django_db

ON, OFF = VectorSnapshot.Status.ON_TRACK, VectorSnapshot.Status.OFF_TRACK
MODEL = RenewalModel(
    method=RATE_BY_STATUS, decisions=30, renewals=19,
    rate_by_status={ON: 0.8, OFF: 0.25}, count_by_status={ON: 20, OFF: 10},
)


def names(pipeline) -> list[str]:
    return [row.member_name for row in pipeline.rows]


@pytest.fixture
def three(as_of):
    run = make_run(as_of=as_of)
    early = make_segment(code="early", name="Early career")
    renewing(as_of=as_of, ends_in_days=10, dues="100.00", run=run, status=ON, name="Ann", segment=early)
    renewing(as_of=as_of, ends_in_days=20, dues="400.00", run=run, status=OFF, name="Ben")
    renewing(as_of=as_of, ends_in_days=5, dues="300.00", name="Cal")


def test_filter_by_success_status(as_of, three):
    assert names(renewal_pipeline(as_of=as_of, status=OFF, model=MODEL)) == ["Ben"]


def test_filter_members_not_scored_yet(as_of, three):
    assert names(renewal_pipeline(as_of=as_of, status="unscored", model=MODEL)) == ["Cal"]


def test_filter_by_segment(as_of, three):
    assert names(renewal_pipeline(as_of=as_of, segment="early", model=MODEL)) == ["Ann"]


def test_filter_by_team_of_the_success_manager_or_of_a_task(as_of):
    events = make_team(code="events")
    events_manager = make_staff_user(role=Role.SUCCESS_MANAGER, team=events)
    renewing(as_of=as_of, ends_in_days=10, name="Managed", success_manager=events_manager)
    tasked, _ = renewing(as_of=as_of, ends_in_days=11, name="Tasked")
    make_task(member=tasked, team=events)
    renewing(as_of=as_of, ends_in_days=12, name="Elsewhere")
    assert names(renewal_pipeline(as_of=as_of, team="events", model=MODEL)) == ["Managed", "Tasked"]


def test_sorted_soonest_end_first_by_default(as_of, three):
    assert names(renewal_pipeline(as_of=as_of, model=MODEL)) == ["Cal", "Ann", "Ben"]


def test_sorted_by_value_at_risk_largest_first(as_of, three):
    pipeline = renewal_pipeline(as_of=as_of, sort="-value_at_risk", model=MODEL)
    assert [(r.member_name, r.value_at_risk) for r in pipeline.rows] == [
        ("Ben", Decimal("300.00")), ("Cal", Decimal("110.00")), ("Ann", Decimal("20.00"))
    ]


def test_sorted_by_status_puts_off_track_first_and_unscored_last(as_of, three):
    assert names(renewal_pipeline(as_of=as_of, sort="status", model=MODEL)) == ["Ben", "Ann", "Cal"]


def test_staff_see_only_the_members_they_work_with(as_of):
    staff = make_staff_user(role=Role.STAFF)
    mine, _ = renewing(as_of=as_of, ends_in_days=10, name="Mine")
    make_task(member=mine, assignee=staff)
    renewing(as_of=as_of, ends_in_days=10, name="Not mine")
    assert names(renewal_pipeline(as_of=as_of, user=staff, model=MODEL)) == ["Mine"]


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"sort": "dues_owed"}, r"cannot sort the pipeline by 'dues_owed'; use one of ends, value_at_risk"),
        ({"status": "happy"}, r"unknown success status 'happy'; use one of on_track"),
        ({"segment": "nope"}, r"there is no segment with code 'nope'"),
        ({"team": "nope"}, r"there is no team with code 'nope'"),
    ],
)
def test_bad_criteria_are_refused_with_what_is_allowed(as_of, criteria, message):
    with pytest.raises(RenewalError, match=message):
        renewal_pipeline(as_of=as_of, **criteria)


@pytest.mark.parametrize("raw", ["2025-13-01", "01/06/2025", "tomorrow"])
def test_a_bad_date_is_refused_with_the_expected_format(raw):
    with pytest.raises(RenewalError, match=r"is not a date; write it as YYYY-MM-DD"):
        parse_as_of(raw, default=None)
