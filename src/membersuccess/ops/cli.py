"""The bodies of `msm backup` and `msm restore`; membersuccess.cli only wires them in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from membersuccess.ops.loadtest import LoadReport
from membersuccess.ops.manifest import BackupError

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="The data directory (default: $MSM_DATA_DIR or ./msm-data)."),
]


def _say(message: str) -> None:
    err.print(f"[dim]… {message}[/dim]", highlight=False)


def backup(
    directory: Annotated[Path, typer.Argument(help="A new or empty directory to write the backup into.")],
    data_dir: DataDir = None,
) -> None:
    """Back up the database and the data directory while the app runs (SQLite online backup, or pg_dump)."""
    from membersuccess.config.bootstrap import configure, require_migrated

    configure(data_dir=data_dir)
    require_migrated()
    from membersuccess.ops.backup import backup_create

    try:
        manifest = backup_create(target=directory, say=_say)
    except BackupError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    rows = sum(manifest.counts.values())
    out.print(
        f"Backed up {len(manifest.counts)} tables ({rows:,} rows) and {len(manifest.files)} files "
        f"from Member Success {manifest.version} to {directory.resolve()}",
        highlight=False,
    )
    out.print("It holds personal data and the secret key: keep it where only administrators can read it.")


def restore(
    directory: Annotated[Path, typer.Argument(help="A backup made by `msm backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace the data in a database or data directory that is not empty.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Restore a backup into a fresh data directory or an empty database; stop `msm serve` and `msm worker` first."""
    from membersuccess.config.bootstrap import check_database, configure

    configure(data_dir=data_dir)
    check_database()
    from membersuccess.ops.restore import backup_restore

    try:
        outcome = backup_restore(source=directory, force=force, say=_say)
    except BackupError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    table = Table(title=f"Restored from {directory} (Member Success {outcome.manifest.version})", show_header=False)
    for name in sorted(outcome.counts):
        if outcome.counts[name]:
            table.add_row(name, f"{outcome.counts[name]:,}")
    table.add_row("files", f"{len(outcome.manifest.files):,}")
    out.print(table)
    out.print("Every table has the rows the backup's manifest lists.")
    if outcome.missing_migrations:
        out.print(
            f"The backup predates {outcome.missing_migrations} schema change(s) of this version: "
            "run `msm init` to bring it up to date before serving."
        )


def bench_load(
    users: Annotated[int, typer.Option(min=1, max=500, help="Signed-in users browsing at once.")] = 20,
    seconds: Annotated[
        float, typer.Option(min=1, help="Browse at least this long (and until the import and scoring end).")
    ] = 60,
    import_rows: Annotated[int, typer.Option(min=1, help="Interactions imported while the users browse.")] = 50_000,
    think: Annotated[float, typer.Option(min=0, help="Mean seconds a user pauses between pages.")] = 0.0,
    timeout: Annotated[float, typer.Option(min=1, help="Give up on the import and scoring after this long.")] = 3600,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Users browse `msm serve` on loopback while an import and a scoring run write; exit 1 on any error.

    It writes to the data: the imported interactions (source load-test) and a scoring run. Run it
    against a copy made with `msm backup` and `msm restore`."""
    from membersuccess.config.bootstrap import configure, require_migrated

    configure(data_dir=data_dir)
    require_migrated()
    from django.conf import settings

    from membersuccess.ops.loadtest import run_load

    try:
        report = run_load(
            data_dir=Path(settings.DATA_DIR),
            users=users,
            seconds=seconds,
            import_rows=import_rows,
            think_seconds=think,
            writers_timeout=timeout,
            say=_say,
        )
    except (ValueError, RuntimeError) as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if as_json:
        print(report.as_json())
    else:
        _print_load(report)
    if not report.passed:
        raise typer.Exit(1)


def _print_load(report: LoadReport) -> None:
    table = Table(
        "page",
        "requests",
        "errors",
        "p50 ms",
        "p95 ms",
        title=f"{report.users} users for {report.seconds:.0f} s on {report.database}",
    )
    for page in [*report.pages, report.total]:
        table.add_row(
            page.kind,
            f"{page.requests:,}",
            f"{page.errors:,}",
            "-" if page.p50_ms is None else f"{page.p50_ms:,.0f}",
            "-" if page.p95_ms is None else f"{page.p95_ms:,.0f}",
        )
    out.print(table)
    for writer in report.writers:
        outcome = "completed" if writer.exit_code == 0 else f"FAILED (exit {writer.exit_code}): {writer.last_line}"
        out.print(f"{writer.what}: {outcome} in {writer.seconds:,.0f} s", highlight=False)
    out.print(
        f"'database is locked' reached a user {report.locked_seen_by_users} time(s); "
        f"in the server log {report.locked_in_server_log} time(s)"
    )
    for error in report.first_errors:
        out.print(f"  {error}", highlight=False)
