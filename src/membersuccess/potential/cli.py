"""`msm potential train`: learn the fit model from history and store every member's fit at joining."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Success Potential: fit before members join.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@app.callback()
def potential() -> None:
    """Success Potential: fit before members join."""


@app.command("train")
def train(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Learn from history up to this day (ISO date); default today.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")] = False,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Where the database lives.")] = None,
) -> None:
    """Train the fit model on members whose first year is over; show its cross-validated AUC."""
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        err.print(f"[red]error:[/red] --as-of {as_of!r} is not an ISO 8601 date, e.g. 2025-06-30", highlight=False)
        raise typer.Exit(2) from None
    from membersuccess.config.bootstrap import configure, require_migrated
    from membersuccess.errors import SetupError

    try:
        configure(data_dir=data_dir)
        require_migrated()
    except SetupError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from error
    from membersuccess.potential.services import PotentialError, fit_model_train

    try:
        with err.status("Training the fit model", spinner="dots"):
            model = fit_model_train(as_of=day)
    except PotentialError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from error
    from membersuccess.potential.models import MemberFit

    bands = {band: MemberFit.objects.filter(model=model, band=band).count() for band in ("strong", "moderate", "poor")}
    if as_json:
        print(json.dumps({
            "as_of": model.as_of.isoformat(),
            "cv_auc": round(model.cv_auc, 4),
            "cv_auc_spread": round(model.cv_auc_spread, 4),
            "folds": model.folds,
            "members_used": model.members_used,
            "members_reached": model.members_reached,
            "member_fits": bands,
        }))
        return
    out.print(
        f"Fit model as of {model.as_of}: cross-validated AUC {model.cv_auc:.2f} (± {model.cv_auc_spread:.2f} over "
        f"{model.folds} folds), learned from {model.members_used:,} members, {model.members_reached:,} of whom "
        "reached their first-year milestones",
        highlight=False,
    )
    out.print(
        f"Fit at joining: {bands['strong']:,} strong, {bands['moderate']:,} moderate, {bands['poor']:,} poor",
        highlight=False,
    )
