"""`msm worker`: run background jobs, and enqueue the day's scoring once the configured time has passed.

One loop, so a single process does both: every few seconds it recovers days whose worker died
mid-run, enqueues the day's scoring if it is due (at most once per date, however many workers run:
see daily.py) and the days it missed while it was down (at most MSM_SCORE_BACKFILL_DAYS, oldest
first), then runs every job waiting. A worker started late the same day still scores that day."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from rich.console import Console

QUEUE = "default"
BACKEND = "default"


def run_worker(
    *,
    once: bool,
    interval: float = 5.0,
    say: Callable[[str], None] | None = None,
    now: Callable[[], datetime] | None = None,
    handle_signals: bool = True,
) -> None:
    """Loop until stopped (SIGTERM/Ctrl+C let a running job finish); with `once`, one pass and return."""
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    from membersuccess.scoring.daily import (
        backfill_days,
        daily_scoring_days_due,
        daily_scoring_enqueue,
        daily_scoring_recover,
        score_at,
    )

    tell = say or (lambda _message: None)
    at, backfill = score_at(), backfill_days()
    # Batch mode: each pass runs every job that is ready, then comes back here. The job's worker id
    # names this host and process, so a job claimed by a worker that died can be recognised.
    jobs = Worker(
        queue_names=[QUEUE], interval=1.0, batch=True, backend_name=BACKEND, startup_delay=False,
        max_tasks=None, worker_id=f"{socket.gethostname()}:{os.getpid()}:{get_random_string(8)}",
        excluded_queue_names=[],
    )
    if handle_signals:
        jobs.configure_signals()
    while True:
        for record in daily_scoring_recover():
            tell(f"The scoring of {record.as_of} was {record.note}")
        # Oldest first: the jobs run in the order they were enqueued.
        for day in daily_scoring_days_due(now=now() if now else None, at=at, backfill=backfill):
            if daily_scoring_enqueue(as_of=day) is not None:
                tell(f"Enqueued the scoring of {day}")
        jobs.run()
        if once or not jobs.running:
            return
        time.sleep(interval)


def worker_command(*, once: bool, interval: float, data_dir: Path | None, out: Console, err: Console) -> None:
    """The body of `msm worker`: what it does goes to stderr as it happens."""
    from membersuccess.cli import _start

    _start(data_dir)
    from django.conf import settings

    from membersuccess.scoring.daily import score_at

    handler = logging.StreamHandler(err.file)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    # Jobs starting and finishing (failures with their traceback) and what each day's scoring did;
    # the database backend's own notes come once per pass, so only its warnings are shown.
    for name, level in (("django_tasks", logging.INFO), ("membersuccess.scoring", logging.INFO),
                        ("django_tasks_db", logging.WARNING)):
        log = logging.getLogger(name)
        log.setLevel(level)
        log.addHandler(handler)
        log.propagate = False
    if not once:
        out.print(
            f"Member Success worker: scoring every day at {score_at():%H:%M} ({settings.TIME_ZONE}); "
            "jobs run as they come (Ctrl+C to stop)", highlight=False,
        )
    run_worker(once=once, interval=interval, say=lambda message: err.print(message, highlight=False),
               handle_signals=not once)
