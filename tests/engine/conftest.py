"""Engine tests run the same cases on every backend, as Ibis's own suite does.

One Spark session serves the whole run (starting one takes seconds); DuckDB gets a fresh
in-process connection per test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pytest

from membersuccess.engine.milestones import Milestone
from membersuccess.engine.run import compute_vectors
from membersuccess.engine.signals import DEFAULT_CONFIG, ScoringConfig
from tests.engine.builders import AS_OF, Association

BACKENDS = ("duckdb", "spark")


@pytest.fixture(scope="session")
def spark_backend() -> Iterator[ibis.BaseBackend]:
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from membersuccess.engine.backends import spark_connect, spark_session

    session = spark_session(cores=2, shuffle_partitions=2)
    yield spark_connect(session)
    session.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> ibis.BaseBackend:
    if request.param == "spark":
        return request.getfixturevalue("spark_backend")
    from membersuccess.engine.backends import duckdb_connect

    return duckdb_connect(threads=1)


Score = Callable[..., list[dict[str, Any]]]


@pytest.fixture
def score(backend: ibis.BaseBackend, tmp_path: Path) -> Score:
    """Score an Association on the test's backend; rows as dicts sorted by member id."""
    def run(
        association: Association,
        *,
        config: ScoringConfig = DEFAULT_CONFIG,
        milestones: Sequence[Milestone] = (),
        as_of: date = AS_OF,
    ) -> list[dict[str, Any]]:
        staging = tmp_path / f"staging-{len(list(tmp_path.iterdir()))}"
        staging.mkdir()
        result: pa.Table = compute_vectors(
            backend, association.tables(), config=config, milestones=list(milestones), as_of=as_of, staging=staging
        )
        return result.to_pylist()

    return run


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The engine never touches the database, so the PostgreSQL pass of the suite need not run it again."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="engine tests do not use the database; they run in the SQLite pass")
    engine_dir = Path(__file__).parent
    for item in items:
        if engine_dir in Path(str(item.fspath)).parents:
            item.add_marker(skip)
