"""`kill -9` a real `msm worker` while it scores the day, start it again, and the day is said to be interrupted and
scored again — exactly once, with no half-written vectors left — instead of staying "running" for ever."""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.faults.scoring_state import populate
from tests.ops.helpers import msm, run, scratch_postgres_database

pytestmark = pytest.mark.slow

MEMBERS = 6_000  # enough for the scoring to take a while, so the kill lands mid-run

Query = Callable[[str], list[tuple[object, ...]]]


def write_current_association(folder: Path, *, members: int) -> dict[str, Path]:
    """Members with a membership term around today and half a year of interactions: all are scored today."""
    today = date.today()
    folder.mkdir(parents=True, exist_ok=True)
    paths = {k: folder / f"{k}.csv" for k in ("members", "memberships", "interactions")}
    paths["members"].write_text(
        "external_id,name,joined_on\n"
        + "".join(f"M-{n},Member {n},{today - timedelta(days=300 + n % 90)}\n" for n in range(members))
    )
    paths["memberships"].write_text(
        "external_id,member_id,start_on,end_on\n"
        + "".join(f"T-{n},M-{n},{today - timedelta(days=200)},{today + timedelta(days=165)}\n" for n in range(members))
    )
    kinds = ("event_attended", "course_completed", "login", "community_post")
    paths["interactions"].write_text(
        "external_id,source,member_id,kind,occurred_at\n"
        + "".join(
            f"e-{n},src,M-{(n * 7) % members},{kinds[n % 4]},{today - timedelta(days=1 + n % 180)}T09:00:00Z\n"
            for n in range(3 * members)
        )
    )
    return paths


@pytest.fixture(params=["sqlite", "postgresql"])
def installation(request, tmp_path: Path) -> Iterator[tuple[Path, str | None, Query]]:
    """A data directory with a current association imported, on SQLite or PostgreSQL; and how to query it."""
    files = write_current_association(tmp_path / "files", members=MEMBERS)
    data_dir = tmp_path / "data"
    if request.param == "sqlite":
        populate(data_dir, files)

        def sqlite_query(sql: str) -> list[tuple[object, ...]]:
            with sqlite3.connect(f"file:{data_dir / 'msm.sqlite3'}?mode=ro", uri=True, timeout=30) as db:
                return db.execute(sql).fetchall()

        yield data_dir, None, sqlite_query
        return
    import psycopg

    with scratch_postgres_database("worker_crash") as url:
        populate(data_dir, files, database_url=url)

        def postgres_query(sql: str) -> list[tuple[object, ...]]:
            with psycopg.connect(url) as db:
                return db.execute(sql).fetchall()

        yield data_dir, url, postgres_query


def wait_for(condition: Callable[[], bool], *, process, what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the worker ended before {what}: {process.communicate()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def test_a_worker_killed_while_scoring_the_day_leaves_it_interrupted_and_the_next_worker_scores_it(
    installation, monkeypatch
):
    data_dir, url, query = installation
    monkeypatch.setenv("MSM_SCORE_AT", "00:00")  # today is due at once
    worker = msm("worker", "--interval", "0.2", data_dir=data_dir, database_url=url)
    try:
        wait_for(lambda: query("SELECT 1 FROM scoring_scorerun WHERE status = 'running'") != [],
                 process=worker, what="the day's scoring started")
        assert query("SELECT status FROM scoring_dailyscoring") == [("running",)]
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL, "the worker finished the day before it could be killed"
    # What the kill leaves: a day and a run "running" that nothing will ever finish.
    assert query("SELECT status FROM scoring_dailyscoring") == [("running",)]
    assert query("SELECT status FROM django_tasks_database_dbtaskresult") == [("RUNNING",)]

    _, stderr = run("worker", "--once", data_dir=data_dir, database_url=url)

    today = date.today().isoformat()
    assert f"The scoring of {today} was interrupted: the worker running it (" in stderr
    [(status, attempts, note)] = query("SELECT status, attempts, note FROM scoring_dailyscoring")
    assert (status, attempts) == ("scored", 2)
    assert str(note).startswith(f"{MEMBERS:,} members scored at attempt 2; before: interrupted: the worker")
    runs = query("SELECT status, error FROM scoring_scorerun ORDER BY id")
    assert [status for status, _ in runs] == ["failed", "completed"]
    assert str(runs[0][1]).startswith("interrupted: the process scoring it stopped before it finished")
    assert sorted(s for (s,) in query("SELECT status FROM django_tasks_database_dbtaskresult")) == [
        "FAILED", "SUCCESSFUL",
    ]
    orphans = query("SELECT COUNT(*) FROM scoring_vectorsnapshot v JOIN scoring_scorerun r ON r.id = v.run_id "
                    "WHERE r.status != 'completed'")
    assert orphans == [(0,)]
    assert query("SELECT COUNT(*) FROM scoring_vectorsnapshot") == [(MEMBERS,)]
