"""`msm renewals plan`: raise success-plan tasks for members not on track whose term ends soon."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Renewals as part of member success: success plans before renewal.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(2)


@app.command("plan")
def plan(
    as_of: Annotated[str | None, typer.Option(help="Count from this day (YYYY-MM-DD); default today.")] = None,
    lead_days: Annotated[
        str | None,
        typer.Option(help="Raise plans for terms ending within this many days (default 120, or "
                     "$MSM_RENEWAL_PLAN_LEAD_DAYS)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")] = False,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="The data directory.")] = None,
) -> None:
    """Give every member who is off track or drifting, and whose term ends within the lead time, a
    success-plan task (never a discount offer). Running it again adds nothing twice."""
    from membersuccess.config.bootstrap import configure, require_migrated
    from membersuccess.errors import SetupError

    try:
        configure(data_dir=data_dir)
        require_migrated()
    except SetupError as exc:
        raise _fail(str(exc)) from exc
    from django.utils import timezone

    from membersuccess.renewals.errors import RenewalError
    from membersuccess.renewals.pipeline import parse_as_of
    from membersuccess.renewals.plans import raise_renewal_plans

    try:
        day: date = parse_as_of(as_of, default=timezone.localdate())
        result = raise_renewal_plans(as_of=day, lead_days=None if lead_days is None else int_or_raw(lead_days))
    except RenewalError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        print(json.dumps({
            "as_of": result.as_of.isoformat(), "lead_days": result.lead_days, "considered": result.considered,
            "raised": len(result.raised), "already_planned": result.already_planned,
            "on_track_or_unscored": result.on_track_or_unscored, "skipped": result.skipped,
        }))
        return
    out.print(
        f"Terms ending by {result.as_of} + {result.lead_days} days: {result.considered:,}. "
        f"Success plans raised: {len(result.raised):,}; already in place: {result.already_planned:,}; "
        f"not needed (on track, too early or not scored): {result.on_track_or_unscored:,}.",
        highlight=False,
    )
    for reason in result.skipped:
        out.print(f"not planned: {reason}", highlight=False)


def int_or_raw(value: str) -> int | str:
    """The option as an int when it is one, else as given, so the service names the bad value."""
    try:
        return int(value)
    except ValueError:
        return value
