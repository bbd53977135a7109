"""`msm bench load`: signed-in users browse a real `msm serve` while an import and a scoring run write, and
every page comes back whole — no error, and "database is locked" never reaches a user. A small smoke run;
the figures of the 100,000-member run are in docs/benchmarks.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from membersuccess.ops.loadtest import percentile
from tests.ops.helpers import error_line, run

USERS = 3


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("load") / "data"
    run("demo", "--members", "300", "--no-serve", data_dir=data_dir)
    return data_dir


@pytest.mark.slow
def test_users_browse_while_an_import_and_a_scoring_run_write_and_see_no_error(demo_dir):
    stdout, _ = run(
        "bench", "load", "--users", str(USERS), "--seconds", "4", "--import-rows", "3000", "--json",
        data_dir=demo_dir,
    )

    report = json.loads(stdout)
    assert report["passed"] is True
    assert report["users"] == USERS
    assert report["total"]["errors"] == 0 and report["first_errors"] == []
    assert report["locked_seen_by_users"] == 0
    assert {page["kind"] for page in report["pages"]} == {"member page", "members list", "home", "portfolio"}
    for page in report["pages"]:
        assert page["requests"] > 0, page
        assert 0 < page["p50_ms"] <= page["p95_ms"], page
    assert [(w["what"], w["exit_code"]) for w in report["writers"]] == [("import", 0), ("score", 0)]


@pytest.mark.slow
def test_the_import_while_browsing_really_stored_its_rows(demo_dir):
    before = _load_test_rows(demo_dir)

    run("bench", "load", "--users", "1", "--seconds", "1", "--import-rows", "500", "--json", data_dir=demo_dir)

    assert _load_test_rows(demo_dir) == before + 500


@pytest.mark.slow
def test_an_empty_database_is_one_clear_line(tmp_path):
    data_dir = tmp_path / "empty"
    run("init", data_dir=data_dir)

    _, stderr = run("bench", "load", "--users", "1", "--seconds", "1", data_dir=data_dir, expect=2)

    assert "no members to load-test with" in error_line(stderr)


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.5) is None


def _load_test_rows(data_dir: Path) -> int:
    import sqlite3

    with sqlite3.connect(f"file:{data_dir / 'msm.sqlite3'}?mode=ro", uri=True, timeout=30) as db:
        return int(db.execute("SELECT COUNT(*) FROM interactions_interaction WHERE source = 'load-test'").fetchone()[0])
