"""`msm restore DIR`: put a backup back into a fresh data directory or an empty database.

A restore checks the whole backup before touching anything (manifest, files and their checksums,
schema version), refuses to overwrite a database or data directory that holds data unless told to
with --force, and afterwards compares the rows per table with the manifest."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from membersuccess.ops.backup import is_database_file
from membersuccess.ops.databases import (
    pg_command_env,
    pg_tool,
    run_pg_tool,
    sqlite_check,
    sqlite_connection,
    sqlite_copy,
    sqlite_counts,
    sqlite_tables,
)
from membersuccess.ops.manifest import FILES_DIR, BackupError, Manifest, read_manifest, sha256_of


@dataclass(frozen=True)
class RestoreOutcome:
    manifest: Manifest
    counts: dict[str, int]
    # Migrations this version has that the backup predates: `msm init` brings the schema up to date.
    missing_migrations: int


def backup_check(folder: Path) -> Manifest:
    """Read and verify a backup without restoring it: manifest, database file, every file's checksum, schema."""
    manifest = read_manifest(folder)
    database = folder / manifest.database_file
    if not database.is_file():
        raise BackupError(f"The backup in {folder} is incomplete: {manifest.database_file} is missing.")
    if manifest.vendor == "sqlite":
        sqlite_check(database)
    for entry in manifest.files:
        path = folder / FILES_DIR / entry.path
        if not path.is_file():
            raise BackupError(f"The backup in {folder} is incomplete: {FILES_DIR}/{entry.path} is missing.")
        if path.stat().st_size != entry.size or sha256_of(path) != entry.sha256:
            raise BackupError(f"The backup in {folder} is damaged: {FILES_DIR}/{entry.path} differs from the manifest.")
    _check_schema(manifest)
    return manifest


def backup_restore(*, source: Path, force: bool = False, say: Callable[[str], None] | None = None) -> RestoreOutcome:
    """Restore the backup in source into the configured database and data directory."""
    tell = say or (lambda _message: None)
    source = source.resolve()
    tell("Checking the backup")
    manifest = backup_check(source)
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"This backup holds a {_label(manifest.vendor)} database, but the target is {_label(connection.vendor)}: "
            f"restore it into a {_label(manifest.vendor)} database (unset or change DATABASE_URL)."
        )
    data_dir = Path(settings.DATA_DIR).resolve()
    if source == data_dir or source.is_relative_to(data_dir):
        raise BackupError(f"The backup {source} is inside the data directory {data_dir}: move it elsewhere first.")
    if not force:
        _refuse_non_empty(data_dir)
    tell(f"Restoring the {_label(manifest.vendor)} database")
    if manifest.vendor == "sqlite":
        counts = _restore_sqlite(source / manifest.database_file)
    else:
        counts = _restore_postgres(source / manifest.database_file)
    tell("Restoring the data directory")
    _restore_files(source=source / FILES_DIR, manifest=manifest, data_dir=data_dir)
    differing = sorted(t for t in manifest.counts if counts.get(t) != manifest.counts[t])
    if differing:
        shown = ", ".join(f"{t} ({counts.get(t, 'missing')} rows, backup has {manifest.counts[t]})" for t in differing)
        raise BackupError(f"The restored database does not match the backup's manifest: {shown}")
    return RestoreOutcome(manifest=manifest, counts=counts, missing_migrations=_missing_migrations(manifest))


def _label(vendor: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)


def _known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def _check_schema(manifest: Manifest) -> None:
    known = _known_migrations()
    unknown = sorted(
        (app, name) for app, names in manifest.migrations.items() for name in names if (app, name) not in known
    )
    if unknown:
        app, name = unknown[0]
        more = f" and {len(unknown) - 1} more" if len(unknown) > 1 else ""
        raise BackupError(
            f"This backup was made by Member Success {manifest.version} with a newer database schema "
            f"({app}.{name}{more} unknown here): upgrade Member Success to {manifest.version} or later, then restore."
        )


def _missing_migrations(manifest: Manifest) -> int:
    applied = {(app, name) for app, names in manifest.migrations.items() for name in names}
    return len(_known_migrations() - applied)


def _refuse_non_empty(data_dir: Path) -> None:
    where = _database_holding_tables()
    if where:
        raise BackupError(
            f"The target database {where} already holds tables: restore into an empty database or a fresh data "
            "directory, or add --force to replace everything in it."
        )
    if data_dir.exists():
        present = sorted(p.name for p in data_dir.iterdir() if not is_database_file(p.resolve()))
        if present:
            raise BackupError(
                f"The data directory {data_dir} is not empty ({', '.join(present[:5])}): restore into a fresh data "
                "directory, or add --force to replace what is there."
            )


def _database_holding_tables() -> str | None:
    """Where the target database is, when it already holds tables; None when it is empty."""
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return None
        with sqlite_connection(path, read_only=True) as db:
            return str(path) if sqlite_tables(db) else None
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return str(connection.settings_dict["NAME"]) if tables else None


def _restore_sqlite(backup: Path) -> dict[str, int]:
    target = Path(connection.settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    connection.close()
    # Through the backup API into the target: SQLite's own locking replaces the pages in one
    # transaction, and a stale -wal beside an old file cannot be replayed over the restored one.
    sqlite_copy(source=backup, destination=target)
    with sqlite_connection(target) as db:
        db.execute("PRAGMA journal_mode=WAL")
        return sqlite_counts(db)


def _restore_postgres(dump: Path) -> dict[str, int]:
    pg_restore = pg_tool("pg_restore")
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if tables:
            cursor.execute(
                "DROP TABLE IF EXISTS " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE"
            )
    connection.close()
    args, env = pg_command_env(connection.settings_dict)
    run_pg_tool(
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args, str(dump)],
        env=env,
        what="pg_restore",
    )
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _restore_files(*, source: Path, manifest: Manifest, data_dir: Path) -> None:
    for entry in manifest.files:
        destination = data_dir / entry.path
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / entry.path, destination)
