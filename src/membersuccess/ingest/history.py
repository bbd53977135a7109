"""Reading the import history: the runs, newest first, and the rejects each one left behind."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from membersuccess.exports import spreadsheet_safe
from membersuccess.ingest.models import ImportRun
from membersuccess.ingest.services import mark_interrupted_runs

RUNS_PER_PAGE = 25
REJECTS_SHOWN = 20
# The columns the importer adds after a rejected row's own cells.
REJECTS_COLUMNS = ("_line", "_column", "_reason")


@dataclass(frozen=True)
class RejectLine:
    """One rejected row as the import page shows it."""

    line: str
    column: str
    reason: str


def import_runs() -> QuerySet[ImportRun]:
    """Every import run, newest first, with who started it; runs whose process died show as interrupted."""
    mark_interrupted_runs()
    return ImportRun.objects.select_related("started_by").order_by("-started_at", "-pk")


def rejects_file(run: ImportRun) -> Path | None:
    """The run's rejects file when it is one and lies inside the data directory, else None.

    A CLI import may have written its rejects anywhere on the server, and a path read from the
    database is no licence to serve a file: only a CSV under the data directory whose header
    ends with the importer's `_line,_column,_reason` is ever read or served."""
    if not run.rejects_path:
        return None
    path = Path(run.rejects_path).resolve()
    if not path.is_relative_to(Path(settings.DATA_DIR).resolve()) or path.suffix.lower() != ".csv":
        return None
    if not path.is_file() or not _has_rejects_header(path):
        return None
    return path


def _has_rejects_header(path: Path) -> bool:
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        header = next(csv.reader(handle), [])
    return header[-3:] == list(REJECTS_COLUMNS)


def first_rejects(run: ImportRun, *, limit: int = REJECTS_SHOWN) -> list[RejectLine]:
    """The first rejected rows of a run with their line, column and reason."""
    path = rejects_file(run)
    if path is None:
        return []
    shown: list[RejectLine] = []
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        for row in csv.DictReader(handle):
            shown.append(RejectLine(row.get("_line") or "", row.get("_column") or "", row.get("_reason") or ""))
            if len(shown) >= limit:
                break
    return shown


def guarded_rejects_rows(path: Path) -> Iterator[list[str]]:
    """The rejects file row by row with every cell safe to open in a spreadsheet (header included)."""
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        for row in csv.reader(handle):
            yield [spreadsheet_safe(cell) for cell in row]
