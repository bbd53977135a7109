"""The daily scoring job: enqueue each day's run at most once, run it without ever overlapping another,
catch up the days a stopped worker missed, and recover a day whose worker died mid-run.

`msm worker` calls `daily_scoring_recover` and `daily_scoring_enqueue` on every pass; the task
`score_daily` (tasks.py) calls `daily_scoring_run`. A DailyScoring row per date, with a unique
date, is both the guard against enqueuing a day twice (two workers, a restart) and the record
staff and admins read: scored, skipped and why, failed and why, or interrupted and run again."""

from __future__ import annotations

import logging
import os
import socket
import time as clock
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from membersuccess.errors import SetupError
from membersuccess.scoring.daily_lock import DailyBusy, daily_lock
from membersuccess.scoring.models import DailyScoring, ScoreRun
from membersuccess.scoring.services import ScoringBusy, score_run, scoring_lock
from membersuccess.scoring.tables import delete_snapshots

logger = logging.getLogger(__name__)

# A daily run waits this long for a run already in progress (someone's `msm score`) before giving up the day.
WAIT_SECONDS = 3600.0
# A day whose worker died this many times is not run again by itself: something kills it every time
# (out of memory, a deployment restarting the worker too early), and a person has to look.
MAX_ATTEMPTS = 3


class DailyScoringInterrupted(Exception):
    """The worker running a day's scoring died before it finished; recorded on its job's result."""


def score_at() -> time:
    """The local time of day the scoring is due, from MSM_SCORE_AT (HH:MM)."""
    raw = str(settings.SCORE_AT).strip()
    try:
        return time.fromisoformat(raw)
    except ValueError as error:
        raise SetupError(f"MSM_SCORE_AT {raw!r} is not a time of day: use HH:MM, e.g. 02:00") from error


def backfill_days() -> int:
    """How many missed days before the latest due one a returning worker scores, from MSM_SCORE_BACKFILL_DAYS."""
    raw = str(settings.SCORE_BACKFILL_DAYS).strip()
    if not raw.isdigit() or int(raw) > 366:
        raise SetupError(f"MSM_SCORE_BACKFILL_DAYS {raw!r} is not a number of days from 0 to 366, e.g. 7")
    return int(raw)


def worker_label() -> str:
    """This process as staff need it to find a worker: host and pid."""
    return f"{socket.gethostname()} pid {os.getpid()}"


def daily_scoring_due(*, now: datetime | None = None, at: time | None = None) -> date | None:
    """The date whose scoring should be enqueued now, or None before the day's scoring time."""
    local = timezone.localtime(now)
    return local.date() if local.time() >= (at or score_at()) else None


def daily_scoring_days_due(
    *, now: datetime | None = None, at: time | None = None, backfill: int | None = None
) -> list[date]:
    """The dates to enqueue now, oldest first: the latest due day and the days missed since the last one enqueued.

    The latest due day is today once the scoring time has passed, else yesterday. Missed days are
    those after the newest DailyScoring row, at most `backfill` of them before the latest due day, so
    a worker down for a month scores the last week, not thirty days. On a fresh install (no row yet)
    nothing is back-filled: only today, once its time has passed."""
    local = timezone.localtime(now)
    today = local.date()
    latest_due = today if local.time() >= (at or score_at()) else today - timedelta(days=1)
    last = DailyScoring.objects.aggregate(last=Max("as_of"))["last"]
    if last is None:
        return [today] if latest_due == today else []
    earliest = latest_due - timedelta(days=backfill_days() if backfill is None else backfill)
    first = max(last + timedelta(days=1), earliest)
    return [first + timedelta(days=n) for n in range((latest_due - first).days + 1)]


def daily_scoring_enqueue(*, as_of: date) -> DailyScoring | None:
    """Enqueue score_daily for `as_of` unless that date was already enqueued; returns the new record or None."""
    if DailyScoring.objects.filter(as_of=as_of).exists():
        return None
    try:
        # The record and the job are written together: both or neither.
        with transaction.atomic():
            record = DailyScoring.objects.create(as_of=as_of)
            _enqueue_job(record)
    except IntegrityError:  # another worker enqueued the date a moment ago
        return None
    return record


def daily_scoring_run(*, as_of: date, wait_seconds: float = WAIT_SECONDS) -> dict[str, Any]:
    """Score `as_of` once: skip a date already scored, wait for a run in progress, record the outcome."""
    record, _ = DailyScoring.objects.get_or_create(as_of=as_of)
    deadline = clock.monotonic() + wait_seconds
    try:
        # Held from "running" to the recorded outcome: a row left "running" with the lock free is stale.
        with daily_lock(wait_seconds=wait_seconds):
            record.refresh_from_db()
            return _score(record, wait_seconds=max(0.0, deadline - clock.monotonic()))
    except DailyBusy as busy:
        return _finish(record, DailyScoring.Status.SKIPPED, note=f"skipped after waiting {wait_seconds:.0f} s: {busy}")


def daily_scoring_recover() -> list[DailyScoring]:
    """Days whose worker died mid-run (kill -9, a crash, the machine lost): say so, and enqueue them again.

    A row is "running" only while a live worker holds the daily lock, so rows still "running" when
    the lock is free were left by a dead one. A job claimed by a worker of this machine whose process
    is gone is stale too (it died before the day started). Each such day is marked interrupted with
    the reason, its job result and its scoring run are marked failed (so the admin and the portfolio
    say why instead of "still going"), and it is enqueued again — up to MAX_ATTEMPTS times."""
    if not _stale_records():
        return []
    try:
        with daily_lock(wait_seconds=0):
            stale = _stale_records()
            _fail_interrupted_runs(as_of={record.as_of for record in stale})
            return [_interrupted(record) for record in sorted(stale, key=lambda r: r.as_of)]
    except DailyBusy:  # a day is being scored right now: look again on a later pass
        return []


def _score(record: DailyScoring, *, wait_seconds: float) -> dict[str, Any]:
    done = ScoreRun.objects.filter(as_of=record.as_of, status=ScoreRun.Status.COMPLETED).order_by("-finished_at")
    if (latest := done.first()) is not None:
        note = f"already scored as of {record.as_of} (run {latest.pk})"
        return _finish(record, DailyScoring.Status.SKIPPED, run=latest, note=note)
    earlier = record.note if record.status == DailyScoring.Status.INTERRUPTED else ""
    record.status, record.started_at, record.worker = DailyScoring.Status.RUNNING, timezone.now(), worker_label()
    record.attempts += 1
    record.save(update_fields=["status", "started_at", "worker", "attempts"])
    try:
        run = score_run(as_of=record.as_of, wait_seconds=wait_seconds)
    except ScoringBusy as busy:
        return _finish(record, DailyScoring.Status.SKIPPED, note=f"skipped after waiting {wait_seconds:.0f} s: {busy}")
    except BaseException as error:
        _finish(record, DailyScoring.Status.FAILED, note=str(error) or type(error).__name__)
        raise
    note = f"{run.members_scored:,} members scored"
    if earlier:
        note += f" at attempt {record.attempts}; before: {earlier}"
    return _finish(record, DailyScoring.Status.SCORED, run=run, note=note)


def _finish(record: DailyScoring, status: str, *, run: ScoreRun | None = None, note: str = "") -> dict[str, Any]:
    record.status, record.run, record.note, record.finished_at = status, run, note[:2000], timezone.now()
    record.save(update_fields=["status", "run", "note", "finished_at"])
    logger.info("Daily scoring of %s: %s (%s)", record.as_of, record.get_status_display().lower(), record.note)
    return {"as_of": record.as_of.isoformat(), "status": status, "run": run.pk if run else None, "note": record.note}


def _enqueue_job(record: DailyScoring) -> None:
    from membersuccess.scoring.tasks import score_daily

    result = score_daily.enqueue(as_of=record.as_of.isoformat())
    record.task_id = str(result.id)
    record.save(update_fields=["task_id"])


def _interrupted(record: DailyScoring) -> DailyScoring:
    """Record why the day stopped, fail its job, and enqueue it again unless it has been tried enough."""
    started = f", started {timezone.localtime(record.started_at):%Y-%m-%d %H:%M}" if record.started_at else ""
    who = f" ({record.worker}{started})" if record.worker else ""
    reason = f"interrupted: the worker running it{who} stopped before it finished (killed, crashed or out of memory)"
    with transaction.atomic():
        if record.task_id:
            DBTaskResult.objects.filter(id=record.task_id, status__in=["RUNNING", "READY"]).update(
                status="FAILED", finished_at=timezone.now(), traceback=reason,
                exception_class_path=f"{DailyScoringInterrupted.__module__}.{DailyScoringInterrupted.__qualname__}",
            )
        if record.attempts >= MAX_ATTEMPTS:
            note = (f"{reason}; {record.attempts} attempts were interrupted, so it is not tried again: "
                    f"find the cause, then run msm score --as-of {record.as_of}")
            _finish(record, DailyScoring.Status.FAILED, note=note)
        else:
            record.status, record.note = DailyScoring.Status.INTERRUPTED, f"{reason}; enqueued again"
            record.save(update_fields=["status", "note"])
            _enqueue_job(record)
    logger.warning("Daily scoring of %s: %s", record.as_of, record.note)
    return record


def _fail_interrupted_runs(*, as_of: set[date]) -> None:
    """Scoring runs left 'running' by a dead process: failed, with the reason the portfolio shows staff.

    Only while the scoring lock is free (no live run anywhere); otherwise the next run cleans them up."""
    try:
        with scoring_lock(wait_seconds=0):
            for run in ScoreRun.objects.filter(status=ScoreRun.Status.RUNNING):
                again = "; the worker scores the day again" if run.as_of in as_of else ""
                ScoreRun.objects.filter(pk=run.pk).update(
                    status=ScoreRun.Status.FAILED, finished_at=timezone.now(),
                    error=f"interrupted: the process scoring it stopped before it finished "
                          f"(killed, crashed or out of memory){again}",
                )
                delete_snapshots(run_ids=[run.pk])
    except ScoringBusy:
        return


def _stale_records() -> list[DailyScoring]:
    """Unfinished days that no live worker is on, provided the daily lock is free."""
    unfinished = DailyScoring.objects.filter(
        status__in=[DailyScoring.Status.RUNNING, DailyScoring.Status.ENQUEUED, DailyScoring.Status.INTERRUPTED]
    )
    return [r for r in unfinished if r.status == DailyScoring.Status.RUNNING or _claimed_by_dead_process(r)]


def _claimed_by_dead_process(record: DailyScoring) -> bool:
    """Whether the record's job was claimed by a worker of this machine whose process has gone."""
    if record.status == DailyScoring.Status.RUNNING or not record.task_id:
        return False
    job = DBTaskResult.objects.filter(id=record.task_id, status="RUNNING").only("worker_ids").first()
    if job is None or not job.worker_ids:
        return False
    host, _, rest = str(job.worker_ids[-1]).partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname() and pid.isdigit() and not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
