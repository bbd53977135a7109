"""The bodies of `msm score` and `msm bench score`; membersuccess.cli only wires them in."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from membersuccess.engine.vector import FLAGS, STATUSES
from membersuccess.errors import SetupError


def score_command(
    *,
    as_of: date | None,
    engine: str,
    wait: float,
    data_dir: Path | None,
    out: Console,
    err: Console,
) -> None:
    """Score every active member and print what came out: members scored, by status, by flag."""
    from membersuccess.cli import _start

    _start(data_dir)
    from membersuccess.engine.backends import EngineUnavailable
    from membersuccess.engine.milestones import MilestoneRuleError
    from membersuccess.scoring.models import VectorSnapshot
    from membersuccess.scoring.services import ScoringError, score_run

    columns = [SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn()]
    try:
        with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("Starting", total=None)
            run = score_run(
                as_of=as_of, engine=engine, wait_seconds=wait,
                progress=lambda message: bar.update(task, description=message),
            )
    except (ScoringError, EngineUnavailable, MilestoneRuleError) as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from error
    snapshots = VectorSnapshot.objects.filter(run=run)
    by_status = Counter(snapshots.values_list("status", flat=True))
    by_flag: Counter[str] = Counter()
    for flags in snapshots.values_list("flags", flat=True).iterator(chunk_size=10_000):
        by_flag.update(flags)
    version = run.signal_set.version if run.signal_set else "?"
    table = Table(title=f"Success Vectors as of {run.as_of} ({run.engine}, signals v{version})", show_header=False)
    table.add_row("members scored", f"{run.members_scored:,}")
    for status in STATUSES:
        table.add_row(f"  {status.replace('_', ' ')}", f"{by_status.get(status, 0):,}")
    for flag in FLAGS:
        table.add_row(f"flagged {flag.replace('_', ' ')}", f"{by_flag.get(flag, 0):,}")
    seconds = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
    table.add_row("time", f"{seconds:.1f} s")
    out.print(table)
    from membersuccess.plays.services import apply_plays

    applied = apply_plays(as_of=run.as_of)
    out.print(f"Plays started: {applied.plays_started:,} ({applied.tasks_created:,} tasks)", highlight=False)


def bench_score_command(
    *, members: int, events: int, engine: str, work_dir: Path | None, as_json: bool, out: Console,
    memory_limit: str | None = None,
) -> None:
    """Generate (or reuse) a synthetic association as Parquet and time the engine on it."""
    from membersuccess.engine.bench import run_bench

    report = run_bench(members=members, events=events, engine=engine, work_dir=work_dir, memory_limit=memory_limit)
    if as_json:
        print(json.dumps(report))
        return
    table = Table(title=f"msm bench score: {members:,} members, {events:,} interactions on {engine}",
                  show_header=False)
    for key, value in report.items():
        table.add_row(key, f"{value:,}" if isinstance(value, int) else str(value))
    out.print(table)


def parse_as_of(value: str | None) -> date | None:
    """The --as-of option as a date, with a one-line error for anything else."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise SetupError(f"--as-of {value!r} is not a date: use YYYY-MM-DD, e.g. 2024-06-30") from error
