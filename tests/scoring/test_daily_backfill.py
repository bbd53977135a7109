"""A worker that was down scores the days it missed when it comes back: oldest first, once each, at most
MSM_SCORE_BACKFILL_DAYS of them before the latest due day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from membersuccess.errors import SetupError
from membersuccess.scoring.daily import backfill_days, daily_scoring_days_due
from membersuccess.scoring.models import DailyScoring, ScoreRun
from membersuccess.scoring.worker import run_worker
from tests.scoring.conftest import AS_OF

UTC = ZoneInfo("UTC")
TWO_AM = time(2, 0)


def at(hour: int, minute: int = 0, day: date = AS_OF) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def days_before(n: int) -> date:
    return AS_OF - timedelta(days=n)


def last_scored(day: date) -> None:
    DailyScoring.objects.create(as_of=day, status=DailyScoring.Status.SCORED)


@pytest.mark.django_db(transaction=True)
def test_days_missed_while_the_worker_was_down_are_scored_oldest_first_once_each(association):
    last_scored(days_before(3))

    run_worker(once=True, now=lambda: at(2, 30), handle_signals=False)
    run_worker(once=True, now=lambda: at(9, 0), handle_signals=False)

    expected = [days_before(2), days_before(1), AS_OF]
    runs = ScoreRun.objects.order_by("started_at")
    assert [run.as_of for run in runs] == expected
    assert {run.status for run in runs} == {ScoreRun.Status.COMPLETED}
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3 == DBTaskResult.objects.count()
    assert [r.status for r in DailyScoring.objects.filter(as_of__in=expected)] == [DailyScoring.Status.SCORED] * 3


def test_the_back_fill_reaches_back_at_most_the_configured_days(db):
    last_scored(days_before(30))
    assert daily_scoring_days_due(now=at(2, 30), at=TWO_AM, backfill=7) == [days_before(n) for n in range(7, -1, -1)]
    assert daily_scoring_days_due(now=at(2, 30), at=TWO_AM, backfill=0) == [AS_OF]


def test_before_the_scoring_time_the_missed_days_up_to_yesterday_are_due(db):
    last_scored(days_before(3))
    assert daily_scoring_days_due(now=at(1, 0), at=TWO_AM, backfill=7) == [days_before(2), days_before(1)]


def test_a_worker_that_missed_nothing_has_nothing_to_catch_up(db):
    last_scored(days_before(1))
    assert daily_scoring_days_due(now=at(1, 0), at=TWO_AM, backfill=7) == []
    assert daily_scoring_days_due(now=at(2, 0), at=TWO_AM, backfill=7) == [AS_OF]


def test_a_fresh_install_scores_only_today_once_its_time_has_passed(db):
    assert daily_scoring_days_due(now=at(1, 0), at=TWO_AM, backfill=7) == []
    assert daily_scoring_days_due(now=at(2, 0), at=TWO_AM, backfill=7) == [AS_OF]


@override_settings(SCORE_BACKFILL_DAYS="2")
def test_the_bound_comes_from_msm_score_backfill_days(db):
    last_scored(days_before(10))
    assert backfill_days() == 2
    assert daily_scoring_days_due(now=at(2, 30), at=TWO_AM) == [days_before(2), days_before(1), AS_OF]


@pytest.mark.parametrize("raw", ["a week", "-1", "400"])
def test_a_bad_msm_score_backfill_days_is_one_clear_line(db, raw):
    with override_settings(SCORE_BACKFILL_DAYS=raw), pytest.raises(
        SetupError, match=f"MSM_SCORE_BACKFILL_DAYS '{raw}' is not a number of days from 0 to 366"
    ):
        backfill_days()
