"""A damaged, incomplete or newer backup is refused before anything is restored, with a message naming what
is wrong."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from membersuccess.ops.manifest import BackedUpFile, BackupError, Manifest, sha256_of, write_manifest
from membersuccess.ops.restore import backup_check


def make_backup(folder: Path, *, migrations: dict[str, list[str]] | None = None) -> Path:
    """A small but valid backup: a SQLite database with one table, one file, and its manifest."""
    folder.mkdir(parents=True)
    with sqlite3.connect(folder / "database.sqlite3") as db:
        db.execute("CREATE TABLE members_member (id INTEGER PRIMARY KEY)")
        db.execute("INSERT INTO members_member VALUES (1)")
    (folder / "files").mkdir()
    (folder / "files" / "secret_key").write_text("s3cret")
    write_manifest(
        folder,
        Manifest(
            version="0.1.0",
            created_at="2026-01-01T00:00:00+00:00",
            vendor="sqlite",
            counts={"members_member": 1},
            migrations=migrations if migrations is not None else {"members": ["0001_initial"]},
            files=[BackedUpFile(path="secret_key", size=6, sha256=sha256_of(folder / "files" / "secret_key"))],
        ),
    )
    return folder


def edit_manifest(folder: Path, change) -> None:
    path = folder / "manifest.json"
    raw = json.loads(path.read_text())
    change(raw)
    path.write_text(json.dumps(raw))


def test_a_whole_backup_passes_the_check(tmp_path):
    manifest = backup_check(make_backup(tmp_path / "b"))

    assert manifest.counts == {"members_member": 1}
    assert manifest.vendor == "sqlite"


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(BackupError, match=r"There is no backup at .*nowhere: the directory does not exist"):
        backup_check(tmp_path / "nowhere")


def test_a_file_instead_of_a_directory_is_refused(tmp_path):
    (tmp_path / "backup.tar").write_text("x")

    with pytest.raises(BackupError, match="is a file, not a backup directory"):
        backup_check(tmp_path / "backup.tar")


def test_a_directory_without_a_manifest_is_not_a_backup(tmp_path):
    folder = make_backup(tmp_path / "b")
    (folder / "manifest.json").unlink()

    with pytest.raises(BackupError, match=r"has no manifest.json: it is not a Member Success backup"):
        backup_check(folder)


def test_a_manifest_that_is_not_json_names_line_and_column(tmp_path):
    folder = make_backup(tmp_path / "b")
    (folder / "manifest.json").write_text('{"format": 1,\n  "product": }')

    with pytest.raises(BackupError, match=r"manifest.json is damaged: not valid JSON at line 2, column 14"):
        backup_check(folder)


def test_a_manifest_without_counts_is_damaged(tmp_path):
    folder = make_backup(tmp_path / "b")
    edit_manifest(folder, lambda raw: raw.pop("counts"))

    with pytest.raises(BackupError, match="damaged: it has no 'counts'"):
        backup_check(folder)


def test_a_manifest_with_negative_counts_is_damaged(tmp_path):
    folder = make_backup(tmp_path / "b")
    edit_manifest(folder, lambda raw: raw["counts"].update(members_member=-3))

    with pytest.raises(BackupError, match="'counts' must be whole numbers"):
        backup_check(folder)


def test_a_manifest_of_another_product_is_refused(tmp_path):
    folder = make_backup(tmp_path / "b")
    edit_manifest(folder, lambda raw: raw.update(product="something-else"))

    with pytest.raises(BackupError, match="is not a Member Success backup manifest"):
        backup_check(folder)


def test_a_newer_backup_format_asks_for_an_upgrade(tmp_path):
    folder = make_backup(tmp_path / "b")
    edit_manifest(folder, lambda raw: raw.update(format=99, version="9.0.0"))

    with pytest.raises(BackupError, match=r"backup format 99, newer .* upgrade Member Success to 9.0.0 or later"):
        backup_check(folder)


def test_a_backup_from_a_newer_schema_is_refused_naming_the_migration(tmp_path):
    folder = make_backup(tmp_path / "b", migrations={"members": ["0001_initial", "0099_from_the_future"]})
    edit_manifest(folder, lambda raw: raw.update(version="2.0.0"))

    with pytest.raises(
        BackupError, match=r"made by Member Success 2.0.0 with a newer database schema \(members.0099_from_the_future"
    ):
        backup_check(folder)


def test_a_missing_database_file_makes_the_backup_incomplete(tmp_path):
    folder = make_backup(tmp_path / "b")
    (folder / "database.sqlite3").unlink()

    with pytest.raises(BackupError, match=r"incomplete: database\.sqlite3 is missing"):
        backup_check(folder)


def test_a_database_file_that_is_not_sqlite_is_refused(tmp_path):
    folder = make_backup(tmp_path / "b")
    (folder / "database.sqlite3").write_bytes(b"this is not a database" * 100)

    with pytest.raises(BackupError, match="is not a usable SQLite database"):
        backup_check(folder)


def test_a_file_changed_since_the_backup_is_named(tmp_path):
    folder = make_backup(tmp_path / "b")
    (folder / "files" / "secret_key").write_text("tamper")

    with pytest.raises(BackupError, match="damaged: files/secret_key differs from the manifest"):
        backup_check(folder)


def test_a_file_missing_from_the_backup_is_named(tmp_path):
    folder = make_backup(tmp_path / "b")
    (folder / "files" / "secret_key").unlink()

    with pytest.raises(BackupError, match="incomplete: files/secret_key is missing"):
        backup_check(folder)
