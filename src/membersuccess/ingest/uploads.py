"""Files that arrive through the web: kept under the data directory, then imported like `msm import`.

Each upload gets a directory of its own, `DATA_DIR/imports/<UTC time>-<random>/`, holding the file
under a name we choose (the uploader's name is only recorded for display) and its rejects file."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from membersuccess.ingest.errors import ImportFileError
from membersuccess.ingest.mappings import import_with_mapping
from membersuccess.ingest.models import ColumnMapping
from membersuccess.ingest.readers import FORMATS
from membersuccess.ingest.services import ImportResult

REJECTS_FILE_NAME = "rejects.csv"
MAX_ORIGINAL_NAME = 255


class UploadError(Exception):
    """The upload cannot be imported at all; the message says why in the uploader's terms."""

    def __init__(self, message: str, *, run_id: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.run_id = run_id


@dataclass(frozen=True)
class UploadOutcome:
    run_id: int
    result: ImportResult
    original_name: str


def imports_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def accepted_extensions() -> list[str]:
    return sorted(FORMATS)


def extension_problem(original_name: str) -> str | None:
    """Why a file of this name cannot be imported, or None when its type is one we read."""
    suffix = Path(original_name).suffix.lower()
    if suffix in FORMATS:
        return None
    shown = f"{suffix} files" if suffix else "Files without an extension"
    return f"{shown} cannot be imported; use one of {', '.join(accepted_extensions())}."


def store_upload(*, chunks: Iterable[bytes], original_name: str) -> Path:
    """Write the uploaded bytes to a new directory of their own; returns the stored file's path."""
    problem = extension_problem(original_name)
    if problem is not None:
        raise UploadError(problem)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    folder = imports_dir() / f"{stamp}-{secrets.token_hex(4)}"
    folder.mkdir(parents=True, exist_ok=False)
    # Our own name, with the extension the readers go by; the uploader's name never touches the path.
    target = folder / f"upload{Path(original_name).suffix.lower()}"
    with target.open("xb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return target


def import_upload(
    *,
    kind: str,
    chunks: Iterable[bytes],
    original_name: str,
    mapping: ColumnMapping | None = None,
    by: User | None = None,
) -> UploadOutcome:
    """Keep the uploaded file and import it; UploadError when the file as a whole is unusable."""
    name = _display_name(original_name)
    path = store_upload(chunks=chunks, original_name=name)
    if path.stat().st_size == 0:
        path.unlink()
        path.parent.rmdir()
        raise UploadError(f"{name} is empty; choose a file with a header row and at least one row.")
    try:
        result = import_with_mapping(
            kind=kind,
            path=path,
            mapping=mapping,
            original_name=name,
            rejects_path=path.with_name(REJECTS_FILE_NAME),
            started_by=by,
        )
    except ImportFileError as exc:
        raise UploadError(f"{name}: {exc.reason}", run_id=exc.run_id) from exc
    assert result.run_id is not None
    return UploadOutcome(run_id=result.run_id, result=result, original_name=name)


def _display_name(original_name: str) -> str:
    """The uploader's file name without any folders, shortened to fit but keeping its extension."""
    name = Path(original_name.replace("\\", "/")).name or "upload"
    if len(name) > MAX_ORIGINAL_NAME:
        suffix = Path(name).suffix[:20]
        name = name[: MAX_ORIGINAL_NAME - len(suffix)] + suffix
    return name
