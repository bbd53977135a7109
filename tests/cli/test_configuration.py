"""Bad configuration ends a command with one clear line and exit code 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def run_msm(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MSM_SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", "from membersuccess.cli import main; main()", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://root@localhost/msm", "unsupported scheme 'mysql'"),
        ("not a url", "unsupported scheme"),
        ("postgres://postgres@127.0.0.1:1/msm", "Cannot connect to the database"),
        ("postgres://postgres@127.0.0.1:5432", "names no database"),
    ],
)
def test_bad_database_url_is_one_clear_line(tmp_path: Path, url: str, expected: str):
    result = run_msm("init", env={"DATABASE_URL": url, "MSM_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert expected in one_error_line(result)


def test_bad_debug_flag_is_one_clear_line(tmp_path: Path):
    result = run_msm("init", env={"MSM_DEBUG": "maybe", "MSM_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "MSM_DEBUG must be true or false" in one_error_line(result)


def test_serving_an_uninitialized_database_says_to_run_init(tmp_path: Path):
    result = run_msm("serve", env={"MSM_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "run `msm init` first" in one_error_line(result)


def test_init_creates_the_database_a_secret_key_and_an_admin_once(tmp_path: Path):
    env = {"MSM_DATA_DIR": str(tmp_path)}
    first = run_msm("init", env=env)
    assert first.returncode == 0, first.stderr
    assert "Admin user created: admin /" in first.stdout
    assert (tmp_path / "msm.sqlite3").exists()
    assert len((tmp_path / "secret_key").read_text()) >= 50
    second = run_msm("init", env=env)
    assert second.returncode == 0
    assert "already exists" in second.stdout
