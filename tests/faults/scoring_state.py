"""What a scoring run left in a data directory, read the way the app reads it: only completed runs count."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

from tests.ops.helpers import msm, run

AS_OF = "2024-06-30"
VECTOR_COLUMNS = "v.member_id, v.score, v.velocity, v.status, v.confidence, v.milestone_position, v.flags, v.reasons"


def write_association(folder: Path, *, members: int, interactions: int) -> dict[str, Path]:
    """Members with a current membership term and a year of interactions: every one of them gets a vector."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {k: folder / f"{k}.csv" for k in ("members", "memberships", "interactions")}
    paths["members"].write_text(
        "external_id,name,joined_on\n" + "".join(f"M-{n},Member {n},2023-0{1 + n % 9}-15\n" for n in range(members))
    )
    paths["memberships"].write_text(
        "external_id,member_id,start_on,end_on\n"
        + "".join(f"T-{n},M-{n},2024-01-01,2024-12-31\n" for n in range(members))
    )
    kinds = ("event_attended", "course_completed", "login", "community_post")
    paths["interactions"].write_text(
        "external_id,source,member_id,kind,occurred_at\n"
        + "".join(
            f"e-{n},src,M-{(n * 7) % members},{kinds[n % 4]},2024-{1 + n % 6:02d}-{1 + n % 28:02d}T09:00:00Z\n"
            for n in range(interactions)
        )
    )
    return paths


def populate(data_dir: Path, files: dict[str, Path], *, database_url: str | None = None) -> None:
    run("init", data_dir=data_dir, database_url=database_url)
    for kind in ("members", "memberships", "interactions"):
        run("import", kind, str(files[kind]), data_dir=data_dir, database_url=database_url)


def copy_installation(source: Path, target: Path) -> Path:
    """A copy of a SQLite data directory no process is using."""
    shutil.copytree(source, target)
    return target


def _db(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{data_dir / 'msm.sqlite3'}?mode=ro", uri=True, timeout=30)


def visible_vectors(data_dir: Path, *, as_of: str = AS_OF) -> list[tuple[object, ...]]:
    """The vectors staff see for a date: those of its completed run, member by member."""
    with _db(data_dir) as db:
        return db.execute(
            f"SELECT {VECTOR_COLUMNS} FROM scoring_vectorsnapshot v JOIN scoring_scorerun r ON r.id = v.run_id "
            "WHERE r.status = 'completed' AND r.as_of = ? ORDER BY v.member_id",
            [as_of],
        ).fetchall()


def runs(data_dir: Path) -> list[tuple[int, str, str, str | None, str | None]]:
    """(id, as_of, status, started_at, finished_at) of every scoring run, oldest first."""
    with _db(data_dir) as db:
        return db.execute(
            "SELECT id, as_of, status, started_at, finished_at FROM scoring_scorerun ORDER BY id"
        ).fetchall()


def running_run(data_dir: Path) -> int | None:
    with _db(data_dir) as db:
        row = db.execute("SELECT id FROM scoring_scorerun WHERE status = 'running'").fetchone()
    return None if row is None else int(row[0])


def rows_of_run(data_dir: Path, run_id: int) -> int:
    with _db(data_dir) as db:
        return int(db.execute("SELECT COUNT(*) FROM scoring_vectorsnapshot WHERE run_id = ?", [run_id]).fetchone()[0])


def orphan_rows(data_dir: Path) -> int:
    """Vector rows that belong to no completed run."""
    with _db(data_dir) as db:
        return int(
            db.execute(
                "SELECT COUNT(*) FROM scoring_vectorsnapshot v JOIN scoring_scorerun r ON r.id = v.run_id "
                "WHERE r.status != 'completed'"
            ).fetchone()[0]
        )


def score_in_background(data_dir: Path, *args: str):
    return msm("score", "--as-of", AS_OF, *args, data_dir=data_dir)


def wait_for(condition, *, process, what: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the scoring run ended before {what}: {process.communicate()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)
