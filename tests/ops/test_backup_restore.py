"""`msm backup DIR` then `msm restore DIR` into a fresh data directory (or an empty database) gives back every
row of every table and every file the product keeps, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.ops.helpers import (
    error_line,
    postgres_counts,
    run,
    scratch_postgres_database,
    sqlite_counts,
    write_import_files,
)

pytestmark = pytest.mark.slow


class Place:
    """Where one installation keeps its data: a data directory, and a PostgreSQL database or none."""

    def __init__(self, data_dir: Path, database_url: str | None) -> None:
        self.data_dir = data_dir
        self.database_url = database_url

    def msm(self, *args: str, expect: int = 0) -> tuple[str, str]:
        return run(*args, data_dir=self.data_dir, database_url=self.database_url, expect=expect)

    def counts(self) -> dict[str, int]:
        if self.database_url:
            return postgres_counts(self.database_url)
        return sqlite_counts(self.data_dir / "msm.sqlite3")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def places(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Place]]:
    """A factory of fresh installations on the parametrized database, cleaned up with the module."""
    opened: list[object] = []

    def make(label: str) -> Place:
        data_dir = tmp_path_factory.mktemp(label)
        if request.param == "sqlite":
            return Place(data_dir, None)
        database = scratch_postgres_database(label)
        url = database.__enter__()
        opened.append(database)
        return Place(data_dir, url)

    yield make
    for database in reversed(opened):
        database.__exit__(None, None, None)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def source(places, tmp_path_factory: pytest.TempPathFactory) -> Place:
    """An installation with members, interactions, a scoring run and an uploaded file in its data directory."""
    files = write_import_files(tmp_path_factory.mktemp("files"))
    source = places("source")
    source.msm("init")
    source.msm("import", "members", str(files["members"]))
    source.msm("import", "interactions", str(files["interactions"]))
    source.msm("score", "--as-of", "2024-06-30")
    upload = source.data_dir / "imports" / "20240630-abc" / "members.csv"
    upload.parent.mkdir(parents=True)
    upload.write_text("external_id,name\nM-1,Member 1\n")
    return source


@pytest.fixture(scope="module")
def backup(source, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("backups") / "backup"
    source.msm("backup", str(folder))
    return folder


@pytest.fixture(scope="module")
def restored(places, backup) -> Place:
    fresh = places("fresh")
    fresh.msm("restore", str(backup))
    return fresh


def test_a_restored_backup_has_every_row_of_every_table(source, restored):
    counts = restored.counts()

    assert counts == source.counts()
    assert counts["members_member"] == 20
    assert counts["interactions_interaction"] == 200
    assert counts["scoring_vectorsnapshot"] > 0


def test_the_manifest_lists_rows_per_table_and_the_product_version(source, backup):
    manifest = json.loads((backup / "manifest.json").read_text())

    assert manifest["counts"] == source.counts()
    assert manifest["version"] == "0.1.0"
    assert manifest["database"]["vendor"] in {"sqlite", "postgresql"}


def test_files_of_the_data_directory_come_back_byte_for_byte(source, restored):
    for name in ("secret_key", "imports/20240630-abc/members.csv"):
        assert (restored.data_dir / name).read_bytes() == (source.data_dir / name).read_bytes()


def test_a_restored_installation_keeps_working(restored, tmp_path):
    more = tmp_path / "more.csv"
    more.write_text("external_id,name,joined_on\nM-new,New member,2024-01-01\n")

    restored.msm("import", "members", str(more))

    assert restored.counts()["members_member"] == 21


def test_restore_refuses_a_target_holding_data_and_keeps_it(places, backup):
    other = places("other")
    other.msm("init")
    before = other.counts()

    _, stderr = other.msm("restore", str(backup), expect=2)

    assert "already holds tables" in error_line(stderr) and "--force" in error_line(stderr)
    assert other.counts() == before


def test_restore_with_force_replaces_what_the_target_held(places, source, backup):
    other = places("forced")
    other.msm("init")

    other.msm("restore", str(backup), "--force")

    assert other.counts() == source.counts()


def test_backup_refuses_a_directory_that_is_not_empty(source, tmp_path):
    target = tmp_path / "backup"
    target.mkdir()
    (target / "old.txt").write_text("an older backup")

    _, stderr = source.msm("backup", str(target), expect=2)

    assert "is not empty" in error_line(stderr)
    assert not (target / "manifest.json").exists()


def test_backup_refuses_a_directory_inside_the_data_directory(source):
    _, stderr = source.msm("backup", str(source.data_dir / "backups"), expect=2)

    assert "inside the data directory" in error_line(stderr)


def test_restore_of_a_directory_that_does_not_exist_names_it(places, tmp_path):
    fresh = places("empty")
    _, stderr = fresh.msm("restore", str(tmp_path / "nowhere"), expect=2)

    assert f"There is no backup at {tmp_path / 'nowhere'}" in error_line(stderr)
