"""`msm demo` end to end, as a newcomer runs it: a real process loads the association, serves it,
prints the URL and the demo login, and that login works in Debian's chromium."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MEMBERS = 150


def _environment() -> dict[str, str]:
    # The demo always runs on its own embedded database, whatever the suite runs on.
    return {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MSM_DATA_DIR"}}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_demo_no_serve_loads_and_reports_what_it_loaded(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "membersuccess", "demo", "--members", str(MEMBERS), "--no-serve",
         "--data-dir", str(tmp_path)],
        env=_environment(), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(rf"│ members\s+│ {MEMBERS}\s+│", result.stdout), result.stdout
    assert re.search(r"│ rows rejected\s+│ 0\s+│", result.stdout), result.stdout
    assert "Demo login: demo / demo-member-success" in result.stdout
    assert re.search(r"Success Vectors as of \d{4}-\d\d-\d\d: [\d,]+ ", result.stdout), result.stdout
    assert (tmp_path / "demo-import" / "interactions.parquet").exists()
    assert "Traceback" not in result.stderr


@pytest.fixture
def served_demo(tmp_path) -> Iterator[tuple[str, str]]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "membersuccess", "demo", "--members", str(MEMBERS), "--port", str(port),
         "--data-dir", str(tmp_path)],
        env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    assert process.stdout is not None
    output: list[str] = []
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                pytest.fail("msm demo stopped before serving:\n" + "".join(output))
            output.append(line)
            found = re.search(r"serving on (http://\S+/)", line)
            if found:
                break
        login = re.search(r"Demo login: (\S+) / (\S+)", "".join(output))
        assert login, "".join(output)
        assert found is not None
        yield found.group(1), login.group(2)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.browser
def test_msm_demo_serves_and_the_printed_login_opens_a_member(served_demo, monkeypatch):
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing under CI")
        pytest.skip(f"{CHROMIUM} is missing; install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    url, password = served_demo
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = chromium.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{url}members/")
            page.get_by_label("Username").fill("demo")
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{url}members/")
            assert page.get_by_role("heading", name="Members").is_visible()
            first = page.locator("table a[href*='/members/']").first
            name = first.inner_text().strip()
            first.click()
            page.wait_for_url("**/members/*/")
            assert page.get_by_role("heading", level=1).inner_text().strip() == name
            assert page.get_by_role("heading", name="Desired outcome").is_visible()
            # msm demo scored the association, so the member's Success Vector is there.
            assert "Not scored yet" not in page.content()
        finally:
            chromium.close()
