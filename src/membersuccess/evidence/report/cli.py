"""`msm report executive [--as-of DATE] --out FILE.html|FILE.pdf`: the executive and board report."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Reports for executives and the board.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(2)


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise _fail(f"--as-of {text!r} is not a date: use YYYY-MM-DD") from exc


@app.command("executive")
def executive(
    out_file: Annotated[Path, typer.Option("--out", help="Where to write it: a .html or .pdf file.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Report as of YYYY-MM-DD (default: today).")] = None,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="The data directory (default: $MSM_DATA_DIR).")]
    = None,
) -> None:
    """Retention, value at risk, expansion, churn's root causes, success against happiness and usage, and how
    well the Success Vector predicts renewal: written as HTML or PDF, charts included, nothing fetched."""
    from membersuccess.errors import SetupError

    day = _parse_date(as_of)
    try:
        from membersuccess.cli import _start

        _start(data_dir)
    except SetupError as exc:
        raise _fail(str(exc)) from exc
    from django.utils import timezone

    from membersuccess.evidence.report.build import ReportError, executive_report
    from membersuccess.evidence.report.render import check_writable, output_format, write_report

    try:
        output_format(out_file)
        check_writable(out_file)
        with err.status("Computing the report"):
            report = executive_report(as_of=day or timezone.localdate())
            size = write_report(report, path=out_file)
    except ReportError as exc:
        raise _fail(str(exc)) from exc
    from membersuccess.accounts.audit import audit_record

    audit_record(action="executive_report_exported", object_type="report",
                 detail={"as_of": report.as_of.isoformat(), "file": str(out_file), "via": "cli"})
    out.print(f"Executive report as of {report.as_of} written to {out_file} ({size:,} bytes)", highlight=False)
