"""`msm backup DIR`: a consistent copy of the database and of every file the product keeps in the data directory.

The database is copied while the app runs: SQLite through its online backup API, PostgreSQL with
pg_dump on a snapshot exported from the same transaction that counts the rows, so the manifest's
counts describe exactly what the dump holds."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from membersuccess.ops.databases import (
    SQLITE_SIDE_SUFFIXES,
    pg_command_env,
    pg_tool,
    run_pg_tool,
    sqlite_check,
    sqlite_connection,
    sqlite_copy,
    sqlite_counts,
    sqlite_migrations,
)
from membersuccess.ops.manifest import (
    FILES_DIR,
    BackedUpFile,
    BackupError,
    Manifest,
    product_version,
    sha256_of,
    write_manifest,
)

# Working files of a scoring run in progress: rebuilt by every run, never worth keeping.
TRANSIENT_DIRS = ("scoring",)
TRANSIENT_FILES = ("scoring.lock",)


def backup_create(*, target: Path, say: Callable[[str], None] | None = None) -> Manifest:
    """Back up the configured database and data directory into target, which must be new or empty."""
    tell = say or (lambda _message: None)
    target = target.resolve()
    data_dir = Path(settings.DATA_DIR).resolve()
    _check_target(target, data_dir=data_dir)
    target.mkdir(parents=True, exist_ok=True)
    target.chmod(0o700)  # personal data and the secret key: readable by the owner only
    vendor = connection.vendor
    if vendor == "sqlite":
        tell("Copying the SQLite database")
        counts, migrations = _backup_sqlite(target)
    elif vendor == "postgresql":
        tell("Dumping the PostgreSQL database with pg_dump")
        counts, migrations = _backup_postgres(target)
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported: use SQLite or PostgreSQL.")
    tell("Copying the data directory")
    files = _copy_files(data_dir=data_dir, target=target / FILES_DIR)
    manifest = Manifest(
        version=product_version(),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        vendor=vendor,
        counts=counts,
        migrations=migrations,
        files=files,
    )
    write_manifest(target, manifest)
    return manifest


def _check_target(target: Path, *, data_dir: Path) -> None:
    if target == data_dir or target.is_relative_to(data_dir):
        raise BackupError(
            f"The backup directory {target} is inside the data directory {data_dir}: choose a place outside it, "
            "ideally on another disk."
        )
    if target.exists() and not target.is_dir():
        raise BackupError(f"{target} is a file: give a new or empty directory for the backup.")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: give a new or empty directory, so no older backup is mixed in.")


def _backup_sqlite(target: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    source = Path(connection.settings_dict["NAME"])
    if not source.exists():
        raise BackupError(f"There is no database at {source}: run `msm init` first.")
    copy = target / Manifest(version="", created_at="", vendor="sqlite", counts={}, migrations={}).database_file
    sqlite_copy(source=source, destination=copy)
    with sqlite_connection(copy) as db:
        db.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    sqlite_check(copy)
    with sqlite_connection(copy, read_only=True) as db:
        return sqlite_counts(db), sqlite_migrations(db)


def _backup_postgres(target: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    pg_dump = pg_tool("pg_dump")
    args, env = pg_command_env(connection.settings_dict)
    dump = target / "database.pgdump"
    with transaction.atomic(), connection.cursor() as cursor:
        # The counts and the dump read the same snapshot, whatever is written meanwhile.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
        migrations: dict[str, list[str]] = {}
        if "django_migrations" in tables:
            cursor.execute("SELECT app, name FROM django_migrations")
            for app, name in cursor.fetchall():
                migrations.setdefault(str(app), []).append(str(name))
        run_pg_tool(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "--file",
                str(dump),
                *args,
            ],
            env=env,
            what="pg_dump",
        )
    return counts, migrations


def is_database_file(path: Path) -> bool:
    """The SQLite database and its side files live in the data directory but go through the backup API."""
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor != "sqlite" or not name:
        return False
    database = Path(name).resolve()
    return any(str(path) == str(database) + suffix for suffix in SQLITE_SIDE_SUFFIXES)


def _copy_files(*, data_dir: Path, target: Path) -> list[BackedUpFile]:
    copied: list[BackedUpFile] = []
    if not data_dir.exists():
        return copied
    for root, dirs, names in os.walk(data_dir):
        here = Path(root)
        if here == data_dir:
            dirs[:] = [d for d in dirs if d not in TRANSIENT_DIRS]
        dirs.sort()
        for name in sorted(names):
            path = here / name
            if is_database_file(path) or (here == data_dir and name in TRANSIENT_FILES) or not path.is_file():
                continue
            relative = path.relative_to(data_dir)
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            copied.append(
                BackedUpFile(path=relative.as_posix(), size=destination.stat().st_size, sha256=sha256_of(destination))
            )
    return copied
