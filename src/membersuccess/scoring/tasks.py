"""Background tasks of scoring, run by `msm worker` (django-tasks with its database backend)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django_tasks import task

from membersuccess.scoring.daily import WAIT_SECONDS, daily_scoring_run


@task()
def score_daily(as_of: str | None = None, wait_seconds: float = WAIT_SECONDS) -> dict[str, Any]:
    """Score every active member as of `as_of` (ISO date; default today), once per date."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    return daily_scoring_run(as_of=day, wait_seconds=wait_seconds)
