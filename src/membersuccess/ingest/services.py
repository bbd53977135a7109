"""Run an import: read a file, keep every valid row, send every invalid one to the rejects file."""

from __future__ import annotations

import contextlib
import csv
import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError, connection
from django.utils import timezone

from membersuccess.connection_loss import ConnectionLost, drop_connection, is_connection_lost, lost_message
from membersuccess.exports import spreadsheet_safe
from membersuccess.ingest.cells import is_blank
from membersuccess.ingest.columnar import Lanes, split_interactions
from membersuccess.ingest.errors import CellError, ImportFileError
from membersuccess.ingest.kinds import EVENT_LATEST, ID_LENGTH, KIND_LENGTH, KINDS, SOURCE_LENGTH
from membersuccess.ingest.models import ImportRun
from membersuccess.ingest.prefetch import prefetched
from membersuccess.ingest.readers import ColumnBatch, RawRow, open_rows
from membersuccess.ingest.spec import (
    BatchOutcome,
    HeaderMap,
    KindSpec,
    ParsedRow,
    WriteContext,
    header_matcher,
    map_header,
)
from membersuccess.ingest.writers import (
    duplicate_in_file,
    latest_interaction_id,
    store_interactions,
    unknown_member,
)

Progress = Callable[[int], None]


@dataclass
class ImportResult:
    kind: str
    path: Path
    rows_read: int = 0
    rows_created: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_rejected: int = 0
    rejects_path: Path | None = None
    notes: list[str] = field(default_factory=list)
    run_id: int | None = None

    @property
    def rows_kept(self) -> int:
        return self.rows_created + self.rows_updated + self.rows_unchanged


def default_rejects_path(path: Path) -> Path:
    return path.with_name(path.name + ".rejects.csv")


def run_import(
    *,
    kind: str,
    path: Path,
    rejects_path: Path | None = None,
    started_by: User | None = None,
    progress: Progress | None = None,
    saved_mapping: dict[str, str] | None = None,
) -> ImportResult:
    """Import one file of KIND; raises ImportFileError when the file as a whole is unusable."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ImportFileError(path, f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    mark_interrupted_runs()
    run = _start_run(kind=kind, file_name=str(path), started_by=started_by)
    result = ImportResult(kind=kind, path=path, run_id=run.pk)
    rejects = _RejectsFile(rejects_path or default_rejects_path(path))
    try:
        opened = open_rows(path, looks_like_header=header_matcher(spec, saved=saved_mapping))
        header = map_header(opened.header, spec, saved=saved_mapping)
        if header.missing:
            found = ", ".join(repr(h) for h in opened.header) or "none"
            raise ImportFileError(
                path,
                f"missing required column(s) {', '.join(header.missing)} (the header has: {found})",
            )
        if header.extras:
            kept = "kept in attributes" if spec.keeps_extra_columns else "ignored"
            result.notes.append(f"unknown column(s) {', '.join(header.extras)} {kept}")
        rejects.header = [*opened.header, "_line", "_column", "_reason"]
        context = WriteContext(stored_before=latest_interaction_id() if spec.append_only else 0)
        with _sqlite_import_settings():
            seen: set[tuple[Any, ...]] = set()
            if opened.column_batches is not None and spec.name == "interactions":
                for column_batch, lanes in prefetched(_split_batches(opened.column_batches, header)):
                    _import_interactions_columnar(
                        column_batch,
                        lanes,
                        header=header,
                        context=context,
                        rejects=rejects,
                        result=result,
                        line_label=opened.line_label,
                    )
                    if progress is not None:
                        progress(result.rows_read)
            else:
                for batch in opened.batches:
                    if spec.append_only:
                        seen.clear()  # earlier batches are checked by the writer, in the database
                    import_batch(
                        batch,
                        spec=spec,
                        header=header,
                        seen=seen,
                        rejects=rejects,
                        result=result,
                        line_label=opened.line_label,
                        context=context,
                    )
                    if progress is not None:
                        progress(result.rows_read)
        # Readers add notes while streaming (e.g. lines read as Windows-1252), so take them last.
        result.notes[0:0] = opened.notes
        if result.rows_read == 0:
            result.notes.append("the file has a header but no rows")
    except ImportFileError as exc:
        _finish(run, result, status=ImportRun.Status.FAILED, error=exc.reason)
        rejects.close()
        exc.run_id = run.pk
        raise
    except BaseException as exc:
        if is_connection_lost(exc):
            rejects.close()
            raise _connection_lost(run, result, exc) from exc
        _finish(run, result, status=ImportRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        rejects.close()
        raise
    rejects.close()
    result.rows_rejected = rejects.count
    result.rejects_path = rejects.path if rejects.count else None
    _finish(run, result, status=ImportRun.Status.COMPLETED, error="")
    return result


def import_batch(
    batch: list[RawRow],
    *,
    spec: KindSpec,
    header: HeaderMap,
    seen: set[tuple[Any, ...]],
    rejects: RejectSink,
    result: ImportResult,
    line_label: str,
    context: WriteContext,
) -> None:
    """Validate one batch of rows, store the valid ones in one transaction, report the rest."""
    result.rows_read += len(batch)
    parsed = list(_parse_batch(batch, spec, header, seen, rejects, line_label))
    outcome = spec.write(parsed, context) if parsed else BatchOutcome()
    result.rows_created += outcome.created
    result.rows_updated += outcome.updated
    result.rows_unchanged += outcome.unchanged
    for reject in outcome.rejects:
        rejects.write(reject.cells, reject.line, reject.column, reject.reason)
    result.rows_rejected = rejects.count


def _split_batches(batches: Iterator[ColumnBatch], header: HeaderMap) -> Iterator[tuple[ColumnBatch, Lanes]]:
    """Each batch with its rows split into ready and slow lanes. The splitting runs ahead in a
    thread (see `prefetched`), so what it needs from settings and the connection is read here, in
    the caller's thread, before it starts."""
    zone = settings.TIME_ZONE
    latest = EVENT_LATEST()
    suffix = "" if connection.vendor == "sqlite" else "+00:00"
    limits = {"external_id": ID_LENGTH, "source": SOURCE_LENGTH, "member_id": ID_LENGTH, "kind": KIND_LENGTH}

    def split() -> Iterator[tuple[ColumnBatch, Lanes]]:
        for index, whole in enumerate(batches):
            for batch in [whole] if index else _head_first(whole):
                lanes = split_interactions(
                    batch.table,
                    header=header,
                    numbers=batch.numbers,
                    limits=limits,
                    zone=zone,
                    latest=latest,
                    timestamp_suffix=suffix,
                )
                yield batch, lanes

    return split()


# Storing waits for the first batch to be read; a small first piece gets it started sooner.
FIRST_PIECE_ROWS = 5_000


def _head_first(batch: ColumnBatch) -> list[ColumnBatch]:
    """The first rows of a batch on their own, then the rest (malformed rows go with their lines)."""
    if batch.table.num_rows <= FIRST_PIECE_ROWS:
        return [batch]
    last = batch.numbers[FIRST_PIECE_ROWS - 1]
    return [
        ColumnBatch(
            batch.table.slice(0, FIRST_PIECE_ROWS),
            batch.numbers[:FIRST_PIECE_ROWS],
            [row for row in batch.malformed if row.line <= last],
        ),
        ColumnBatch(
            batch.table.slice(FIRST_PIECE_ROWS),
            batch.numbers[FIRST_PIECE_ROWS:],
            [row for row in batch.malformed if row.line > last],
        ),
    ]


def _import_interactions_columnar(
    batch: ColumnBatch,
    lanes: Lanes,
    *,
    header: HeaderMap,
    context: WriteContext,
    rejects: RejectSink,
    result: ImportResult,
    line_label: str,
) -> None:
    """Store the rows of a batch that pass the column checks; the rest go row by row."""
    result.rows_read += len(lanes.ready)
    position_of: dict[int, int] = {}

    def cells_of(number: int) -> dict[str, Any]:
        if not position_of:  # only a batch with a refused row needs it
            position_of.update((n, position) for position, n in enumerate(batch.numbers))
        cells: dict[str, Any] = batch.table.slice(position_of[number], 1).to_pylist()[0]
        return cells

    stored = store_interactions(lanes.ready, stored_before=context.stored_before)
    result.rows_created += stored.created
    result.rows_unchanged += stored.unchanged
    refused = [
        *((at, _label_of(header, "member_id"), unknown_member(lanes.ready[at][2])) for at in stored.unknown_members),
        *((at, _label_of(header, "external_id"), duplicate_in_file(lanes.ready[at][1])) for at in stored.duplicates),
    ]
    # The batch's refused rows, from both lanes, go to the rejects file in the file's order.
    in_order = _HeldRejects()
    for at, label, reason in refused:
        number = lanes.ready_numbers[at]
        in_order.write(cells_of(number), number, label, reason)
    slow = sorted([*lanes.slow, *batch.malformed], key=lambda row: row.line)
    if slow:
        import_batch(
            slow,
            spec=KINDS["interactions"],
            header=header,
            # Rows that repeat a stored one are found in the database (store_interactions).
            seen=set(),
            rejects=in_order,
            result=result,
            line_label=line_label,
            context=context,
        )
    in_order.pass_on(rejects)
    result.rows_rejected = rejects.count


def _parse_batch(
    batch: list[RawRow],
    spec: KindSpec,
    header: HeaderMap,
    seen: set[tuple[Any, ...]],
    rejects: RejectSink,
    line_label: str,
) -> Iterator[ParsedRow]:
    columns = header.by_label.items()
    for raw in batch:
        if raw.problem:
            rejects.write(raw.cells, raw.line, "", f"{line_label} {raw.line} {raw.problem}")
            continue
        values: dict[str, Any] = {}
        failed = None
        for label, column in columns:
            cell = raw.cells.get(label)
            if is_blank(cell):
                if column.required:
                    failed = (label, "is required but empty")
                    break
                values[column.name] = column.default() if callable(column.default) else column.default
                continue
            try:
                values[column.name] = column.parse(cell)
            except CellError as exc:
                failed = (label, exc.reason)
                break
        if failed is None and spec.check is not None:
            try:
                spec.check(values)
            except CellError as exc:
                failed = (_label_of(header, exc.column), exc.reason)
        if failed is None:
            identity = tuple(values[name] for name in spec.identity)
            if identity in seen:
                failed = (_label_of(header, "external_id"), duplicate_in_file(values["external_id"]))
            else:
                seen.add(identity)
        if failed is not None:
            rejects.write(raw.cells, raw.line, failed[0], failed[1])
            continue
        extras = {label: raw.cells[label] for label in header.extras if not is_blank(raw.cells.get(label))}
        yield ParsedRow(raw.line, values, raw.cells, extras if spec.keeps_extra_columns else {})


def _label_of(header: HeaderMap, column: str | None) -> str:
    for label, col in header.by_label.items():
        if col.name == column:
            return label
    return column or ""


INTERRUPTED = (
    "interrupted: the importing process stopped before the end; import the file again (nothing is stored twice)"
)


# An import writes rows in whatever order the file has them, so index pages are touched all over;
# a larger page cache than the web's keeps them in memory instead of re-reading them per batch.
IMPORT_CACHE_KIB = 256 * 1024
# SQLite copies the write-ahead log into the database (a checkpoint, with two fsyncs) whenever the
# log passes this many pages at a commit; the default, 1,000 pages (4 MB), checkpoints after
# nearly every batch of an import.
IMPORT_CHECKPOINT_PAGES = 64 * 1024


@contextlib.contextmanager
def _sqlite_import_settings() -> Iterator[None]:
    """Give the importing SQLite connection room for the import, and back what it had after."""
    if connection.vendor != "sqlite":
        yield
        return
    wanted = {
        "cache_size": -IMPORT_CACHE_KIB,
        # Batches are staged in a temporary table (ingest/writers.py): keep it off the disk.
        "temp_store": 2,  # MEMORY
        "wal_autocheckpoint": IMPORT_CHECKPOINT_PAGES,
    }
    if connection.in_atomic_block:
        del wanted["temp_store"]  # SQLite takes it only outside a transaction
    with connection.cursor() as cursor:
        before = {}
        for name, value in wanted.items():
            cursor.execute(f"PRAGMA {name}")
            before[name] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA {name}={int(value)}")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name}={int(value)}")


def _start_run(*, kind: str, file_name: str, started_by: User | None) -> ImportRun:
    return ImportRun.objects.create(
        kind=kind, file_name=file_name, started_by=started_by, host=socket.gethostname(), pid=os.getpid()
    )


def mark_interrupted_runs() -> int:
    """Mark as failed the runs still 'running' whose process on this machine is gone (a crash or
    kill -9 ends a process without a word); runs of other machines are left to those machines."""
    stale = [
        run.pk
        for run in ImportRun.objects.filter(status=ImportRun.Status.RUNNING, host=socket.gethostname())
        if run.pid is None or not _alive(run.pid)
    ]
    if not stale:
        return 0
    return ImportRun.objects.filter(pk__in=stale, status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.FAILED, error=INTERRUPTED, finished_at=timezone.now()
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def _connection_lost(run: ImportRun, result: ImportResult, error: BaseException) -> ConnectionLost:
    """The database went away mid-import: record the run as failed if the server is back, say so in one line."""
    message = lost_message(
        error,
        during=f"the import of {result.path.name}",
        then="the rows stored before it are kept: import the file again to finish (nothing is stored twice)",
    )
    drop_connection()
    # If the server is still unreachable, the next import marks this run interrupted, as after a kill.
    with contextlib.suppress(DatabaseError):
        _finish(run, result, status=ImportRun.Status.FAILED, error=message)
    return ConnectionLost(message)


def _finish(run: ImportRun, result: ImportResult, *, status: str, error: str) -> None:
    run.status = status
    run.error = error
    run.finished_at = timezone.now()
    run.rows_read = result.rows_read
    run.rows_created = result.rows_created
    run.rows_updated = result.rows_updated
    run.rows_unchanged = result.rows_unchanged
    run.rows_rejected = result.rows_rejected
    run.rejects_path = str(result.rejects_path or "")
    run.save()


class RejectSink(Protocol):
    """Where invalid rows go: a rejects file for files, a list of errors for API batches."""

    count: int

    def write(self, cells: dict[str, Any], line: int, column: str, reason: str) -> None: ...


class _RejectsFile:
    """The rejects CSV, created only when the first invalid row turns up."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.header: list[str] = ["_line", "_column", "_reason"]
        self.count = 0
        self._handle: IO[str] | None = None
        self._writer: Any = None

    def write(self, cells: dict[str, Any], line: int, column: str, reason: str) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._handle)
            # Labels come from the file too, so they are guarded like the cells.
            self._writer.writerow([spreadsheet_safe(label) for label in self.header])
        originals = [spreadsheet_safe(_cell_text(cells.get(h))) for h in self.header[:-3]]
        self._writer.writerow([*originals, line, spreadsheet_safe(column), spreadsheet_safe(reason)])
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value)


class _HeldRejects:
    """Refused rows held back, to be passed on sorted by line."""

    def __init__(self) -> None:
        self.count = 0
        self.held: list[tuple[int, int, dict[str, Any], str, str]] = []

    def write(self, cells: dict[str, Any], line: int, column: str, reason: str) -> None:
        self.held.append((line, self.count, cells, column, reason))
        self.count += 1

    def pass_on(self, sink: RejectSink) -> None:
        for line, _, cells, column, reason in sorted(self.held, key=lambda held: held[:2]):
            sink.write(cells, line, column, reason)


class _ErrorList:
    """Collects item errors for an API response instead of writing a rejects file."""

    def __init__(self) -> None:
        self.count = 0
        self.errors: list[dict[str, Any]] = []

    def write(self, cells: dict[str, Any], line: int, column: str, reason: str) -> None:
        self.errors.append({"index": line, "field": column, "reason": reason})
        self.count += 1


def import_items(
    *, kind: str, items: list[dict[str, Any]], label: str, started_by: User | None = None
) -> tuple[ImportResult, list[dict[str, Any]]]:
    """Import records that arrive as dicts (REST batches); returns the result and per-item errors."""
    spec = KINDS[kind]
    extras = sorted({key for item in items for key in item} - {c.name for c in spec.columns})
    header = map_header([c.name for c in spec.columns] + extras, spec)
    run = _start_run(kind=kind, file_name=label, started_by=started_by)
    result = ImportResult(kind=kind, path=Path(label), run_id=run.pk)
    errors = _ErrorList()
    rows = [RawRow(index, item) for index, item in enumerate(items)]
    try:
        context = WriteContext(stored_before=latest_interaction_id() if spec.append_only else 0)
        import_batch(
            rows,
            spec=spec,
            header=header,
            seen=set(),
            rejects=errors,
            result=result,
            line_label="item",
            context=context,
        )
    except BaseException as exc:
        _finish(run, result, status=ImportRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    _finish(run, result, status=ImportRun.Status.COMPLETED, error="")
    return result, errors.errors
