"""`msm member export ID --out FILE` and `msm member erase ID --reason TEXT --yes`: a member's data on request."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="A member's data on request: export it, or erase it.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

MemberId = Annotated[str, typer.Argument(help="The member's ID (the Member ID on their page: their external id).")]
DataDir = Annotated[Path | None, typer.Option("--data-dir", help="The data directory.")]


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(2)


def _start(data_dir: Path | None) -> None:
    from membersuccess.config.bootstrap import configure, require_migrated
    from membersuccess.errors import SetupError

    try:
        configure(data_dir=data_dir)
        require_migrated()
    except SetupError as exc:
        raise _fail(str(exc)) from exc


def _via() -> str:
    """Who ran the command, as the operating system knows them (the CLI has no signed-in user)."""
    try:
        return f"cli ({getpass.getuser()})"
    except (OSError, KeyError):
        return "cli"


@app.command("export")
def export(
    member_id: MemberId,
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the JSON document.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Write everything held about the member to one JSON file (the export is recorded in the audit log)."""
    if out_file.exists() and not force:
        raise _fail(f"{out_file} exists; choose another --out or add --force to overwrite it.")
    if not out_file.parent.is_dir():
        raise _fail(f"{out_file.parent} is not a directory.")
    _start(data_dir)
    from membersuccess.members.privacy import PrivacyError, export_json, member_by_id, member_data_export

    try:
        member = member_by_id(member_id=member_id)
        document = member_data_export(member, by=None, via=_via())
    except PrivacyError as exc:
        raise _fail(str(exc)) from exc
    out_file.write_text(export_json(document), encoding="utf-8")
    total = sum(document["counts"].values())
    out.print(f"Exported member {member.external_id} and {total:,} records about them to {out_file}", highlight=False)


@app.command("erase")
def erase(
    member_id: MemberId,
    reason: Annotated[
        str, typer.Option("--reason", help="Why, e.g. the request's reference and date; kept in the audit log, "
                          "so do not name the person.")
    ] = "",
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: erasing cannot be undone.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Erase the member and everything about them (interactions included), keeping only an audit entry."""
    if not reason.strip():
        raise _fail("--reason is required: say why the member's data is erased (e.g. the request's reference).")
    _start(data_dir)
    from membersuccess.members.privacy import PrivacyError, member_by_id, member_erase

    try:
        member = member_by_id(member_id=member_id)
    except PrivacyError as exc:
        raise _fail(str(exc)) from exc
    if not yes:
        raise _fail(
            f"Erasing member {member.external_id} deletes them and everything about them for good; "
            "run again with --yes to confirm (export it first with `msm member export`)."
        )
    try:
        erasure = member_erase(member, by=None, reason=reason, via=_via())
    except PrivacyError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        print(json.dumps({
            "member_pk": erasure.member_pk, "external_id_hash": erasure.external_id_hash, "erased": erasure.erased,
            "audit_entries_redacted": erasure.audit_entries_redacted, "audit_entry_id": erasure.audit_entry_id,
        }))
        return
    total = sum(erasure.erased.values())
    out.print(
        f"Erased member {member_id.strip()}: {total:,} records deleted, {erasure.audit_entries_redacted:,} audit "
        f"entries redacted; recorded as audit entry {erasure.audit_entry_id}",
        highlight=False,
    )
