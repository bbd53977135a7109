"""PostgreSQL going away in the middle of an import or a scoring run: the command ends with one clear line
(exit 2), nothing half-written is visible, and running it again gives exactly the right counts.

What a running `msm` sees when the server restarts is its session ending under it: PostgreSQL terminates
every backend with "terminating connection due to administrator command", rolls back their open
transactions and releases their advisory locks. These tests do exactly that, and only that, from a second
connection: `pg_terminate_backend` on every backend of the test's own scratch database. Restarting the
whole server would do the same to every other database on it, and so break the test runs that share this
machine's server; terminating the backends of one database is the same fault, confined to this test.

They run only when the suite runs on PostgreSQL (DATABASE_URL=postgres://...); on SQLite they are skipped."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.faults.scoring_state import AS_OF, VECTOR_COLUMNS, write_association
from tests.ops.helpers import error_line, msm, run

DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not DATABASE_URL.startswith(("postgres://", "postgresql://")),
        reason="terminates PostgreSQL backends, so runs only on PostgreSQL (set DATABASE_URL=postgres://...)",
    ),
]

IMPORT_MEMBERS = 500
IMPORT_ROWS = 300_000
SCORE_MEMBERS = 12_000  # three batches of vector rows, so the connection can go between two of them
TERMINATE_OTHERS = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def _url_of(name: str) -> str:
    parts = urlsplit(DATABASE_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def _admin() -> Any:
    import psycopg

    return psycopg.connect(_url_of("postgres"), autocommit=True, connect_timeout=10)


@pytest.fixture
def database() -> Iterator[str]:
    """A scratch database of this test's own on the suite's server, dropped afterwards; yields its URL."""
    base = urlsplit(DATABASE_URL).path.lstrip("/") or "msm"
    name = f"{base}_faults_{uuid.uuid4().hex[:8]}"
    try:
        with _admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # any reason the server cannot be used is a reason to skip
        pytest.skip(f"PostgreSQL at {_url_of('postgres')} cannot create a scratch database: {exc}")
    try:
        yield _url_of(name)
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        return db.execute(sql, params).fetchall()


def _scalar(url: str, sql: str, params: tuple[Any, ...] = ()) -> int:
    try:
        return int(_query(url, sql, params)[0][0])
    except Exception:  # the table is not there yet
        return 0


def _terminate_backends(url: str) -> int:
    """End every other session on this database, as a server restart would; how many there were."""
    return len(_query(url, TERMINATE_OTHERS))


def _terminate_when(condition: Callable[[], bool], *, url: str, process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 600
    while not condition():
        assert process.poll() is None, f"the command ended before {what}: {process.communicate()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)
    assert process.poll() is None, "the command finished before its connection could be terminated"
    assert _terminate_backends(url) >= 1


def _clear_failure(process: subprocess.Popen[str]) -> str:
    """The command ended with exit 2 and one line saying the database connection was lost."""
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 2, f"exit {process.returncode}\n{stdout}\n{stderr}"
    line = error_line(stderr)
    assert "connection to the database was lost" in line, line
    return line


# --- imports -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def import_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pg-import-files")
    members = folder / "members.csv"
    members.write_text(
        "external_id,name,joined_on\n"
        + "".join(f"M-{n},Member {n},2022-01-0{1 + n % 9}\n" for n in range(IMPORT_MEMBERS))
    )
    interactions = folder / "interactions.csv"
    with open(interactions, "w") as handle:
        handle.write("external_id,source,member_id,kind,occurred_at\n")
        for n in range(IMPORT_ROWS):
            handle.write(f"e-{n},portal,M-{n % IMPORT_MEMBERS},login,2024-0{1 + n % 6}-1{n % 10}T10:00:00Z\n")
    return {"members": members, "interactions": interactions}


def _interactions(url: str) -> int:
    return _scalar(url, "SELECT COUNT(*) FROM interactions_interaction")


def test_an_import_whose_connection_is_terminated_fails_clearly_and_runs_again_exactly(
    database, import_files, tmp_path
):
    data_dir = tmp_path / "data"
    run("init", data_dir=data_dir, database_url=database)
    run("import", "members", str(import_files["members"]), data_dir=data_dir, database_url=database)
    process = msm("import", "interactions", str(import_files["interactions"]), data_dir=data_dir, database_url=database)

    _terminate_when(lambda: _interactions(database) > 0, url=database, process=process, what="rows were stored")

    _clear_failure(process)
    assert 0 < _interactions(database) < IMPORT_ROWS

    run("import", "interactions", str(import_files["interactions"]), data_dir=data_dir, database_url=database)
    assert _interactions(database) == IMPORT_ROWS
    assert _scalar(database, "SELECT COUNT(DISTINCT external_id) FROM interactions_interaction") == IMPORT_ROWS
    runs = _query(database, "SELECT status FROM ingest_importrun WHERE kind = 'interactions' ORDER BY id")
    assert [status for (status,) in runs] == ["failed", "completed"]


# --- scoring -----------------------------------------------------------------------------------------------


@pytest.fixture
def scored(database, tmp_path) -> tuple[str, Path, list[tuple[Any, ...]]]:
    """An association on PostgreSQL scored once for AS_OF: (database URL, data directory, its vectors)."""
    data_dir = tmp_path / "data"
    files = write_association(tmp_path / "files", members=SCORE_MEMBERS, interactions=3 * SCORE_MEMBERS)
    run("init", data_dir=data_dir, database_url=database)
    for kind in ("members", "memberships", "interactions"):
        run("import", kind, str(files[kind]), data_dir=data_dir, database_url=database)
    run("score", "--as-of", AS_OF, data_dir=data_dir, database_url=database)
    vectors = _visible_vectors(database)
    assert len(vectors) == SCORE_MEMBERS
    return database, data_dir, vectors


def _visible_vectors(url: str) -> list[tuple[Any, ...]]:
    """The vectors staff see for AS_OF: those of its completed run, member by member."""
    return _query(
        url,
        f"SELECT {VECTOR_COLUMNS} FROM scoring_vectorsnapshot v JOIN scoring_scorerun r ON r.id = v.run_id "
        "WHERE r.status = 'completed' AND r.as_of = %s ORDER BY v.member_id",
        (AS_OF,),
    )


def _running_run(url: str) -> int | None:
    rows = _query(url, "SELECT id FROM scoring_scorerun WHERE status = 'running'")
    return int(rows[0][0]) if rows else None


def _rows_of_running_run(url: str) -> int:
    return _scalar(
        url,
        "SELECT COUNT(*) FROM scoring_vectorsnapshot v JOIN scoring_scorerun r ON r.id = v.run_id "
        "WHERE r.status = 'running'",
    )


def _orphan_rows(url: str) -> int:
    return _scalar(
        url,
        "SELECT COUNT(*) FROM scoring_vectorsnapshot v JOIN scoring_scorerun r ON r.id = v.run_id "
        "WHERE r.status <> 'completed'",
    )


@pytest.mark.parametrize("moment", ["computing", "writing"])
def test_a_scoring_run_cut_off_fails_clearly_shows_no_half_run_and_runs_again_exactly(scored, moment):
    url, data_dir, reference = scored
    process = msm("score", "--as-of", AS_OF, data_dir=data_dir, database_url=url)
    if moment == "computing":
        condition = lambda: _running_run(url) is not None  # noqa: E731
    else:
        condition = lambda: _rows_of_running_run(url) > 0  # noqa: E731

    _terminate_when(condition, url=url, process=process, what=f"the run was {moment}")

    _clear_failure(process)
    assert _visible_vectors(url) == reference  # the last complete run, never part of the cut-off one
    assert _running_run(url) is None  # recorded as failed on a fresh connection, its rows removed
    assert _orphan_rows(url) == 0

    run("score", "--as-of", AS_OF, data_dir=data_dir, database_url=url)

    assert _visible_vectors(url) == reference
    assert _orphan_rows(url) == 0
    statuses = [status for (status,) in _query(url, "SELECT status FROM scoring_scorerun WHERE as_of = %s", (AS_OF,))]
    assert statuses.count("completed") == 1
