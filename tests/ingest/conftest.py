"""Small helpers for import tests: write a file, import it, read the rejects."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from membersuccess.ingest.services import ImportResult, run_import
from membersuccess.members.models import Member, RequiredOutcome, Segment


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


def import_file(kind: str, path: Path) -> ImportResult:
    return run_import(kind=kind, path=path)


def rejects_of(result: ImportResult) -> list[dict[str, str]]:
    if result.rejects_path is None:
        return []
    with result.rejects_path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def catalog(db) -> None:
    Segment.objects.create(code="early-career", name="Early career")
    RequiredOutcome.objects.create(code="earn-certification", name="Earn certification")
    RequiredOutcome.objects.create(code="find-a-job", name="Find a job")


@pytest.fixture
def two_members(db) -> list[Member]:
    from datetime import date

    return [
        Member.objects.create(external_id="M-1", name="Ada Okafor", joined_on=date(2023, 1, 5)),
        Member.objects.create(external_id="M-2", name="Bo Lindqvist", joined_on=date(2024, 2, 1)),
    ]
