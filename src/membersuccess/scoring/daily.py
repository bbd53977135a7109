"""The daily scoring job: enqueue each day's run at most once, and run it without ever overlapping another.

`msm worker` calls `daily_scoring_enqueue` when the configured time has passed; the task
`score_daily` (tasks.py) calls `daily_scoring_run`. A DailyScoring row per date, with a unique
date, is both the guard against enqueuing a day twice (two workers, a restart) and the record
staff and admins read: scored, skipped and why, or failed and why."""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from membersuccess.errors import SetupError
from membersuccess.scoring.models import DailyScoring, ScoreRun
from membersuccess.scoring.services import ScoringBusy, score_run

logger = logging.getLogger(__name__)

# A daily run waits this long for a run already in progress (someone's `msm score`) before giving up the day.
WAIT_SECONDS = 3600.0


def score_at() -> time:
    """The local time of day the scoring is due, from MSM_SCORE_AT (HH:MM)."""
    raw = str(settings.SCORE_AT).strip()
    try:
        return time.fromisoformat(raw)
    except ValueError as error:
        raise SetupError(f"MSM_SCORE_AT {raw!r} is not a time of day: use HH:MM, e.g. 02:00") from error


def daily_scoring_due(*, now: datetime | None = None, at: time | None = None) -> date | None:
    """The date whose scoring should be enqueued now, or None before the day's scoring time."""
    local = timezone.localtime(now)
    return local.date() if local.time() >= (at or score_at()) else None


def daily_scoring_enqueue(*, as_of: date) -> DailyScoring | None:
    """Enqueue score_daily for `as_of` unless that date was already enqueued; returns the new record or None."""
    from membersuccess.scoring.tasks import score_daily

    if DailyScoring.objects.filter(as_of=as_of).exists():
        return None
    try:
        # The record and the job are written together: both or neither.
        with transaction.atomic():
            record = DailyScoring.objects.create(as_of=as_of)
            result = score_daily.enqueue(as_of=as_of.isoformat())
            record.task_id = str(result.id)
            record.save(update_fields=["task_id"])
    except IntegrityError:  # another worker enqueued the date a moment ago
        return None
    return record


def daily_scoring_run(*, as_of: date, wait_seconds: float = WAIT_SECONDS) -> dict[str, Any]:
    """Score `as_of` once: skip a date already scored, wait for a run in progress, record the outcome."""
    record, _ = DailyScoring.objects.get_or_create(as_of=as_of)
    done = ScoreRun.objects.filter(as_of=as_of, status=ScoreRun.Status.COMPLETED).order_by("-finished_at").first()
    if done is not None:
        note = f"already scored as of {as_of} (run {done.pk})"
        return _finish(record, DailyScoring.Status.SKIPPED, run=done, note=note)
    _mark(record, DailyScoring.Status.RUNNING)
    try:
        run = score_run(as_of=as_of, wait_seconds=wait_seconds)
    except ScoringBusy as busy:
        return _finish(record, DailyScoring.Status.SKIPPED, note=f"skipped after waiting {wait_seconds:.0f} s: {busy}")
    except BaseException as error:
        _finish(record, DailyScoring.Status.FAILED, note=str(error) or type(error).__name__)
        raise
    return _finish(record, DailyScoring.Status.SCORED, run=run, note=f"{run.members_scored:,} members scored")


def _mark(record: DailyScoring, status: str) -> None:
    record.status = status
    record.save(update_fields=["status"])


def _finish(record: DailyScoring, status: str, *, run: ScoreRun | None = None, note: str = "") -> dict[str, Any]:
    record.status, record.run, record.note, record.finished_at = status, run, note[:2000], timezone.now()
    record.save(update_fields=["status", "run", "note", "finished_at"])
    logger.info("Daily scoring of %s: %s (%s)", record.as_of, record.get_status_display().lower(), record.note)
    return {"as_of": record.as_of.isoformat(), "status": status, "run": run.pk if run else None, "note": record.note}
