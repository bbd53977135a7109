"""`msm outreach lint FILE|-`: check a draft carries value; exit 0 passes, 1 fails with reasons, 2 cannot check."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from membersuccess.outreach.checks import DraftCheck, DraftTooLong, MemberContext, check_draft

app = typer.Typer(help="Outreach drafts: every contact with a member carries value.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(2)


def _read_draft(source: str) -> str:
    """The draft's text from a file or, for `-`, from standard input; unreadable input ends with exit 2."""
    if source == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        label = "standard input"
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise _fail(f"cannot read {source}: {exc.strerror or exc}") from exc
        label = source
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(f"{label} is not UTF-8 text (byte {exc.start + 1})") from exc


def _member_context(external_id: str, data_dir: Path | None) -> MemberContext:
    from membersuccess.config.bootstrap import configure, require_migrated
    from membersuccess.errors import SetupError

    try:
        configure(data_dir=data_dir)
        require_migrated()
    except SetupError as exc:
        raise _fail(str(exc)) from exc
    from membersuccess.outreach.selectors import UnknownMember, member_by_external_id, outreach_context

    try:
        member = member_by_external_id(external_id=external_id)
    except UnknownMember as exc:
        raise _fail(str(exc)) from exc
    return outreach_context(member=member)


@app.command("lint")
def lint(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="The draft as a text file, or - for stdin.")],
    member: Annotated[
        str | None,
        typer.Option("--member", help="The member's external id: their next milestone counts and is suggested."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")] = False,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="With --member: where the database lives.")
    ] = None,
) -> None:
    """Check an outreach draft carries value (next milestone, a plan, a resource link); exit 1 with reasons if not."""
    text = _read_draft(source)
    context = _member_context(member, data_dir) if member is not None else None
    try:
        result = check_draft(text, member_context=context)
    except DraftTooLong as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        _print(result)
    if not result.passes:
        raise typer.Exit(1)


def _print(result: DraftCheck) -> None:
    if result.passes:
        out.print("[green]passes:[/green] the draft carries value", highlight=False)
        for item in result.value_items:
            out.print(f"  {item.kind.replace('_', ' ')}: {item.text}", highlight=False, markup=False)
        return
    out.print("[red]rejected:[/red] the draft carries no value for the member", highlight=False)
    for reason in result.reasons:
        out.print(f"  - {reason}", highlight=False, markup=False)
