"""Errors of the evidence commands: one line naming the file, line and column, and what is wrong."""

from __future__ import annotations

from pathlib import Path


class EvidenceError(ValueError):
    """The evidence cannot be computed from what was given; the message says why in plain words."""


class EvidenceFileError(EvidenceError):
    """A file given to an evidence command cannot be used: which file, where, and why."""

    def __init__(self, path: Path, reason: str, *, line: int | None = None, column: str | None = None) -> None:
        where = ""
        if line is not None:
            where += f" line {line}"
        if column is not None:
            where += f"{',' if line is not None else ''} column {column!r}"
        super().__init__(f"{path}:{where}{':' if where else ''} {reason}")
        self.path = path
        self.line = line
        self.column = column
        self.reason = reason
