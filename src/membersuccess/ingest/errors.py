"""Errors an import reports to a person: which file, where, and why."""

from __future__ import annotations


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, empty, missing a required column)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.run_id: int | None = None  # the ImportRun that recorded the failure, once there is one


class CellError(ValueError):
    """One cell cannot be read; the row goes to the rejects file with this reason."""

    def __init__(self, reason: str, *, column: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.column = column
