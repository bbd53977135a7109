"""Crash safety: `kill -9` an import at any moment, run it again, and the file's rows are there
exactly once. The import runs in a real `msm` process against a data directory of its own."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.slow

MEMBERS = 200
ROWS = 40_000


def _msm(data_dir: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MSM_DATA_DIR"}}
    return subprocess.Popen(
        [sys.executable, "-m", "membersuccess", *args, "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _run(data_dir: Path, *args: str) -> str:
    process = _msm(data_dir, *args)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output.decode()
    return output.decode()


def _count(data_dir: Path, table: str) -> int:
    database = data_dir / "msm.sqlite3"
    if not database.exists():
        return 0
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        try:
            return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        except sqlite3.OperationalError:  # the table is not created yet
            return 0


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("crash-files")
    members = pa.table(
        {
            "external_id": [f"M-{n}" for n in range(MEMBERS)],
            "name": [f"Member {n}" for n in range(MEMBERS)],
            "joined_on": ["2022-01-01"] * MEMBERS,
        }
    )
    interactions = pa.table(
        {
            "external_id": [f"e-{n}" for n in range(ROWS)],
            "source": ["portal"] * ROWS,
            "member_id": [f"M-{n % MEMBERS}" for n in range(ROWS)],
            "kind": ["login"] * ROWS,
            "occurred_at": pa.array([1_700_000_000_000 + n * 1000 for n in range(ROWS)], pa.timestamp("ms", tz="UTC")),
        }
    )
    paths = {"members": folder / "members.csv", "parquet": folder / "i.parquet", "csv": folder / "i.csv"}
    pacsv.write_csv(members, paths["members"])
    pq.write_table(interactions, paths["parquet"], row_group_size=10_000)
    pacsv.write_csv(interactions, paths["csv"])
    return paths


@pytest.mark.parametrize("form", ["parquet", "csv"])
@pytest.mark.parametrize("kill_when_stored", [0, 1, ROWS // 2])
def test_an_import_killed_at_any_moment_and_run_again_stores_each_row_once(tmp_path, files, form, kill_when_stored):
    data_dir = tmp_path / "data"
    _run(data_dir, "init")
    _run(data_dir, "import", "members", str(files["members"]))

    process = _msm(data_dir, "import", "interactions", str(files[form]))
    deadline = time.monotonic() + 300
    while process.poll() is None and _count(data_dir, "interactions_interaction") < kill_when_stored:
        assert time.monotonic() < deadline, "the import never got going"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert kill_when_stored <= _count(data_dir, "interactions_interaction") <= ROWS

    output = _run(data_dir, "import", "interactions", str(files[form]))
    assert "rejected" in output
    assert _count(data_dir, "interactions_interaction") == ROWS
    database = data_dir / "msm.sqlite3"
    with sqlite3.connect(database) as db:
        distinct = db.execute("SELECT COUNT(DISTINCT external_id) FROM interactions_interaction").fetchone()[0]
    assert distinct == ROWS


def test_a_killed_import_is_shown_as_interrupted_once_its_process_is_gone(tmp_path, files):
    data_dir = tmp_path / "data"
    _run(data_dir, "init")
    _run(data_dir, "import", "members", str(files["members"]))
    process = _msm(data_dir, "import", "interactions", str(files["csv"]))
    deadline = time.monotonic() + 300
    while process.poll() is None and _count(data_dir, "interactions_interaction") == 0:
        assert time.monotonic() < deadline, "the import never got going"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)

    _run(data_dir, "import", "interactions", str(files["csv"]))
    with sqlite3.connect(data_dir / "msm.sqlite3") as db:
        runs = db.execute(
            "SELECT status, error FROM ingest_importrun WHERE kind = 'interactions' ORDER BY id"
        ).fetchall()
    assert [status for status, _ in runs] == ["failed", "completed"]
    assert runs[0][1].startswith("interrupted")
