"""`msm bench load`: signed-in users browse a real `msm serve` on loopback while an import and a scoring run write.

The tool starts the server, the import and the scoring run as separate `msm` processes against the
configured data directory or database, so they contend for the database exactly as in production. It
signs its users in by creating sessions for a dedicated user in the database (so login rate limits
play no part), and reports, per page kind, requests, errors and p50/p95 latency, and whether
"database is locked" ever reached a user. It adds the imported interactions (source `load-test`) and a
scoring run to the data: run it against a copy (`msm backup`, then `msm restore` elsewhere)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from membersuccess.ops.loadusers import PAGE_MIX, BrowsingUser, Observation, Tally

LOAD_USERNAME = "msm-load-test"
LOCKED_TEXT = "database is locked"


@dataclass(frozen=True)
class PageFigures:
    kind: str
    requests: int
    errors: int
    p50_ms: float | None
    p95_ms: float | None


@dataclass(frozen=True)
class WriterFigures:
    what: str
    exit_code: int | None
    seconds: float
    last_line: str


@dataclass(frozen=True)
class LoadReport:
    database: str
    users: int
    seconds: float
    pages: list[PageFigures]
    total: PageFigures
    locked_seen_by_users: int
    locked_in_server_log: int
    writers: list[WriterFigures]
    first_errors: list[str]

    @property
    def passed(self) -> bool:
        writers_ok = all(w.exit_code == 0 for w in self.writers)
        return self.total.errors == 0 and self.locked_seen_by_users == 0 and writers_ok

    def as_json(self) -> str:
        return json.dumps({**asdict(self), "passed": self.passed}, indent=2)


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile, in the values' unit; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def figures_of(kind: str, observations: list[Observation]) -> PageFigures:
    times = [o.seconds * 1000 for o in observations]
    p50, p95 = percentile(times, 0.50), percentile(times, 0.95)
    return PageFigures(
        kind=kind,
        requests=len(observations),
        errors=sum(1 for o in observations if o.error or o.locked),
        p50_ms=None if p50 is None else round(p50, 1),
        p95_ms=None if p95 is None else round(p95, 1),
    )


def signed_in_cookie(*, sessions: int) -> tuple[list[str], list[int]]:
    """Session cookies for the load-test user (a Member Success Manager, who sees every member), and member ids."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    from membersuccess.accounts.models import Role, StaffProfile
    from membersuccess.members.models import Member

    user, _ = User.objects.get_or_create(username=LOAD_USERNAME, defaults={"is_active": True})
    user.set_unusable_password()  # nobody can log in as this user; only the sessions below work
    user.save()
    StaffProfile.objects.update_or_create(user=user, defaults={"role": Role.SUCCESS_MANAGER})
    cookies = []
    for _ in range(sessions):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        # The backend the app signs people in with: a session naming any other is treated as signed out.
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    member_ids = list(Member.objects.order_by("?").values_list("pk", flat=True)[:5000])
    return cookies, member_ids


def sign_out(cookies: list[str]) -> None:
    """Delete the load-test sessions again."""
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=[cookie.split("=", 1)[1] for cookie in cookies]).delete()


def write_interactions_file(path: Path, *, rows: int) -> None:
    """An interactions file for existing members, with ids no earlier run used."""
    from membersuccess.members.models import Member

    external_ids = list(Member.objects.order_by("?").values_list("external_id", flat=True)[:10_000])
    if not external_ids:
        raise ValueError("the database has no members to load-test with: run `msm demo --no-serve` first")
    stamp = int(time.time())
    kinds = ("event_attended", "course_completed", "login", "community_post", "resource_downloaded")
    with open(path, "w") as handle:
        handle.write("external_id,source,member_id,kind,occurred_at\n")
        for n in range(rows):
            day = 1 + n % 28
            handle.write(
                f"load-{stamp}-{n},load-test,{external_ids[n % len(external_ids)]},{kinds[n % 5]},"
                f"2026-01-{day:02d}T12:00:00Z\n"
            )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _msm(*args: str, data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MSM_DATA_DIR": str(data_dir)}
    with open(log, "wb") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-c", "from membersuccess.cli import main; main()", *args],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def _wait_healthy(port: int, server: subprocess.Popen[bytes], *, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"msm serve exited with code {server.returncode} before answering")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"msm serve did not answer on port {port} within {timeout:.0f} s")


class _Writer:
    def __init__(self, what: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.what, self.process, self.log = what, process, log
        self.started = time.monotonic()
        self.finished: float | None = None

    def poll(self) -> bool:
        if self.finished is None and self.process.poll() is not None:
            self.finished = time.monotonic()
        return self.finished is not None

    def figures(self) -> WriterFigures:
        lines = [line for line in self.log.read_text(errors="replace").splitlines() if line.strip()]
        return WriterFigures(
            what=self.what,
            exit_code=self.process.returncode,
            seconds=round((self.finished or time.monotonic()) - self.started, 1),
            last_line=lines[-1].strip() if lines else "",
        )


def run_load(
    *,
    data_dir: Path,
    users: int,
    seconds: float,
    import_rows: int,
    think_seconds: float = 0.0,
    writers_timeout: float = 3600,
    say: Callable[[str], None] | None = None,
) -> LoadReport:
    """Browse with `users` signed-in users for at least `seconds`, and until the import and the scoring run end."""
    from django.db import connection

    tell = say or (lambda _message: None)
    database = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    with tempfile.TemporaryDirectory(prefix="msm-load-") as scratch_name:
        scratch = Path(scratch_name)
        cookies, member_ids = signed_in_cookie(sessions=users)
        if not member_ids:
            raise ValueError("the database has no members to load-test with: run `msm demo --no-serve` first")
        interactions = scratch / "interactions.csv"
        write_interactions_file(interactions, rows=import_rows)
        connection.close()  # the server and writers are other processes; hold no lock meanwhile
        port = free_port()
        server_log = scratch / "serve.log"
        tell(f"Starting msm serve on 127.0.0.1:{port}")
        server = _msm("serve", "--host", "127.0.0.1", "--port", str(port), data_dir=data_dir, log=server_log)
        tally, stop = Tally(), threading.Event()
        writers: list[_Writer] = []
        started = time.monotonic()
        try:
            _wait_healthy(port, server)
            tell(f"{users} users browsing")
            crowd = [
                BrowsingUser(
                    number=n,
                    host="127.0.0.1",
                    port=port,
                    cookie=cookies[n],
                    member_ids=member_ids,
                    tally=tally,
                    stop=stop,
                    think_seconds=think_seconds,
                )
                for n in range(users)
            ]
            started = time.monotonic()
            for user in crowd:
                user.start()
            time.sleep(min(2.0, seconds / 4))
            tell(f"Importing {import_rows:,} interactions and scoring, while the users browse")
            writers = [
                _Writer(
                    "import",
                    _msm("import", "interactions", str(interactions), data_dir=data_dir, log=scratch / "import.log"),
                    scratch / "import.log",
                ),
                _Writer(
                    "score",
                    _msm("score", "--wait", str(writers_timeout), data_dir=data_dir, log=scratch / "score.log"),
                    scratch / "score.log",
                ),
            ]
            deadline = started + writers_timeout
            while not all(w.poll() for w in writers) or time.monotonic() - started < seconds:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            stop.set()
            for user in crowd:
                user.join(timeout=180)
            elapsed = time.monotonic() - started
        finally:
            stop.set()
            for writer in writers:
                if writer.process.poll() is None:
                    writer.process.kill()
                    writer.process.wait()
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        server_text = server_log.read_text(errors="replace")
        writer_figures = [w.figures() for w in writers]
        sign_out(cookies)
    observations = list(tally.observations)
    pages = [figures_of(kind, [o for o in observations if o.kind == kind]) for kind, _ in PAGE_MIX]
    first_errors = [o.error or f"'{LOCKED_TEXT}' in {o.kind}" for o in observations if o.error or o.locked][:5]
    return LoadReport(
        database=database,
        users=users,
        seconds=round(elapsed, 1),
        pages=pages,
        total=figures_of("all pages", observations),
        locked_seen_by_users=sum(1 for o in observations if o.locked),
        locked_in_server_log=server_text.count(LOCKED_TEXT),
        writers=writer_figures,
        first_errors=first_errors,
    )
