"""Locks held by one process at a time and released when that process ends, even under kill -9:
a PostgreSQL advisory lock (it ends with its session) or a file lock beside the SQLite database."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

from membersuccess.connection_loss import drop_connection, is_connection_lost


def lock_path(suffix: str) -> Path:
    """The lock file for `suffix` beside the database file (or in the data directory for an in-memory one)."""
    name = str(connection.settings_dict.get("NAME") or "")
    if name and "memory" not in name:
        return Path(f"{name}.{suffix}")
    return Path(settings.DATA_DIR) / suffix.replace("-", ".")


@contextmanager
def held_file_lock(path: Path, *, wait: Callable[[], None]) -> Iterator[None]:
    """Hold an exclusive lock on `path`, calling `wait` between tries (it sleeps, or raises to give up);
    the file names the holder's process id while it is held."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                wait()
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def held_advisory_lock(key: int, *, wait: Callable[[], None]) -> Iterator[None]:
    """Hold the PostgreSQL session lock `key`, calling `wait` between tries (it sleeps, or raises to give up)."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if cursor.fetchone()[0]:
                break
            wait()
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        except DatabaseError as error:
            if not is_connection_lost(error):
                raise
            # The session that held the lock is gone, and PostgreSQL released the lock with it.
            drop_connection()
