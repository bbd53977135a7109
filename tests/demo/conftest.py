"""Shared demo associations for the tests: simulated once per session, with a fixed seed and as-of date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from membersuccess.demo.generator import GeneratedFiles, SimulatedAssociation, generate_demo_files, simulate_association

# A past date, so every generated timestamp is also in the past when the import checks it.
AS_OF = date(2025, 6, 30)


@pytest.fixture(scope="session")
def association() -> SimulatedAssociation:
    """A small association in memory."""
    return simulate_association(members=800, seed=7, as_of=AS_OF)


@pytest.fixture(scope="session")
def calibration() -> SimulatedAssociation:
    """Enough members (about 4,000 renewal decisions) for stable estimates of the sampled effects."""
    return simulate_association(members=3000, seed=11, as_of=AS_OF)


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> GeneratedFiles:
    """The import files of a small association, written once."""
    return generate_demo_files(members=600, seed=7, out_dir=tmp_path_factory.mktemp("demo") / "files", as_of=AS_OF)


@pytest.fixture
def _fast_password_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def documented_columns() -> dict[str, tuple[list[str], list[str]]]:
    """Per KIND, (all columns, required columns) as docs/import-formats.md lists them."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "import-formats.md").read_text(encoding="utf-8")
    columns: dict[str, tuple[list[str], list[str]]] = {}
    kind = None
    for line in text.splitlines():
        if line.startswith("## "):
            kind = line[3:].strip()
            columns[kind] = ([], [])
        elif kind and line.startswith("| ") and not line.startswith("| column") and not line.startswith("|---"):
            name = line.split("|")[1].strip()
            for part in name.split(","):  # "contact_name, contact_email, contact_role"
                column = part.strip()
                columns[kind][0].append(column.rstrip("*"))
                if column.endswith("*"):
                    columns[kind][1].append(column.rstrip("*"))
    return columns
