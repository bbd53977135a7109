"""`msm`: the one command for operating Member Success. Thin over the services."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from membersuccess.errors import SetupError
from membersuccess.evidence.cli import backtest_command, forecast_app, signals_app
from membersuccess.evidence.report.cli import app as report_app
from membersuccess.members.cli import app as member_app
from membersuccess.ops import cli as ops_cli
from membersuccess.outreach.cli import app as outreach_app
from membersuccess.plays.cli import app as plays_app
from membersuccess.potential.cli import app as potential_app
from membersuccess.renewals.cli import app as renewals_app

app = typer.Typer(
    name="msm",
    help="Member Success Management: what every member is trying to achieve, whether they are on the path, "
    "and the valuable next step.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Where the SQLite database and other files live (default: $MSM_DATA_DIR or ./msm-data)."
    ),
]
T = TypeVar("T")


def main() -> None:
    """Entry point: domain and setup errors end with one line and exit code 2."""
    try:
        app()
    except SetupError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)
    except Exception as exc:
        from membersuccess.connection_loss import is_connection_lost, lost_message

        if not is_connection_lost(exc):
            raise
        message = lost_message(exc, during="the command", then="what it committed is kept: run it again")
        err.print(f"[red]error:[/red] {message}", highlight=False)
        sys.exit(2)


@contextmanager
def _progress(description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar on stderr; yields a callback taking the amount done so far."""
    columns = [
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    ]
    with Progress(*columns, console=err, transient=False, disable=not err.is_terminal) as bar:
        task = bar.add_task(description, total=total)

        def update(done: int) -> None:
            bar.update(task, completed=done)

        yield update


def _start(data_dir: Path | None, *, migrated: bool = True) -> None:
    from membersuccess.config.bootstrap import configure, require_migrated

    configure(data_dir=data_dir)
    if migrated:
        require_migrated()


@app.command()
def init(data_dir: DataDir = None) -> None:
    """Create or upgrade the database and make sure an admin user exists."""
    from membersuccess.config.bootstrap import configure, ensure_secret_key, migrate

    configure(data_dir=data_dir)
    ensure_secret_key()
    with _status("Migrating the database"):
        migrate()
    from membersuccess.accounts.services import ensure_admin_user

    username, password = ensure_admin_user(password=os.environ.get("MSM_ADMIN_PASSWORD") or None)
    from django.conf import settings

    out.print(f"Database ready ({_database_label()}); data directory {settings.DATA_DIR}")
    if password:
        out.print(f"Admin user created: [bold]{username}[/bold] / [bold]{password}[/bold] (change it after logging in)")
    else:
        out.print(f"Admin user {username} already exists.")


@contextmanager
def _status(message: str) -> Iterator[None]:
    with err.status(message):
        yield


def _database_label() -> str:
    from django.db import connection

    return (
        "SQLite"
        if connection.vendor == "sqlite"
        else "PostgreSQL"
        if connection.vendor == "postgresql"
        else connection.vendor
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    threads: Annotated[int, typer.Option(help="Worker threads.")] = 8,
    data_dir: DataDir = None,
) -> None:
    """Run the web app and the REST API with a production WSGI server (waitress)."""
    _start(data_dir)
    _serve(host=host, port=port, threads=threads)


def _serve(*, host: str, port: int, threads: int) -> None:
    import waitress

    from membersuccess.config.wsgi import application

    out.print(f"Member Success is serving on [bold]http://{host}:{port}/[/bold] (Ctrl+C to stop)")
    waitress.serve(application, host=host, port=port, threads=threads, ident="membersuccess", _quiet=True)


@app.command(name="import")
def import_(
    kind: Annotated[str, typer.Argument(help="members, memberships, interactions, tickets, surveys or outcomes")],
    file: Annotated[Path, typer.Argument(help="CSV, XLSX, Parquet or JSON lines file with a header row")],
    rejects: Annotated[Path | None, typer.Option(help="Where invalid rows go (default: FILE.rejects.csv)")] = None,
    mapping: Annotated[
        str | None, typer.Option(help="A saved column mapping for this KIND (see the Imports page) to read the header")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Import a file; invalid rows go to the rejects file with line, column and reason."""
    _start(data_dir)
    from membersuccess.ingest.errors import ImportFileError
    from membersuccess.ingest.mappings import MappingError, import_with_mapping, saved_mapping

    try:
        column_mapping = saved_mapping(kind=kind, name=mapping) if mapping is not None else None
        with _progress(f"Importing {kind} from {file.name}") as progress:
            result = import_with_mapping(
                kind=kind, path=file, mapping=column_mapping, rejects_path=rejects, progress=progress
            )
    except (ImportFileError, MappingError) as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    table = Table(title=f"{kind} from {file}", show_header=False)
    for label, value in (
        ("rows read", result.rows_read),
        ("created", result.rows_created),
        ("updated", result.rows_updated),
        ("unchanged", result.rows_unchanged),
        ("rejected", result.rows_rejected),
    ):
        table.add_row(label, f"{value:,}")
    out.print(table)
    for note in result.notes:
        out.print(f"note: {note}", highlight=False)
    if result.rejects_path:
        out.print(f"Rejected rows, with line, column and reason: {result.rejects_path}", highlight=False)
    if result.rows_kept == 0:
        err.print("[red]error:[/red] nothing was imported", highlight=False)
        raise typer.Exit(1)


@app.command()
def demo(
    members: Annotated[int, typer.Option(min=10, max=1_000_000, help="How many members to generate.")] = 5000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same association.")] = 42,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Stop after loading; print what was loaded.")] = False,
    host: Annotated[str, typer.Option(help="Interface to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    data_dir: DataDir = None,
) -> None:
    """Build a realistic synthetic association, import it through the real import path, and serve it."""
    from membersuccess.config.bootstrap import configure, ensure_secret_key, migrate

    configure(data_dir=data_dir)
    ensure_secret_key()
    with _status("Migrating the database"):
        migrate()
    from django.conf import settings

    from membersuccess.demo.services import build_demo

    with _progress(f"Building a {members:,}-member association", total=members) as progress:
        summary = build_demo(members=members, seed=seed, data_dir=Path(settings.DATA_DIR), progress=progress)
    table = Table(title="Demo association loaded", show_header=False)
    for label, value in summary.counts().items():
        table.add_row(label, f"{value:,}")
    out.print(table)
    _score_demo(as_of=summary.as_of)
    out.print(f"Demo login: [bold]{summary.username}[/bold] / [bold]{summary.password}[/bold]")
    if not no_serve:
        _serve(host=host, port=port, threads=8)


DEMO_HISTORY_WEEKS = 4


def _score_demo(*, as_of: date) -> None:
    """Score the demo weekly up to its as-of date, so the vectors have a history and a last week."""
    from collections import Counter

    from membersuccess.scoring.models import VectorSnapshot
    from membersuccess.scoring.services import score_run

    dates = [as_of - timedelta(weeks=weeks) for weeks in range(DEMO_HISTORY_WEEKS, -1, -1)]
    with _progress("Scoring Success Vectors, week by week", total=len(dates)) as progress:
        for done, day in enumerate(dates, start=1):
            run = score_run(as_of=day)
            progress(done)
    by_status = Counter(VectorSnapshot.objects.filter(run=run).values_list("status", flat=True))
    shown = ", ".join(f"{count:,} {status.replace('_', ' ')}" for status, count in by_status.most_common())
    out.print(f"Success Vectors as of {as_of}: {shown or 'no active members'}", highlight=False)
    from membersuccess.plays.services import apply_plays

    applied = apply_plays(as_of=as_of)
    out.print(f"Plays started for {applied.plays_started:,} members ({applied.tasks_created:,} tasks)", highlight=False)


token_app = typer.Typer(help="API tokens for systems that push data or read it.", no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(outreach_app, name="outreach")
app.add_typer(plays_app, name="plays")
app.add_typer(potential_app, name="potential")
app.add_typer(renewals_app, name="renewals")
app.add_typer(forecast_app, name="forecast")
app.add_typer(signals_app, name="signals")
app.command("backtest")(backtest_command)
app.add_typer(report_app, name="report")
app.add_typer(member_app, name="member")
app.command("backup")(ops_cli.backup)
app.command("restore")(ops_cli.restore)


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Option(help="Which system uses it, e.g. 'Event platform'.")],
    scope: Annotated[str, typer.Option(help="ingest (push interactions only) or read.")] = "ingest",
    data_dir: DataDir = None,
) -> None:
    """Create a token; the secret is printed once and never stored."""
    _start(data_dir)
    from membersuccess.api.services import api_token_create

    try:
        token, key = api_token_create(name=name, scope=scope)
    except ValueError as exc:
        raise SetupError(str(exc)) from exc
    out.print(f"Token {token.name!r} ({token.scope}) created. Keep this secret safe; it is not shown again:")
    print(key)


@token_app.command("list")
def token_list(data_dir: DataDir = None) -> None:
    """List tokens (never their secrets)."""
    _start(data_dir)
    from membersuccess.api.models import ApiToken

    table = Table("id", "name", "prefix", "scope", "created", "last used", "revoked")
    for t in ApiToken.objects.all():
        table.add_row(
            str(t.pk), t.name, t.prefix + "…", t.scope, f"{t.created_at:%Y-%m-%d}",
            f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never",
            f"{t.revoked_at:%Y-%m-%d}" if t.revoked_at else "",
        )
    out.print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The id shown by `msm token list`.")], data_dir: DataDir = None
) -> None:
    """Revoke a token at once."""
    _start(data_dir)
    from membersuccess.api.models import ApiToken
    from membersuccess.api.services import api_token_revoke

    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise SetupError(f"There is no token with id {token_id}.")
    api_token_revoke(token)
    out.print(f"Token {token.name!r} revoked.")


bench_app = typer.Typer(
    help="Performance benchmarks; figures are recorded in docs/benchmarks.md.", no_args_is_help=True
)
app.add_typer(bench_app, name="bench")
bench_app.command("load")(ops_cli.bench_load)


@bench_app.command("ingest")
def bench_ingest(
    members: Annotated[int, typer.Option(min=1, help="Members the interactions belong to.")] = 10_000,
    events: Annotated[int, typer.Option(min=1, help="Interactions per file (Parquet, then CSV).")] = 200_000,
    api_events: Annotated[int, typer.Option(min=1, help="Interactions posted to the REST API.")] = 50_000,
    ways: Annotated[
        str, typer.Option(help="Which to measure, comma-separated: parquet, csv, api (the rest report null).")
    ] = "parquet,csv,api",
    keep: Annotated[bool, typer.Option("--keep", help="Keep the bench interactions afterwards.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Interactions per second from Parquet, from CSV and through POST /api/v1/interactions/batch.

    Uses the configured database (DATABASE_URL, or --data-dir); without either it measures a fresh
    embedded database in a temporary directory, so a real data directory is never touched."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="msm-bench-") as scratch:
        if data_dir is None and not os.environ.get("DATABASE_URL"):
            data_dir = Path(scratch) / "data"
        from membersuccess.config.bootstrap import configure, ensure_secret_key, migrate

        configure(data_dir=data_dir)
        ensure_secret_key()
        migrate()
        from membersuccess.ingest.bench import run_ingest_bench

        def step(message: str) -> None:
            err.print(f"[dim]… {message}[/dim]", highlight=False)

        chosen = tuple(way.strip() for way in ways.split(",") if way.strip())
        try:
            figures = run_ingest_bench(
                members=members,
                events=events,
                api_events=api_events,
                work_dir=Path(scratch),
                ways=chosen,
                keep=keep,
                step=step,
            )
        except ValueError as exc:
            raise SetupError(str(exc)) from exc
    if as_json:
        print(figures.as_json())
        return
    table = Table(title=f"Ingest into {figures.database}", show_header=False)
    for label, rate, unit in (
        ("Parquet", figures.parquet_rows_per_s, "rows/s"),
        ("CSV", figures.csv_rows_per_s, "rows/s"),
        ("REST batches", figures.api_events_per_s, "events/s"),
    ):
        table.add_row(label, "not measured" if rate is None else f"{rate:,.0f} {unit}")
    table.add_row("Peak memory", f"{figures.peak_rss_mb:,.0f} MB")
    out.print(table)


@app.command()
def score(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Score as of YYYY-MM-DD (default: today).")] = None,
    engine: Annotated[str, typer.Option(help="duckdb (in-process, default) or spark (local mode).")] = "duckdb",
    wait: Annotated[float, typer.Option(help="Seconds to wait if another scoring run is in progress.")] = 0,
    data_dir: DataDir = None,
) -> None:
    """Compute every active member's Success Vector, milestones and flags as of a date."""
    from membersuccess.scoring.cli import parse_as_of, score_command

    score_command(as_of=parse_as_of(as_of), engine=engine, wait=wait, data_dir=data_dir, out=out, err=err)


@app.command()
def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Enqueue the day's scoring if it is due, run every waiting job, then exit.")
    ] = False,
    interval: Annotated[float, typer.Option(min=0.1, help="Seconds between looks for work.")] = 5.0,
    data_dir: DataDir = None,
) -> None:
    """Run background jobs and score every day at MSM_SCORE_AT (local time, default 02:00); run beside `msm serve`."""
    from membersuccess.scoring.worker import worker_command

    worker_command(once=once, interval=interval, data_dir=data_dir, out=out, err=err)


@bench_app.command("score")
def bench_score(
    members: Annotated[int, typer.Option(min=1, help="Members in the synthetic association.")] = 100_000,
    events: Annotated[int, typer.Option(min=1, help="Interactions in the synthetic association.")] = 5_000_000,
    engine: Annotated[str, typer.Option(help="duckdb or spark.")] = "duckdb",
    work_dir: Annotated[Path | None, typer.Option(help="Where the generated Parquet is kept and reused.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")] = False,
    memory_limit: Annotated[
        str | None, typer.Option(help="DuckDB's memory limit, e.g. 3GB (it spills beyond it); default 80% of RAM.")
    ] = None,
) -> None:
    """Time features and scores on synthetic Parquet data against a hand-written DuckDB SQL baseline."""
    from membersuccess.scoring.cli import bench_score_command

    bench_score_command(members=members, events=events, engine=engine, work_dir=work_dir, as_json=as_json, out=out,
                        memory_limit=memory_limit)
