"""The manifest of a backup: what it holds, from which version, and how many rows per table.

A backup directory looks like this::

    manifest.json        this file's contents, written last (a backup without it is unfinished)
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
    database.pgdump      PostgreSQL: pg_dump's custom format
    files/...            everything else the product keeps in the data directory"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"
FILES_DIR = "files"
FORMAT = 1
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore cannot be made; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class BackedUpFile:
    path: str  # relative to the data directory, with forward slashes
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    version: str
    created_at: str
    vendor: str
    counts: dict[str, int]
    migrations: dict[str, list[str]]
    files: list[BackedUpFile] = field(default_factory=list)
    format: int = FORMAT

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.vendor]

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "product": "membersuccess",
            "version": self.version,
            "created_at": self.created_at,
            "database": {"vendor": self.vendor, "file": self.database_file},
            "counts": dict(sorted(self.counts.items())),
            "migrations": {app: sorted(names) for app, names in sorted(self.migrations.items())},
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
        }


def product_version() -> str:
    """The installed Member Success version, as recorded in every manifest."""
    try:
        return metadata.version("membersuccess")
    except metadata.PackageNotFoundError:
        return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Write the manifest last and atomically, so its presence means the backup is whole."""
    partial = folder / (MANIFEST_NAME + ".partial")
    partial.write_text(json.dumps(manifest.as_dict(), indent=2) + "\n")
    partial.replace(folder / MANIFEST_NAME)


def read_manifest(folder: Path) -> Manifest:
    """The manifest of the backup in folder; BackupError naming what is missing or damaged."""
    if not folder.exists():
        raise BackupError(f"There is no backup at {folder}: the directory does not exist.")
    if not folder.is_dir():
        raise BackupError(f"{folder} is a file, not a backup directory made by `msm backup`.")
    path = folder / MANIFEST_NAME
    if not path.exists():
        raise BackupError(
            f"{folder} has no {MANIFEST_NAME}: it is not a Member Success backup, or the backup did not finish."
        )
    try:
        raw = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise BackupError(
            f"{path} is damaged: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})."
        ) from exc
    except UnicodeDecodeError as exc:
        raise BackupError(f"{path} is damaged: it is not text.") from exc
    return _parse(raw, path=path)


def _parse(raw: Any, *, path: Path) -> Manifest:
    def need(container: Any, key: str, kind: type | tuple[type, ...], where: str = "") -> Any:
        if not isinstance(container, dict) or key not in container:
            raise BackupError(f"{path} is damaged: it has no {where}{key!r}.")
        value = container[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise BackupError(f"{path} is damaged: {where}{key!r} has the wrong type.")
        return value

    if not isinstance(raw, dict) or raw.get("product") != "membersuccess":
        raise BackupError(f"{path} is not a Member Success backup manifest.")
    version_format = need(raw, "format", int)
    if version_format > FORMAT:
        raise BackupError(
            f"{path} uses backup format {version_format}, newer than this version of Member Success reads "
            f"({FORMAT}): upgrade Member Success to {raw.get('version', 'the version that made it')} or later."
        )
    database = need(raw, "database", dict)
    vendor = need(database, "vendor", str, "database.")
    if vendor not in DATABASE_FILES:
        raise BackupError(f"{path} is damaged: unknown database vendor {vendor!r}.")
    counts = need(raw, "counts", dict)
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts.values()):
        raise BackupError(f"{path} is damaged: 'counts' must be whole numbers of rows per table.")
    migrations = need(raw, "migrations", dict)
    if not all(isinstance(names, list) and all(isinstance(n, str) for n in names) for names in migrations.values()):
        raise BackupError(f"{path} is damaged: 'migrations' must list migration names per app.")
    files = []
    for entry in need(raw, "files", list):
        files.append(
            BackedUpFile(
                path=need(entry, "path", str, "files[]."),
                size=need(entry, "size", int, "files[]."),
                sha256=need(entry, "sha256", str, "files[]."),
            )
        )
    return Manifest(
        version=str(raw.get("version", "unknown")),
        created_at=str(raw.get("created_at", "")),
        vendor=vendor,
        counts={str(table): int(n) for table, n in counts.items()},
        migrations={str(app): list(names) for app, names in migrations.items()},
        files=files,
        format=version_format,
    )
