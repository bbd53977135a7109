"""The daily scoring job: enqueued once per day, scores once per date, never overlaps a run, and `msm worker --once`."""

from __future__ import annotations

import threading
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from typer.testing import CliRunner

from membersuccess.cli import app
from membersuccess.errors import SetupError
from membersuccess.scoring.daily import daily_scoring_due, daily_scoring_enqueue, daily_scoring_run, score_at
from membersuccess.scoring.models import DailyScoring, ScoreRun
from membersuccess.scoring.services import scoring_lock
from membersuccess.scoring.tasks import score_daily
from membersuccess.scoring.worker import run_worker
from tests.scoring.conftest import AS_OF

UTC = ZoneInfo("UTC")


def at(hour: int, minute: int = 0, day: date = AS_OF) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def test_enqueuing_the_same_day_twice_gives_one_job(db):
    assert daily_scoring_enqueue(as_of=AS_OF) is not None
    assert daily_scoring_enqueue(as_of=AS_OF) is None
    job = DBTaskResult.objects.get()
    assert job.task_path == "membersuccess.scoring.tasks.score_daily"
    assert job.args_kwargs["kwargs"]["as_of"] == AS_OF.isoformat()
    assert DailyScoring.objects.get().task_id == str(job.id)


def test_the_day_is_due_from_the_configured_local_time(db):
    assert daily_scoring_due(now=at(1, 59), at=time(2, 0)) is None
    assert daily_scoring_due(now=at(2, 0), at=time(2, 0)) == AS_OF
    assert daily_scoring_due(now=at(23, 30), at=time(2, 0)) == AS_OF  # a worker started late still scores the day


@override_settings(TIME_ZONE="America/New_York")
def test_the_day_is_the_local_one(db):
    # 03:00 UTC on July 1st is still June 30th in New York, 23:00 there.
    assert daily_scoring_due(now=at(3, 0, day=date(2024, 7, 1)), at=time(2, 0)) == date(2024, 6, 30)


@override_settings(SCORE_AT="2 am")
def test_a_bad_score_at_is_one_clear_line(db):
    with pytest.raises(SetupError, match="MSM_SCORE_AT '2 am' is not a time of day"):
        score_at()


def test_running_the_task_scores_once_and_again_is_idempotent(association):
    first = score_daily.call(as_of=AS_OF.isoformat())
    assert first["status"] == "scored"
    run = ScoreRun.objects.get(as_of=AS_OF)
    assert run.status == ScoreRun.Status.COMPLETED and first["run"] == run.pk
    second = score_daily.call(as_of=AS_OF.isoformat())
    assert second["status"] == "skipped" and "already scored" in second["note"]
    assert ScoreRun.objects.get(as_of=AS_OF) == run
    record = DailyScoring.objects.get(as_of=AS_OF)
    assert (record.status, record.run) == (DailyScoring.Status.SKIPPED, run)


def test_a_run_in_progress_is_not_interleaved_and_the_skip_is_recorded(association):
    with scoring_lock():
        outcome = daily_scoring_run(as_of=AS_OF, wait_seconds=0.2)
    assert outcome["status"] == "skipped"
    assert "another scoring run is in progress" in outcome["note"]
    assert not ScoreRun.objects.exists()
    record = DailyScoring.objects.get(as_of=AS_OF)
    assert record.status == DailyScoring.Status.SKIPPED and "another scoring run" in record.note


def test_the_task_waits_for_a_run_in_progress_then_scores(association):
    release, held = threading.Event(), threading.Event()

    def hold() -> None:
        with scoring_lock():
            held.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    threading.Timer(0.6, release.set).start()
    outcome = daily_scoring_run(as_of=AS_OF, wait_seconds=10)
    holder.join()
    assert outcome["status"] == "scored"


def test_a_failed_run_is_recorded_and_the_job_fails(association, monkeypatch):
    from membersuccess.scoring import daily

    monkeypatch.setattr(daily, "score_run", lambda **kwargs: (_ for _ in ()).throw(RuntimeError("disk full")))
    with pytest.raises(RuntimeError):
        daily_scoring_run(as_of=AS_OF)
    record = DailyScoring.objects.get(as_of=AS_OF)
    assert (record.status, record.note) == (DailyScoring.Status.FAILED, "disk full")


@pytest.mark.django_db(transaction=True)
def test_one_worker_pass_enqueues_the_due_day_runs_it_and_a_second_pass_adds_nothing(association):
    run_worker(once=True, now=lambda: at(2, 30), handle_signals=False)
    job = DBTaskResult.objects.get()
    assert job.status == "SUCCESSFUL", job.exception_class_path
    assert job.return_value["status"] == "scored"
    assert ScoreRun.objects.get(as_of=AS_OF).status == ScoreRun.Status.COMPLETED
    run_worker(once=True, now=lambda: at(9, 0), handle_signals=False)  # a restart later the same day
    assert DBTaskResult.objects.count() == 1
    assert ScoreRun.objects.filter(as_of=AS_OF).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_pass_before_the_scoring_time_enqueues_nothing(association):
    run_worker(once=True, now=lambda: at(1, 0), handle_signals=False)
    assert not DBTaskResult.objects.exists()
    assert not ScoreRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_msm_worker_once_runs_the_waiting_jobs_and_exits(association):
    score_daily.enqueue(as_of=AS_OF.isoformat())
    result = CliRunner().invoke(app, ["worker", "--once"])  # may also enqueue today, if past MSM_SCORE_AT
    assert result.exit_code == 0, result.output
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() >= 1
    assert ScoreRun.objects.get(as_of=AS_OF).status == ScoreRun.Status.COMPLETED
