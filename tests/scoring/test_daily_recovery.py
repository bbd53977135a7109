"""A day whose worker died mid-run (kill -9, a crash, the machine lost) is said to be interrupted, with why,
and scored again by the next worker pass; a day a live worker is on is left alone."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time as clock
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from membersuccess.accounts.models import Role
from membersuccess.scoring import daily_lock as daily_lock_module
from membersuccess.scoring.daily import MAX_ATTEMPTS, daily_scoring_recover
from membersuccess.scoring.models import DailyScoring, ScoreRun
from membersuccess.scoring.services import signal_set_active
from membersuccess.scoring.tasks import score_daily
from membersuccess.scoring.worker import run_worker
from tests.factories import make_staff_user
from tests.scoring.conftest import AS_OF

UTC = ZoneInfo("UTC")
INTERRUPTED_JOB = "membersuccess.scoring.daily.DailyScoringInterrupted"


def at(hour: int, minute: int = 0, day: date = AS_OF) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def claimed_job(as_of: date, *, worker_id: str) -> DBTaskResult:
    job = DBTaskResult.objects.get(id=score_daily.enqueue(as_of=as_of.isoformat()).id)
    job.claim(worker_id)
    return job


def killed_mid_run(as_of: date = AS_OF, *, attempts: int = 1) -> DailyScoring:
    """What a worker killed with kill -9 while scoring leaves: the day running, its job claimed, its run running."""
    job = claimed_job(as_of, worker_id="gone-host:4242:abcdefgh")
    ScoreRun.objects.create(as_of=as_of, signal_set=signal_set_active())
    return DailyScoring.objects.create(
        as_of=as_of, task_id=str(job.id), status=DailyScoring.Status.RUNNING, started_at=timezone.now(),
        worker="gone-host pid 4242", attempts=attempts,
    )


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.django_db(transaction=True)
def test_a_day_left_running_by_a_dead_worker_is_marked_interrupted_and_scored_again(association):
    stale = killed_mid_run()
    said: list[str] = []

    run_worker(once=True, now=lambda: at(9, 0), handle_signals=False, say=said.append)

    record = DailyScoring.objects.get(as_of=AS_OF)
    assert record.status == DailyScoring.Status.SCORED
    assert record.attempts == 2
    assert record.note.startswith("2 members scored at attempt 2; before: interrupted: the worker running it "
                                  "(gone-host pid 4242, started ")
    assert "stopped before it finished (killed, crashed or out of memory)" in record.note
    assert said[0].startswith(f"The scoring of {AS_OF} was interrupted: the worker running it (gone-host pid 4242")
    old_job = DBTaskResult.objects.get(id=stale.task_id)
    assert (old_job.status, old_job.exception_class_path) == ("FAILED", INTERRUPTED_JOB)
    assert DBTaskResult.objects.get(id=record.task_id).status == "SUCCESSFUL"
    runs = list(ScoreRun.objects.filter(as_of=AS_OF).order_by("pk").values_list("status", "error"))
    assert runs == [
        ("failed", "interrupted: the process scoring it stopped before it finished (killed, crashed or out of "
                   "memory); the worker scores the day again"),
        ("completed", ""),
    ]


# Another process holding the daily lock the way a live worker does, until its stdin closes or it is killed.
HOLD_THE_DAILY_LOCK = """
import sys
kind, target, key = sys.argv[1:4]
if kind == "file":
    import fcntl
    handle = open(target, "a+")
    fcntl.flock(handle, fcntl.LOCK_EX)
else:
    import psycopg
    db = psycopg.connect(target, autocommit=True)
    db.execute("SELECT pg_advisory_lock(%s)", [int(key)])
print("held", flush=True)
sys.stdin.read()
"""


def live_worker() -> subprocess.Popen[str]:
    """A process holding the daily lock, as a worker scoring a day does."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        login = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        target = f"postgresql://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        kind = "postgresql"
    else:
        kind, target = "file", str(daily_lock_module._lock_path())
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_DAILY_LOCK, kind, target, str(daily_lock_module.PG_LOCK_KEY)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_a_day_a_live_worker_is_scoring_is_left_alone_and_recovered_once_that_worker_is_killed(association):
    killed_mid_run()
    worker = live_worker()
    try:
        assert daily_scoring_recover() == []
        assert DailyScoring.objects.get().status == DailyScoring.Status.RUNNING
        assert ScoreRun.objects.get().status == ScoreRun.Status.RUNNING
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)

    deadline = clock.monotonic() + 10  # PostgreSQL ends the dead client's session, and its lock, within moments
    while not (recovered := daily_scoring_recover()) and clock.monotonic() < deadline:
        clock.sleep(0.1)
    assert [record.status for record in recovered] == [DailyScoring.Status.INTERRUPTED]
    assert ScoreRun.objects.get().status == ScoreRun.Status.FAILED


def test_the_portfolio_says_why_the_interrupted_run_did_not_complete(association):
    killed_mid_run()
    daily_scoring_recover()
    client = Client()
    client.force_login(make_staff_user(role=Role.ADMIN))
    html = client.get("/portfolio/").content.decode()
    assert "did not complete" in html and "still going" not in html
    assert "interrupted: the process scoring it stopped before it finished" in html


def test_a_day_interrupted_too_often_is_failed_with_what_to_do_and_not_tried_again(association):
    stale = killed_mid_run(attempts=MAX_ATTEMPTS)
    daily_scoring_recover()
    record = DailyScoring.objects.get()
    assert record.status == DailyScoring.Status.FAILED
    assert record.note.endswith(f"{MAX_ATTEMPTS} attempts were interrupted, so it is not tried again: "
                                f"find the cause, then run msm score --as-of {AS_OF}")
    assert record.task_id == stale.task_id
    assert not DBTaskResult.objects.ready().exists()


def test_a_job_claimed_by_a_worker_of_this_machine_that_died_before_starting_the_day_is_run_again(association):
    job = claimed_job(AS_OF, worker_id=f"{socket.gethostname()}:{dead_pid()}:abcdefgh")
    DailyScoring.objects.create(as_of=AS_OF, task_id=str(job.id))

    [record] = daily_scoring_recover()

    assert record.status == DailyScoring.Status.INTERRUPTED
    assert DBTaskResult.objects.get(id=job.id).status == "FAILED"
    assert DBTaskResult.objects.ready().get().id == DBTaskResult.objects.get(id=record.task_id).id


def test_a_job_claimed_by_a_live_worker_is_left_alone(association):
    job = claimed_job(AS_OF, worker_id=f"{socket.gethostname()}:{os.getpid()}:abcdefgh")
    DailyScoring.objects.create(as_of=AS_OF, task_id=str(job.id))
    assert daily_scoring_recover() == []
    assert DBTaskResult.objects.get(id=job.id).status == "RUNNING"
