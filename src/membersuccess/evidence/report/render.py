"""Render the executive report to a standalone HTML page or to a PDF (ReportLab: no browser, no system library)."""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from membersuccess.evidence.report.build import ExecutiveReport, ReportError
from membersuccess.evidence.report.sections import Section, report_sections

TITLE = "Member Success: executive report"
FORMATS = (".html", ".pdf")


def report_html(report: ExecutiveReport, *, sections: list[Section] | None = None) -> str:
    """The report as one self-contained HTML page: inline CSS and SVG charts, no script, nothing fetched."""
    return render_to_string("evidence/report/executive.html", {
        "title": TITLE, "report": report, "sections": sections or report_sections(report),
    })


def report_pdf(report: ExecutiveReport, *, sections: list[Section] | None = None) -> bytes:
    """The same sections, figures, tables and charts as the HTML, laid out on A4 pages."""
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#374151"))
    lead = ParagraphStyle("lead", parent=body, fontName="Helvetica-Bold", fontSize=10.5, leading=14)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)

    def para(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    story: list[Flowable] = [
        para(TITLE, styles["Title"]),
        para(f"As of {report.as_of} · generated {report.generated_at:%Y-%m-%d %H:%M} UTC · "
             f"signals v{report.signal_version}", small),
    ]
    for index, section in enumerate(sections or report_sections(report)):
        if index == 1:
            story.append(PageBreak())
        story += [Spacer(1, 4 * mm), para(section.title, styles["Heading2"]), para(section.lead, lead)]
        if section.figures:
            story.append(_grid([[para(label, small), para(value, lead)] for label, value in section.figures],
                               widths=[95 * mm, 60 * mm]))
        for chart in section.charts:
            story.append(KeepTogether([Spacer(1, 2 * mm), chart.drawing(), para(chart.title, small)]))
        for table in section.tables:
            rows = [[para(h, cell) for h in table.headers]] + [[para(c, cell) for c in row] for row in table.rows]
            if not table.rows:
                rows.append([para("None.", cell)] + [para("", cell)] * (len(table.headers) - 1))
            parts: list[Flowable] = [Spacer(1, 2 * mm)]
            if table.caption:
                parts.append(para(table.caption, lead))
            parts.append(_grid(rows, header=True))
            story += parts
        if section.definitions:
            story.append(Spacer(1, 2 * mm))
            story += [para(text, small) for text in section.definitions]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=TITLE, author="Member Success",
                            leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm)
    doc.build(story)
    return buffer.getvalue()


def _grid(rows: list[list[Paragraph]], *, widths: list[float] | None = None, header: bool = False) -> PdfTable:
    table = PdfTable(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#e5e7eb"))]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f4f6"))]
    table.setStyle(TableStyle(style))
    return table


def output_format(path: Path) -> str:
    """The format a path asks for by its extension; anything but .html or .pdf is refused."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ReportError(f"--out {path}: unknown extension {suffix or '(none)'!r}; use .html or .pdf")
    return suffix


def check_writable(path: Path) -> None:
    """Refuse, before any work, a path whose folder is missing or cannot be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ReportError(f"--out {path} is a folder; give a file name ending in .html or .pdf")
    if not folder.is_dir():
        raise ReportError(f"--out {path}: the folder {folder} does not exist")
    import os

    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ReportError(f"--out {path}: cannot write there (permission denied)")


def write_report(report: ExecutiveReport, *, path: Path) -> int:
    """Write the report in the format the path's extension names; returns the bytes written."""
    suffix = output_format(path)
    data = report_pdf(report) if suffix == ".pdf" else report_html(report).encode("utf-8")
    try:
        path.write_bytes(data)
    except OSError as error:
        raise ReportError(f"--out {path}: cannot write there ({error.strerror or error})") from error
    return len(data)
