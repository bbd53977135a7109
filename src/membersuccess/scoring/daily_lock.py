"""The daily job's own lock: held by whichever worker is running a day's scoring, from start to recorded outcome.

A DailyScoring row says "running" only while its worker holds this lock, and the lock dies with the
process that holds it (a PostgreSQL session lock ends with its connection, a file lock with its
process, even under kill -9). So a row still "running" while the lock is free was left by a worker
that died, and the next worker pass can say so and run the day again (daily.py). It is separate from
the scoring lock because a daily run also holds it while it waits for someone's `msm score`."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from membersuccess.scoring.locks import held_advisory_lock, held_file_lock, lock_path

PG_LOCK_KEY = 0x4D534D4441494C59  # "MSMDAILY"
POLL_SECONDS = 0.5
# PostgreSQL advisory locks are re-entrant within one session: threads of one process also queue here.
_PROCESS_LOCK = threading.Lock()


class DailyBusy(Exception):
    """Another worker is running a day's scoring."""


@contextmanager
def daily_lock(*, wait_seconds: float = 0) -> Iterator[None]:
    """Hold the daily job's lock, waiting up to `wait_seconds`; raises DailyBusy when it stays taken."""
    deadline = time.monotonic() + max(0.0, wait_seconds)
    acquired = _PROCESS_LOCK.acquire(timeout=wait_seconds) if wait_seconds > 0 else _PROCESS_LOCK.acquire(False)
    if not acquired:
        raise DailyBusy("another worker is running a day's scoring")
    try:
        if connection.vendor == "postgresql":
            with _advisory_lock(deadline):
                yield
        else:
            with _file_lock(deadline):
                yield
    finally:
        _PROCESS_LOCK.release()


@contextmanager
def _advisory_lock(deadline: float) -> Iterator[None]:
    with held_advisory_lock(PG_LOCK_KEY, wait=lambda: _wait_or_busy(deadline)):
        yield


@contextmanager
def _file_lock(deadline: float) -> Iterator[None]:
    with held_file_lock(_lock_path(), wait=lambda: _wait_or_busy(deadline)):
        yield


def _lock_path() -> Path:
    return lock_path("daily-lock")


def _wait_or_busy(deadline: float) -> None:
    if time.monotonic() >= deadline:
        raise DailyBusy("another worker is running a day's scoring")
    time.sleep(POLL_SECONDS)
