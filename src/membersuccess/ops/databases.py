"""Talking to the two databases for backup and restore: SQLite files directly, PostgreSQL through its tools."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from membersuccess.ops.manifest import BackupError

# Files the SQLite database keeps beside itself; copied through the backup API, never as files.
SQLITE_SIDE_SUFFIXES = ("", "-wal", "-shm", "-journal", ".scoring-lock")


# --- SQLite -----------------------------------------------------------------------------------------


@contextmanager
def sqlite_connection(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    try:
        db = sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise BackupError(f"Cannot open the SQLite database {path}: {exc}") from exc
    try:
        yield db
    finally:
        db.close()


def sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [str(name) for (name,) in rows]


def sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    return {table: int(db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]) for table in sqlite_tables(db)}


def sqlite_migrations(db: sqlite3.Connection) -> dict[str, list[str]]:
    if "django_migrations" not in sqlite_tables(db):
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in db.execute("SELECT app, name FROM django_migrations"):
        applied.setdefault(str(app), []).append(str(name))
    return applied


def sqlite_copy(*, source: Path, destination: Path) -> None:
    """Copy a live SQLite database with the online backup API, in one step.

    One step holds a read transaction for the whole copy, so the copy is one consistent moment even
    while the app writes (WAL: readers and the writer do not block each other); a copy in several
    steps would restart every time another connection writes."""
    with sqlite_connection(source, read_only=True) as src, sqlite_connection(destination) as dst:
        try:
            src.backup(dst)
        except sqlite3.Error as exc:
            raise BackupError(f"Copying the SQLite database {source} failed: {exc}") from exc


def sqlite_check(path: Path) -> None:
    with sqlite_connection(path) as db:
        try:
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not a usable SQLite database: {exc}") from exc
    if verdict != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {verdict}")


# --- PostgreSQL -------------------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """The path of pg_dump or pg_restore, or a BackupError saying how to get it."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"PostgreSQL backups need {name}, which is not installed or not on PATH: install the PostgreSQL "
            "client tools of your server's major version (Debian/Ubuntu: apt install postgresql-client)."
        )
    return found


def pg_command_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore, with the password in the environment, not argv."""
    args = ["--dbname", str(settings_dict["NAME"])]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def run_pg_tool(command: list[str], *, env: dict[str, str], what: str) -> None:
    """Run pg_dump or pg_restore; a failure becomes one BackupError with the tool's own first lines."""
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        detail = " / ".join(lines[:3]) or f"exit code {result.returncode}"
        raise BackupError(f"{what} failed: {detail}")
