"""What a KIND of import file looks like: its columns, how each cell is read, header matching."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from membersuccess.ingest.cells import Parser


def normalize(label: str) -> str:
    """`Member ID`, `member_id` and `member-id` are the same column."""
    return re.sub(r"[\s_\-.]+", "", label.strip().lower())


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False
    aliases: tuple[str, ...] = ()
    default: Any = None


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]
    cells: dict[str, Any]
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RowReject:
    line: int
    column: str
    reason: str
    cells: dict[str, Any]


@dataclass
class BatchOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: list[RowReject] = field(default_factory=list)


@dataclass(frozen=True)
class WriteContext:
    """What a writer knows about the import its batch belongs to."""

    # The highest interaction id stored before this import began: a row stored with a larger
    # id came in during this import, so meeting its (source, external_id) again is a duplicate
    # within the file, not a re-import.
    stored_before: int = 0


Writer = Callable[[list[ParsedRow], WriteContext], BatchOutcome]
RowCheck = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class KindSpec:
    name: str
    columns: tuple[Column, ...]
    write: Writer
    # Cross-column rules (an end after a start); raise CellError(column=...) to reject.
    check: RowCheck | None = None
    # Where unknown columns go: kept in the row's `attributes`, or ignored with a note.
    keeps_extra_columns: bool = False
    # The columns that make a row unique within one file.
    identity: tuple[str, ...] = ("external_id",)
    # Append-only facts (interactions) can be far too many to remember every identity of the
    # file: only the current batch is checked in memory, and the writer finds duplicates of
    # earlier batches in the database (see WriteContext).
    append_only: bool = False

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


@dataclass(frozen=True)
class HeaderMap:
    by_label: dict[str, Column]  # file label -> column
    extras: list[str]  # file labels we do not know
    missing: list[str]  # required columns not in the file


def map_header(header: Sequence[str], spec: KindSpec, *, saved: dict[str, str] | None = None) -> HeaderMap:
    """Match the file's header to the KIND's columns by name, alias, or a saved mapping."""
    lookup: dict[str, Column] = {}
    for column in spec.columns:
        lookup[normalize(column.name)] = column
        for alias in column.aliases:
            lookup[normalize(alias)] = column
    by_name = {c.name: c for c in spec.columns}
    for label, target in (saved or {}).items():
        if target in by_name:
            lookup[normalize(label)] = by_name[target]
    by_label: dict[str, Column] = {}
    extras: list[str] = []
    taken: set[str] = set()
    for label in header:
        found = lookup.get(normalize(label)) if label else None
        if found is None or found.name in taken:
            if label:
                extras.append(label)
            continue
        by_label[label] = found
        taken.add(found.name)
    missing = [c.name for c in spec.required if c.name not in taken]
    return HeaderMap(by_label, extras, missing)


def header_matcher(spec: KindSpec, *, saved: dict[str, str] | None = None) -> Callable[[list[str]], bool]:
    """True for a row that carries every required column of the KIND, by name, alias or the saved
    mapping (finds the header row of an Excel sheet under a title)."""

    def looks_like_header(labels: list[str]) -> bool:
        return not map_header(labels, spec, saved=saved).missing

    return looks_like_header
