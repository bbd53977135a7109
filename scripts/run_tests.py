"""Run the whole test suite on SQLite, then again on PostgreSQL.

PostgreSQL is taken from MSM_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
Without a reachable server the PostgreSQL run is skipped with the reason, except under CI=true,
where it must run. Extra arguments are passed to pytest."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"


def postgres_problem(url: str) -> str | None:
    """None when PostgreSQL answers at url, else why not."""
    try:
        import psycopg
    except ImportError as exc:
        return f"psycopg is not installed ({exc})"
    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=5):
            return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]


def run_pytest(label: str, env: dict[str, str], args: list[str], report: Path) -> int:
    print(f"\n=== tests on {label} ===", flush=True)
    command = [sys.executable, "-m", "pytest", f"--junitxml={report}", *args]
    return subprocess.call(command, env=env)


def counts(report: Path) -> tuple[int, int, int]:
    """(passed, failed, skipped) from a JUnit XML report."""
    if not report.exists():
        return 0, 0, 0
    root = ET.parse(report).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    tests = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return tests - failed - skipped, failed, skipped


def main(args: list[str]) -> int:
    in_ci = os.environ.get("CI", "").lower() == "true"
    reports = Path(tempfile.mkdtemp(prefix="msm-tests-"))
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    results: list[tuple[str, int, Path]] = []

    sqlite_report = reports / "sqlite.xml"
    results.append(("SQLite", run_pytest("SQLite", base_env, args, sqlite_report), sqlite_report))

    postgres_url = os.environ.get("MSM_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    problem = postgres_problem(postgres_url)
    if problem is None:
        pg_report = reports / "postgres.xml"
        env = {**base_env, "DATABASE_URL": postgres_url}
        results.append(("PostgreSQL", run_pytest("PostgreSQL", env, args, pg_report), pg_report))
    elif in_ci:
        print(f"\nPostgreSQL is required under CI but is not reachable at {postgres_url}: {problem}")
        results.append(("PostgreSQL", 1, reports / "missing.xml"))
    else:
        print(f"\nSKIPPED the PostgreSQL run: not reachable at {postgres_url}: {problem}")

    passed = failed = skipped = 0
    print()
    for label, code, report in results:
        p, f, s = counts(report)
        passed, failed, skipped = passed + p, failed + f, skipped + s
        print(f"{label}: {p} passed, {f} failed, {s} skipped (pytest exit code {code})")
    exit_code = max((code for _, code, _ in results), default=0)
    if failed == 0 and exit_code != 0:
        failed = 1  # pytest failed without a test failure (collection error, no tests run...)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if exit_code == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
