"""Real `msm` processes against data directories (and PostgreSQL databases) of the test's own."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

POSTGRES_SERVER = os.environ.get("MSM_TEST_POSTGRES_SERVER", "postgresql://postgres@127.0.0.1:5432")


def msm(*args: str, data_dir: Path, database_url: str | None = None, timeout: float = 600) -> subprocess.Popen[str]:
    """Start `msm ARGS --data-dir DATA_DIR` on SQLite, or on database_url when given."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MSM_DATA_DIR", "MSM_SECRET_KEY"}}
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.Popen(
        [sys.executable, "-c", "from membersuccess.cli import main; main()", *args, "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(*args: str, data_dir: Path, database_url: str | None = None, expect: int = 0) -> tuple[str, str]:
    """Run msm to the end; (stdout, stderr), asserting the exit code."""
    process = msm(*args, data_dir=data_dir, database_url=database_url)
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == expect, f"exit {process.returncode}\n{stdout}\n{stderr}"
    return stdout, stderr


def error_line(stderr: str) -> str:
    """The one line an error ends with; fails on a traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, stderr
    return lines[0]


def sqlite_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts: dict[str, int] = {}
        for table in tables:
            row = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
            assert row is not None
            counts[table] = row[0]
        return counts


def postgres_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as db:
        tables = [
            name
            for (name,) in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall()
        ]
        counts: dict[str, int] = {}
        for table in tables:
            row = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
            assert row is not None
            counts[table] = row[0]
        return counts


def write_import_files(folder: Path, *, members: int = 20, interactions: int = 200) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"members": folder / "members.csv", "interactions": folder / "interactions.csv"}
    paths["members"].write_text(
        "external_id,name,joined_on\n" + "".join(f"M-{n},Member {n},2022-01-0{1 + n % 9}\n" for n in range(members))
    )
    paths["interactions"].write_text(
        "external_id,source,member_id,kind,occurred_at\n"
        + "".join(
            f"e-{n},events,M-{n % members},event_attended,2024-0{1 + n % 6}-1{n % 10}T10:00:00Z\n"
            for n in range(interactions)
        )
    )
    return paths


def postgres_available() -> str | None:
    """None when the PostgreSQL server answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=5):
            return None
    except Exception as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@contextmanager
def scratch_postgres_database(label: str) -> Iterator[str]:
    """A database of this test's own, dropped afterwards; yields its URL."""
    import psycopg

    problem = postgres_available()
    if problem:
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_SERVER}: {problem}")
    name = f"msm_ops_{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
