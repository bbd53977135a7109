"""Fixtures for Success Potential: a small catalog, declared attributes, and files to import."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from membersuccess.members.models import RequiredOutcome, Segment
from membersuccess.potential.models import DeclaredAttribute


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def catalog(db) -> None:
    Segment.objects.create(code="early-career", name="Early career")
    RequiredOutcome.objects.create(code="earn-certification", name="Earn certification")
    RequiredOutcome.objects.create(code="find-a-job", name="Find a job")


@pytest.fixture
def declared(db) -> None:
    DeclaredAttribute.objects.create(name="years_experience", label="Years of experience",
                                     kind=DeclaredAttribute.Kind.NUMBER)
    DeclaredAttribute.objects.create(name="employer_pays", label="Employer pays dues",
                                     kind=DeclaredAttribute.Kind.YES_NO)
    DeclaredAttribute.objects.create(name="career_stage", label="Career stage", kind=DeclaredAttribute.Kind.CHOICE,
                                     choices=["student", "early", "senior"])


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, content: str) -> Path:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        return path

    return write


def rejects_in(path: Path | None) -> list[dict[str, str]]:
    if path is None or not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
