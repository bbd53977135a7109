"""Writes of the scoring app: the signal configuration in force, and scoring runs.

Every caller (CLI, web, the daily task) goes through these functions."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from membersuccess.accounts.models import AuditEntry
from membersuccess.connection_loss import ConnectionLost, drop_connection, is_connection_lost, lost_message
from membersuccess.engine.backends import ENGINES, backend
from membersuccess.engine.run import compute_vectors
from membersuccess.engine.signals import (
    DEFAULT_CONFIG,
    ScoringConfig,
    SignalConfigError,
    config_from_dict,
    config_to_dict,
)
from membersuccess.scoring.achievements import record_rule_achievements
from membersuccess.scoring.locks import held_advisory_lock, held_file_lock, lock_path
from membersuccess.scoring.models import ScoreRun, SignalSet
from membersuccess.scoring.tables import delete_snapshots, previous_vectors, read_snapshot, write_snapshots

PG_LOCK_KEY = 0x4D534D53434F5245  # "MSMSCORE": one advisory lock for all scoring runs
LOCK_POLL_SECONDS = 0.5
# Advisory locks are re-entrant within one database session, so runs in one process also queue here.
_PROCESS_LOCK = threading.Lock()


class ScoringError(Exception):
    """A scoring run could not start or finish; the message says why in words staff understand."""


class ScoringBusy(ScoringError):
    """Another scoring run holds the lock."""


def config_of(signal_set: SignalSet) -> ScoringConfig:
    """The validated configuration stored in a signal set."""
    return config_from_dict(signal_set.definition)


def signal_set_active() -> SignalSet:
    """The signal set in force; the first call creates version 1 from the defaults."""
    active = SignalSet.objects.filter(is_active=True).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            return SignalSet.objects.create(
                version=1, definition=config_to_dict(DEFAULT_CONFIG), is_active=True,
                note="The default signals that ship with Member Success.",
            )
    except IntegrityError:  # another process created it first
        return SignalSet.objects.get(is_active=True)


def signal_set_save(*, definition: dict[str, Any], created_by: Any = None, note: str = "") -> SignalSet:
    """Validate a configuration and store it as a new active version; raises SignalConfigError."""
    config = config_from_dict(definition)
    with transaction.atomic():
        latest = SignalSet.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0
        SignalSet.objects.filter(is_active=True).update(is_active=False)
        signal_set = SignalSet.objects.create(
            version=latest + 1, definition=config_to_dict(config), is_active=True, note=note,
            created_by=created_by if getattr(created_by, "pk", None) else None,
        )
        AuditEntry.objects.create(
            actor=signal_set.created_by, action="signal_set_saved", object_type="signal_set",
            object_id=str(signal_set.version),
            detail={"version": signal_set.version, "note": note, "signals": len(config.signals)},
        )
    return signal_set


def score_run(
    *,
    as_of: date | None = None,
    engine: str = "duckdb",
    started_by: Any = None,
    progress: Callable[[str], None] | None = None,
    wait_seconds: float = 0,
) -> ScoreRun:
    """Score every active member as of a date and publish the vectors atomically.

    One completed run per as-of date: scoring a date again replaces that date's vectors, other dates
    stay as history. Runs never interleave: a second one waits up to `wait_seconds` for the lock and
    then raises ScoringBusy. Vectors become visible only when the run is completed; a failure marks
    the run failed and removes what it wrote, and a run killed half-way is cleaned up by the next.
    Milestones the rules find reached are recorded as achievements when, and only if, the run completes."""
    if engine not in ENGINES:
        raise ScoringError(f"unknown engine {engine!r}: use duckdb or spark")
    as_of = as_of or timezone.localdate()
    say = progress or (lambda _message: None)
    with scoring_lock(wait_seconds=wait_seconds):
        _clean_interrupted_runs()
        signal_set = signal_set_active()
        try:
            config = config_of(signal_set)
        except SignalConfigError as error:
            raise ScoringError(f"the active signals (v{signal_set.version}) cannot be used: {error}") from error
        run = ScoreRun.objects.create(
            as_of=as_of, engine=engine, signal_set=signal_set,
            started_by=started_by if getattr(started_by, "pk", None) else None,
        )
        try:
            _compute_and_publish(run=run, config=config, say=say)
        except BaseException as error:
            if is_connection_lost(error):
                raise _connection_lost(run, error) from error
            _fail(run, error)
            raise
    return run


def _connection_lost(run: ScoreRun, error: BaseException) -> ConnectionLost:
    """The database went away mid-run: its vectors were never visible; clean up now if the server is back."""
    message = lost_message(
        error, during=f"the scoring run for {run.as_of}",
        then="none of its vectors are shown: run msm score again",
    )
    drop_connection()
    # If the server is still unreachable, the next run cleans this one up, as after a kill.
    with contextlib.suppress(DatabaseError):
        _fail(run, ConnectionLost(message))
    return ConnectionLost(message)


def _compute_and_publish(*, run: ScoreRun, config: ScoringConfig, say: Callable[[str], None]) -> None:
    snapshot = read_snapshot(as_of=run.as_of, progress=say)
    sources: dict[str, Any] = dict(snapshot.tables)
    previous = previous_vectors(as_of=run.as_of)
    if previous is not None:
        sources["previous"] = previous
    say(f"Computing Success Vectors on {run.engine} from {snapshot.interactions:,} interactions")
    staging = Path(settings.DATA_DIR) / "scoring" / f"run-{run.pk}"
    if run.engine == "spark":
        staging.mkdir(parents=True, exist_ok=True)
    try:
        with backend(run.engine) as con:
            result = compute_vectors(
                con, sources, config=config, milestones=snapshot.milestones, as_of=run.as_of, staging=staging
            )
    finally:
        _remove_dir(staging)
    say(f"Writing {result.num_rows:,} vectors")
    written = write_snapshots(run=run, result=result, config=config, milestones=snapshot.milestones)
    with transaction.atomic():
        replaced = list(
            ScoreRun.objects.filter(as_of=run.as_of, status=ScoreRun.Status.COMPLETED)
            .exclude(pk=run.pk).values_list("pk", flat=True)
        )
        ScoreRun.objects.filter(pk__in=replaced).update(
            status=ScoreRun.Status.FAILED, error=f"replaced by run {run.pk} for the same date"
        )
        # In the same transaction as the flip to completed: a run that fails records no achievement.
        record_rule_achievements(result=result, milestones=snapshot.milestones, as_of=run.as_of)
        run.status = ScoreRun.Status.COMPLETED
        run.members_scored = written
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "members_scored", "finished_at"])
    # The replaced runs are already invisible; their rows go afterwards, in short transactions.
    delete_snapshots(run_ids=replaced)
    ScoreRun.objects.filter(pk__in=replaced).delete()


def _fail(run: ScoreRun, error: BaseException) -> None:
    message = str(error) or type(error).__name__
    ScoreRun.objects.filter(pk=run.pk).update(
        status=ScoreRun.Status.FAILED, error=message[:2000], finished_at=timezone.now()
    )
    run.refresh_from_db()
    delete_snapshots(run_ids=[run.pk])


def _clean_interrupted_runs() -> None:
    """Runs still 'running' while we hold the lock were killed: mark them failed and drop their rows."""
    stale = list(ScoreRun.objects.filter(status=ScoreRun.Status.RUNNING).values_list("pk", flat=True))
    if stale:
        ScoreRun.objects.filter(pk__in=stale).update(
            status=ScoreRun.Status.FAILED, error="interrupted before it completed", finished_at=timezone.now()
        )
        delete_snapshots(run_ids=stale)


def _remove_dir(path: Path) -> None:
    if not path.exists():
        return
    for child in sorted(path.rglob("*"), reverse=True):
        child.rmdir() if child.is_dir() else child.unlink()
    path.rmdir()


@contextmanager
def scoring_lock(*, wait_seconds: float = 0) -> Iterator[None]:
    """Hold the one scoring lock: a PostgreSQL advisory lock, or a file lock beside the SQLite database."""
    deadline = time.monotonic() + max(0.0, wait_seconds)
    if wait_seconds > 0:
        acquired = _PROCESS_LOCK.acquire(timeout=wait_seconds)
    else:
        acquired = _PROCESS_LOCK.acquire(blocking=False)
    if not acquired:
        raise _busy()
    try:
        with _database_lock(deadline):
            yield
    finally:
        _PROCESS_LOCK.release()


@contextmanager
def _database_lock(deadline: float) -> Iterator[None]:
    if connection.vendor == "postgresql":
        with held_advisory_lock(PG_LOCK_KEY, wait=lambda: _wait_or_busy(deadline)):
            yield
        return
    with held_file_lock(_lock_path(), wait=lambda: _wait_or_busy(deadline)):
        yield


def _lock_path() -> Path:
    return lock_path("scoring-lock")


def _wait_or_busy(deadline: float) -> None:
    if time.monotonic() >= deadline:
        raise _busy()
    time.sleep(LOCK_POLL_SECONDS)


def _busy() -> ScoringBusy:
    running = ScoreRun.objects.filter(status=ScoreRun.Status.RUNNING).order_by("-started_at").first()
    detail = f" (as of {running.as_of}, started {running.started_at:%Y-%m-%d %H:%M})" if running else ""
    return ScoringBusy(f"another scoring run is in progress{detail}; try again when it has finished")
