"""`msm plays install`: add the plays library that ships with the product to any association."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="The plays library: what to do, toward which milestone, when a member needs it.",
                  no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@app.command("install")
def install(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")] = False,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="The data directory.")] = None,
) -> None:
    """Add the default teams, resources and plays that are missing; what staff have edited is left as it is.
    Running it again adds nothing."""
    from membersuccess.config.bootstrap import configure, require_migrated
    from membersuccess.errors import SetupError

    try:
        configure(data_dir=data_dir)
        require_migrated()
    except SetupError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    from membersuccess.plays.library import install_default_library

    added = install_default_library()
    if as_json:
        print(json.dumps({"plays_added": added.plays_added, "resources_added": added.resources_added,
                          "teams_added": added.teams_added}))
        return
    out.print(f"Plays library: {added.plays_added} plays, {added.resources_added} resources and "
              f"{added.teams_added} teams added. Replace the resources' example.org links with your own "
              "pages in the admin.", highlight=False)
