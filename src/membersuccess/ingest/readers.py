"""Readers: stream the rows of a CSV, Excel, Parquet or JSON-lines file in batches,
each row with the line (or sheet row) it came from, never the whole file in memory."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from membersuccess.ingest.errors import ImportFileError

BATCH_ROWS = 5_000
# Column-checked batches pay a fixed cost per batch, so they are larger.
ARROW_BATCH_ROWS = 50_000
FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
DELIMITERS = (",", ";", "\t", "|")
# Python's csv module refuses fields over 128 KiB by default; a long note is still a note.
csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class RawRow:
    line: int
    cells: dict[str, Any]
    # Set when the row itself is malformed (wrong number of cells, broken JSON).
    problem: str | None = None


@dataclass
class OpenedFile:
    header: list[str]
    batches: Iterator[list[RawRow]]
    line_label: str  # "line" for text files, "row" for spreadsheets and Parquet
    notes: list[str]
    # Parquet and CSV: the same rows as Arrow columns, for kinds that check whole columns.
    # Read either these or `batches`, not both.
    column_batches: Iterator[ColumnBatch] | None = None


@dataclass
class ColumnBatch:
    """Rows as Arrow columns (in header order), the file line or row of each, and the malformed rows."""

    table: Any  # pyarrow.RecordBatch; CSV cells are text, Parquet cells keep their types
    numbers: list[int]
    malformed: list[RawRow]


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise ImportFileError(path, f"unknown file type {path.suffix or '(none)'!r}; use one of {known}")
    return fmt


def open_rows(path: Path, *, looks_like_header: Callable[[list[str]], bool]) -> OpenedFile:
    """Open any supported file; `looks_like_header` finds the header row under a title in Excel."""
    if not path.exists():
        raise ImportFileError(path, "no such file")
    if path.is_dir():
        raise ImportFileError(path, "is a directory, not a file")
    fmt = file_format(path)
    if path.stat().st_size == 0:
        raise ImportFileError(path, "the file is empty")
    if fmt == "csv":
        return _open_csv(path)
    if fmt == "jsonl":
        return _open_jsonl(path)
    if fmt == "parquet":
        return _open_parquet(path)
    return _open_xlsx(path, looks_like_header)


def _decoded_lines(path: Path, notes: list[str], *, offset: int = 0) -> Iterator[str]:
    """Each physical line decoded on its own: UTF-8 (with or without BOM), else Windows-1252.
    `offset`: the byte where reading starts (the start of a line).

    Exports stitched together from several systems mix encodings line by line, so one
    bad line must not force a guess for the whole file."""
    fallback_lines = 0
    with path.open("rb") as handle:
        handle.seek(offset)
        for number, raw in enumerate(handle, start=1):
            if number == 1 and offset == 0 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                fallback_lines += 1
                yield raw.decode("cp1252", errors="replace")
    if fallback_lines:
        notes.append(f"{fallback_lines} line(s) were not UTF-8 and were read as Windows-1252")


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _open_csv(path: Path) -> OpenedFile:
    notes: list[str] = []
    lines = _decoded_lines(path, notes)
    first = next(lines, None)
    while first is not None and first.strip() == "":
        first = next(lines, None)
    if first is None:
        raise ImportFileError(path, "the file is empty")
    delimiter = _sniff_delimiter(first)

    def all_lines() -> Iterator[str]:
        yield first
        yield from lines

    reader = csv.reader(all_lines(), delimiter=delimiter, strict=False)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise ImportFileError(path, f"line 1: the header cannot be read ({exc})") from exc
    if delimiter != ",":
        notes.append(f"columns are separated by {'tab' if delimiter == chr(9) else repr(delimiter)}")

    def batches() -> Iterator[list[RawRow]]:
        batch: list[RawRow] = []
        for line, cells, problem in _records(reader, header):
            batch.append(RawRow(line, dict(zip(header, cells, strict=problem is None)), problem))
            if len(batch) >= BATCH_ROWS:
                yield batch
                batch = []
        if batch:
            yield batch

    def column_batches() -> Iterator[ColumnBatch]:
        offset = _data_offset(path, header_lines=reader.line_num)
        if offset is None or len(header) < 2:
            yield from _shaped(_records(reader, header), header)
            return
        for piece in _plain_csv_batches(path, offset=offset, first_line=reader.line_num + 1, header=header,
                                        delimiter=delimiter):
            if isinstance(piece, ColumnBatch):
                yield piece
                continue
            # Something the plain reading does not take: the rest goes through the csv module.
            rest_offset, rest_line = piece
            rest = csv.reader(_decoded_lines(path, notes, offset=rest_offset), delimiter=delimiter, strict=False)
            yield from _shaped(_records(rest, header, lines_before=rest_line - 1), header)

    # Columns are found by their label, so a header that repeats one is read row by row.
    unique = len(set(header)) == len(header)
    return OpenedFile(header, batches(), "line", notes, column_batches=column_batches() if unique else None)


def _records(reader: Any, header: list[str], *, lines_before: int = 0) -> Iterator[tuple[int, list[str], str | None]]:
    """Each non-blank record of a csv reader: the line it starts on, its cells, and what is wrong
    with it if anything. `lines_before`: lines of the file before the reader's first line."""
    width = len(header)
    previous_end = lines_before + reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield previous_end + 1, [], f"cannot be read as CSV ({exc})"
            previous_end = lines_before + reader.line_num
            continue
        line = previous_end + 1
        previous_end = lines_before + reader.line_num
        if not cells or (len(cells) == 1 and cells[0].strip() == ""):
            continue  # blank line
        if len(cells) != width:
            problem = f"has {len(cells)} cells but the header has {width}" + (
                " (a truncated or unterminated line?)" if len(cells) < width else ""
            )
            yield line, cells, problem
        else:
            yield line, cells, None


def _shaped(records: Iterator[tuple[int, list[str], str | None]], header: list[str]) -> Iterator[ColumnBatch]:
    """Records read by the csv module, as column batches."""
    import pyarrow as pa

    lines: list[int] = []
    rows: list[list[str]] = []
    malformed: list[RawRow] = []

    def shaped() -> ColumnBatch:
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(header)
        table = pa.RecordBatch.from_arrays([pa.array(column, pa.string()) for column in columns], names=header)
        return ColumnBatch(table, lines, malformed)

    for line, cells, problem in records:
        if problem is None:
            lines.append(line)
            rows.append(cells)
        else:
            malformed.append(RawRow(line, dict(zip(header, cells, strict=False)), problem))
        if len(lines) + len(malformed) >= ARROW_BATCH_ROWS:
            yield shaped()
            lines, rows, malformed = [], [], []
    if lines or malformed:
        yield shaped()


# CSV is read this many bytes at a time by Arrow's parser while the file stays plain (see below).
CSV_BLOCK_BYTES = 8 * 1024 * 1024


def _data_offset(path: Path, *, header_lines: int) -> int | None:
    """The byte at which the rows start: after the blank lines and the header record `_open_csv`
    read, found the same way (each line decoded on its own). None if the header is not one line."""
    if header_lines != 1:
        return None
    offset = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            offset += len(raw)
            text = raw[3:] if number == 1 and raw.startswith(b"\xef\xbb\xbf") else raw
            try:
                decoded = text.decode("utf-8")
            except UnicodeDecodeError:
                decoded = text.decode("cp1252", errors="replace")
            if decoded.strip():
                return offset
    return None


def _plain_csv_batches(
    path: Path, *, offset: int, first_line: int, header: list[str], delimiter: str
) -> Iterator[ColumnBatch | tuple[int, int]]:
    """Column batches parsed by Arrow, block by block, while the file is plain: UTF-8, one record
    per line, no blank lines, every line as wide as the header. (Quotes are read alike by both:
    `"a""b"`, `ab"c` and `"ab"c` give `a"b`, `ab"c` and `abc` either way.)
    At the first block that is not, yields (its byte offset, its first line) and stops, so the
    csv module reads the rest — the file's line numbers, encodings and problems come out the same."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    # Line breaks inside quotes are parsed as the csv module parses them; a block that has any
    # has fewer records than lines, which `_plain_table` refuses (its line numbers would differ).
    parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False)
    convert = pacsv.ConvertOptions(
        column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False, quoted_strings_can_be_null=False
    )
    line = first_line
    carry = b""
    with path.open("rb") as handle:
        handle.seek(offset)
        while True:
            block = handle.read(CSV_BLOCK_BYTES)
            data = carry + block
            if not data:
                return
            cut = data.rfind(b"\n") + 1 if block else len(data)
            if cut == 0:  # no line ends in this block yet: read on
                carry = data
                continue
            chunk, carry = data[:cut], data[cut:]
            rows = chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1)
            table = _plain_table(chunk, rows=rows, header=header, parse=parse, convert=convert)
            if table is None:
                yield offset, line
                return
            for batch in table.to_batches(max_chunksize=ARROW_BATCH_ROWS):
                yield ColumnBatch(batch, list(range(line, line + batch.num_rows)), [])
                line += batch.num_rows
            offset += len(chunk)


def _plain_table(chunk: bytes, *, rows: int, header: list[str], parse: Any, convert: Any) -> Any:
    """The chunk as an Arrow table of text columns, or None if it is not plain (see above)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if chunk.count(b"\r") != chunk.count(b"\r\n"):
        return None  # a line break Arrow and the csv module may read differently
    if chunk.startswith((b"\n", b"\r\n")) or b"\n\n" in chunk or b"\n\r\n" in chunk:
        return None  # blank lines: the csv module skips them, keeping the count
    try:
        table = pacsv.read_csv(
            pa.py_buffer(chunk),
            read_options=pacsv.ReadOptions(column_names=header, use_threads=False, block_size=len(chunk) + 1),
            parse_options=parse,
            convert_options=convert,
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None  # not UTF-8, or a line of another width: the csv module says which
    return table.combine_chunks() if table.num_rows == rows else None


def _open_jsonl(path: Path) -> OpenedFile:
    notes: list[str] = []
    header: list[str] = []
    # JSON lines have no header row: the columns are the keys of the first object.
    for text_line in _decoded_lines(path, []):
        if text_line.strip():
            try:
                first = json.loads(text_line)
            except json.JSONDecodeError as exc:
                raise ImportFileError(path, f"line 1 is not a JSON object ({exc.msg})") from exc
            if not isinstance(first, dict):
                raise ImportFileError(path, "line 1 is not a JSON object")
            header = list(first)
            break
    if not header:
        raise ImportFileError(path, "the file is empty")

    def batches() -> Iterator[list[RawRow]]:
        batch: list[RawRow] = []
        for number, text_line in enumerate(_decoded_lines(path, notes), start=1):
            if not text_line.strip():
                continue
            try:
                value = json.loads(text_line)
            except json.JSONDecodeError as exc:
                batch.append(RawRow(number, {}, f"is not valid JSON ({exc.msg} at column {exc.colno})"))
            else:
                if isinstance(value, dict):
                    batch.append(RawRow(number, value))
                else:
                    batch.append(RawRow(number, {}, "is not a JSON object"))
            if len(batch) >= BATCH_ROWS:
                yield batch
                batch = []
        if batch:
            yield batch

    return OpenedFile(header, batches(), "line", notes)


def _open_parquet(path: Path) -> OpenedFile:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several error types for a damaged file
        raise ImportFileError(path, f"is not a readable Parquet file ({exc})") from exc
    header = list(parquet.schema_arrow.names)

    def batches() -> Iterator[list[RawRow]]:
        row_number = 0
        for record_batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            rows = []
            for cells in record_batch.to_pylist():
                row_number += 1
                rows.append(RawRow(row_number, cells))
            yield rows

    def column_batches() -> Iterator[ColumnBatch]:
        first = 1
        for record_batch in parquet.iter_batches(batch_size=ARROW_BATCH_ROWS):
            yield ColumnBatch(record_batch, list(range(first, first + record_batch.num_rows)), [])
            first += record_batch.num_rows

    return OpenedFile(header, batches(), "row", [], column_batches=column_batches())


def _open_xlsx(path: Path, looks_like_header: Callable[[list[str]], bool]) -> OpenedFile:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException variants
        raise ImportFileError(path, f"is not a readable Excel .xlsx file ({exc})") from exc
    notes: list[str] = []
    # Pick the first sheet that has the expected header within its first rows; a title or
    # an empty line above the header is common in hand-made spreadsheets.
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        for index, values in enumerate(rows, start=1):
            if index > 20:
                break
            labels = ["" if v is None else str(v).strip() for v in values]
            if looks_like_header(labels):
                if len(workbook.worksheets) > 1:
                    notes.append(f"read the sheet {sheet.title!r}")
                if index > 1:
                    notes.append(f"the header is on row {index}")
                return OpenedFile(labels, _xlsx_batches(labels, rows, index), "row", notes)
    names = ", ".join(repr(s.title) for s in workbook.worksheets)
    raise ImportFileError(path, f"no sheet has the expected header row (sheets: {names})")


def _xlsx_batches(header: list[str], rows: Iterable[tuple[Any, ...]], header_row: int) -> Iterator[list[RawRow]]:
    batch: list[RawRow] = []
    for number, values in enumerate(rows, start=header_row + 1):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        cells = {name: value for name, value in zip(header, values, strict=False) if name}
        batch.append(RawRow(number, cells))
        if len(batch) >= BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch
