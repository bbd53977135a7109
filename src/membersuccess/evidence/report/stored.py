"""The executive report of the latest scoring run, kept as files so the web serves it without recomputing.

One HTML fragment and one PDF per completed scoring run, in DATA_DIR/reports; a new run gives a new
report on first view. Files are written whole and then renamed, so a reader never sees half a file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from membersuccess.evidence.report.build import executive_report
from membersuccess.evidence.report.render import TITLE, report_pdf
from membersuccess.evidence.report.sections import report_sections
from membersuccess.scoring.models import ScoreRun

FOLDER = "reports"


@dataclass(frozen=True)
class StoredReport:
    as_of: date
    run_id: int
    html_path: Path
    pdf_path: Path

    def fragment(self) -> str:
        return self.html_path.read_text(encoding="utf-8")


def _paths(run: ScoreRun) -> tuple[Path, Path]:
    folder = Path(settings.DATA_DIR) / FOLDER
    stem = f"executive-{run.as_of:%Y-%m-%d}-run{run.pk}"
    return folder / f"{stem}.html", folder / f"{stem}.pdf"


def _write_whole(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def latest_report() -> StoredReport | None:
    """The report as of the latest completed scoring run, made now if it is not kept yet; None before any run."""
    run = ScoreRun.objects.filter(status=ScoreRun.Status.COMPLETED).order_by("-as_of", "-finished_at").first()
    if run is None:
        return None
    html_path, pdf_path = _paths(run)
    if not (html_path.exists() and pdf_path.exists()):
        report = executive_report(as_of=run.as_of)
        sections = report_sections(report)
        html_path.parent.mkdir(parents=True, exist_ok=True)
        fragment = render_to_string("evidence/report/fragment.html",
                                    {"title": TITLE, "report": report, "sections": sections})
        _write_whole(pdf_path, report_pdf(report, sections=sections))
        _write_whole(html_path, fragment.encode("utf-8"))
    return StoredReport(as_of=run.as_of, run_id=run.pk, html_path=html_path, pdf_path=pdf_path)
