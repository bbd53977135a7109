"""The project keeps its promises to a newcomer: CI runs the README's commands; code is lint-clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"^```(?:sh|bash|shell)\n(.+?)\n```", text, flags=re.M | re.S)


def test_readme_gives_exactly_two_setup_commands_demo_and_tests():
    commands = [c for c in readme_commands() if "python3 -m venv" in c]
    assert len(commands) == 2
    assert "msm demo" in commands[0]
    assert "scripts/run_tests.py" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    test_command = next(c for c in readme_commands() if "scripts/run_tests.py" in c)
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    result = subprocess.run([ruff, "check", "src", "tests", "scripts"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "src"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
