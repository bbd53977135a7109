"""The two backends the same expressions run on: DuckDB in-process (default) and Apache Spark.

Input tables arrive as Arrow tables (read from the system of record) or as Parquet files (a lake,
or a staging directory); the engine code never knows which backend it runs on."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeAlias

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from membersuccess.engine.inputs import SCHEMAS, EngineInputs, empty_arrow

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = ("duckdb", "spark")
TableSource: TypeAlias = pa.Table | Path


class EngineUnavailable(RuntimeError):
    """The chosen engine cannot run here (e.g. PySpark or Java missing); the message says what to install."""


def duckdb_connect(*, threads: int | None = None, memory_limit: str | None = None) -> ibis.BaseBackend:
    """An in-process DuckDB that spills to its own temporary directory, never the working directory.

    Without `memory_limit`, $MSM_DUCKDB_MEMORY_LIMIT (e.g. "2.5GB") caps DuckDB's memory when set;
    otherwise DuckDB takes up to 80% of the machine's memory. Beyond the cap it spills to disk."""
    spill = Path(tempfile.gettempdir()) / "msm-duckdb"  # DuckDB names its files per process
    spill.mkdir(exist_ok=True)
    config: dict[str, Any] = {"temp_directory": str(spill)}
    if threads:
        config["threads"] = threads
    limit = memory_limit or os.environ.get("MSM_DUCKDB_MEMORY_LIMIT", "").strip()
    if limit:
        config["memory_limit"] = limit
    try:
        return ibis.duckdb.connect(**config)
    except Exception as error:  # DuckDB's own message names the bad value
        if limit and "memory" in str(error).lower():
            raise EngineUnavailable(
                f"MSM_DUCKDB_MEMORY_LIMIT / --memory-limit {limit!r} is not a size DuckDB accepts "
                f"(e.g. 2.5GB, 800MB): {error}"
            ) from error
        raise


def spark_session(*, cores: int | str = "*", shuffle_partitions: int | None = None) -> Any:
    """A local-mode Spark session bound to loopback; downloads nothing (no packages, no UI)."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise EngineUnavailable("the spark engine needs PySpark: pip install 'membersuccess[spark]'") from error
    partitions = shuffle_partitions or max(4, (os.cpu_count() or 2) * 2)
    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("membersuccess")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
    )
    try:
        session = builder.getOrCreate()
    except Exception as error:  # a missing Java surfaces as a generic exception from py4j
        raise EngineUnavailable(f"Spark could not start (is Java 17+ installed?): {error}") from error
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_connect(session: Any | None = None) -> ibis.BaseBackend:
    """Ibis over a Spark session (a new local one unless given, e.g. a cluster session)."""
    return ibis.pyspark.connect(session or spark_session())


def connect(engine: str) -> ibis.BaseBackend:
    """A connection for `engine` ("duckdb" or "spark")."""
    if engine == "duckdb":
        return duckdb_connect()
    if engine == "spark":
        return spark_connect()
    raise EngineUnavailable(f"unknown engine {engine!r}: use duckdb or spark")


def load_inputs(
    con: ibis.BaseBackend,
    sources: Mapping[str, TableSource],
    *,
    staging: Path | None = None,
) -> EngineInputs:
    """Put the input tables on the backend: Arrow tables directly (DuckDB) or through Parquet (Spark).

    Tables not given are empty, except `previous`, which stays absent."""
    tables: dict[str, ibis.Table] = {}
    for name in SCHEMAS:
        source = sources.get(name)
        if source is None:
            if name == "previous":
                continue
            source = empty_arrow(name)
        tables[name] = _load(con, name, source, staging=staging)
    return EngineInputs(
        members=tables["members"],
        terms=tables["terms"],
        interactions=tables["interactions"],
        tickets=tables["tickets"],
        achievements=tables["achievements"],
        previous=tables.get("previous"),
    )


def _load(con: ibis.BaseBackend, name: str, source: TableSource, *, staging: Path | None) -> ibis.Table:
    table_name = f"msm_{name}"
    if con.name == "duckdb":
        if isinstance(source, Path):
            return con.read_parquet(str(source), table_name=table_name)
        con.con.register(table_name, source)  # zero-copy scan of the Arrow data
        return con.table(table_name)
    if isinstance(source, pa.Table):
        directory = staging or Path(tempfile.mkdtemp(prefix="msm-spark-"))
        path = directory / f"{name}.parquet"
        pq.write_table(source, path)
        source = path
    return con.read_parquet(str(source), table_name=table_name)


@contextmanager
def backend(engine: str) -> Iterator[ibis.BaseBackend]:
    """A connection for one scoring run.

    DuckDB's closes when the last table referring to it goes (its cached tables drop themselves
    first); a Spark session is kept for the next run in the same process."""
    yield connect(engine)


def to_arrow(con: ibis.BaseBackend, expr: ibis.Table) -> pa.Table:
    """Execute on the backend and bring the (per-member, already aggregated) result back as Arrow."""
    return con.to_pyarrow(expr)
