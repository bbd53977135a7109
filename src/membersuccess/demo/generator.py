"""Generate the demo association: import files on disk, or the same data in memory for tests.

Members are simulated in chunks of CHUNK_SIZE and each chunk is appended to the files
before the next is drawn, so memory stays flat from 1,000 to 1,000,000 members. The same
seed, as-of date and member count give byte-identical files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from membersuccess.demo.simulate import CHUNK_SIZE, simulate_chunk
from membersuccess.demo.tables import ChunkTables, RowCounters, chunk_tables
from membersuccess.demo.world import World, build_world

Progress = Callable[[int], None]

# The order the files must be imported in: members first, since every other row names one.
IMPORT_ORDER: tuple[str, ...] = ("members", "memberships", "outcomes", "interactions", "tickets", "surveys")
FILE_NAMES: dict[str, str] = {
    "members": "members.csv",
    "memberships": "memberships.csv",
    "outcomes": "outcomes.csv",
    # Interactions are most of the rows; Parquet keeps them typed, compact and fast to read.
    "interactions": "interactions.parquet",
    "tickets": "tickets.csv",
    "surveys": "surveys.csv",
}


@dataclass(frozen=True)
class GeneratedFiles:
    """Where each import file was written and how many rows it holds, in import order."""

    directory: Path
    paths: dict[str, Path]
    rows: dict[str, int]
    renewal_decisions: int = 0


@dataclass(frozen=True)
class SimulatedAssociation:
    """A whole (small) association in memory: the import tables plus the renewal evidence."""

    members: pa.Table
    memberships: pa.Table
    outcomes: pa.Table
    interactions: pa.Table
    tickets: pa.Table
    surveys: pa.Table
    # One row per sampled renewal: member_id, term, attainment (share of the member's due
    # milestones achieved), activity_volume (interactions in the term), nps_mean, renewed.
    renewals: pa.Table

    def table(self, kind: str) -> pa.Table:
        """The table of one import KIND."""
        table: pa.Table = getattr(self, kind)
        return table


def default_as_of() -> date:
    """Today in UTC: the demo's history ends yesterday."""
    return datetime.now(UTC).date()


def _chunks(*, members: int, seed: int, world: World) -> Iterator[ChunkTables]:
    counters = RowCounters()
    for index, first in enumerate(range(0, members, CHUNK_SIZE)):
        size = min(CHUNK_SIZE, members - first)
        chunk = simulate_chunk(world=world, seed=seed, chunk_index=index, size=size)
        yield chunk_tables(chunk=chunk, world=world, counters=counters)


def simulate_association(*, members: int, seed: int, as_of: date) -> SimulatedAssociation:
    """Simulate a small association entirely in memory (the files would hold exactly these rows)."""
    parts = list(_chunks(members=members, seed=seed, world=build_world(as_of=as_of)))
    return SimulatedAssociation(**{
        name: pa.concat_tables([getattr(p, name) for p in parts])
        for name in (*IMPORT_ORDER, "renewals")
    })


def generate_demo_files(
    *,
    members: int,
    seed: int,
    out_dir: Path,
    as_of: date | None = None,
    progress: Progress | None = None,
) -> GeneratedFiles:
    """Write the six import files for a `members`-strong association into `out_dir`."""
    if members < 1:
        raise ValueError("the demo association needs at least one member")
    out_dir.mkdir(parents=True, exist_ok=True)
    world = build_world(as_of=as_of or default_as_of())
    paths = {kind: out_dir / FILE_NAMES[kind] for kind in IMPORT_ORDER}
    rows = dict.fromkeys(IMPORT_ORDER, 0)
    writers: dict[str, Any] = {}
    done, decisions = 0, 0
    try:
        for tables in _chunks(members=members, seed=seed, world=world):
            for kind in IMPORT_ORDER:
                table: pa.Table = getattr(tables, kind)
                if kind not in writers:
                    writers[kind] = _open_writer(paths[kind], table.schema)
                writers[kind].write_table(table)
                rows[kind] += table.num_rows
            done += tables.members.num_rows
            decisions += tables.renewals.num_rows
            if progress is not None:
                progress(done)
    finally:
        for writer in writers.values():
            writer.close()
    return GeneratedFiles(directory=out_dir, paths=paths, rows=rows, renewal_decisions=decisions)


def _open_writer(path: Path, schema: pa.Schema) -> Any:
    if path.suffix == ".parquet":
        return pq.ParquetWriter(path, schema, compression="zstd")
    return pacsv.CSVWriter(path, schema, write_options=pacsv.WriteOptions(quoting_style="needed"))
