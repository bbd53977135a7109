"""DuckDB's memory cap comes from MSM_DUCKDB_MEMORY_LIMIT, and it spills to a temporary directory of
its own, never to the directory a command was started from."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pytest

from membersuccess.engine.backends import EngineUnavailable, duckdb_connect


def _setting(con, name: str) -> str:
    return con.raw_sql(f"SELECT current_setting('{name}')").fetchone()[0]


def _as_duckdb_shows(limit: str) -> str:
    con = duckdb.connect(config={"memory_limit": limit})
    return con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]


def test_the_environment_caps_duckdb_memory(monkeypatch) -> None:
    monkeypatch.setenv("MSM_DUCKDB_MEMORY_LIMIT", "1GB")
    assert _setting(duckdb_connect(), "memory_limit") == _as_duckdb_shows("1GB")


def test_an_explicit_limit_wins_over_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("MSM_DUCKDB_MEMORY_LIMIT", "1GB")
    assert _setting(duckdb_connect(memory_limit="2GB"), "memory_limit") == _as_duckdb_shows("2GB")


def test_a_bad_limit_is_named_with_an_example(monkeypatch) -> None:
    monkeypatch.setenv("MSM_DUCKDB_MEMORY_LIMIT", "lots")
    with pytest.raises(EngineUnavailable, match=r"'lots' is not a size DuckDB accepts \(e\.g\. 2\.5GB"):
        duckdb_connect()


def test_spilling_goes_to_the_temporary_directory_not_the_working_one(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MSM_DUCKDB_MEMORY_LIMIT", raising=False)
    monkeypatch.chdir(tmp_path)
    spill = Path(_setting(duckdb_connect(), "temp_directory"))
    assert spill == Path(tempfile.gettempdir()) / "msm-duckdb"
    assert spill.is_dir()
    assert not (tmp_path / ".tmp").exists()
