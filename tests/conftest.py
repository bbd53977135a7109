"""Shared test setup: every test writes into its own temporary data directory."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path: Path) -> Path:
    data_dir = tmp_path / "msm-data"
    data_dir.mkdir()
    settings.DATA_DIR = data_dir
    return data_dir
