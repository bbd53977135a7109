"""The generator writes the documented import files, deterministically, in bounded chunks."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq

from membersuccess.demo.generator import FILE_NAMES, IMPORT_ORDER, generate_demo_files, simulate_association
from membersuccess.demo.simulate import CHUNK_SIZE
from tests.demo.conftest import AS_OF, documented_columns


def header_of(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        return list(pq.ParquetFile(path).schema_arrow.names)
    with path.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_the_same_seed_gives_byte_identical_files(demo_files, tmp_path):
    again = generate_demo_files(members=600, seed=7, out_dir=tmp_path, as_of=AS_OF)
    for kind in IMPORT_ORDER:
        assert again.paths[kind].read_bytes() == demo_files.paths[kind].read_bytes(), kind


def test_another_seed_gives_another_association(demo_files, tmp_path):
    other = generate_demo_files(members=600, seed=8, out_dir=tmp_path, as_of=AS_OF)
    for kind in IMPORT_ORDER:
        assert other.paths[kind].read_bytes() != demo_files.paths[kind].read_bytes(), kind


def test_every_file_has_exactly_the_documented_columns(demo_files):
    documented = documented_columns()
    for kind in IMPORT_ORDER:
        columns, required = documented[kind]
        header = header_of(demo_files.paths[kind])
        assert header == columns, kind
        assert set(required) <= set(header)


def test_there_is_one_file_per_import_kind_named_for_it(demo_files):
    assert list(demo_files.paths) == list(IMPORT_ORDER) == [
        "members", "memberships", "outcomes", "interactions", "tickets", "surveys",
    ]
    assert {p.name for p in demo_files.paths.values()} == set(FILE_NAMES.values())
    assert all(p.stat().st_size > 0 for p in demo_files.paths.values())


def test_the_files_hold_the_rows_the_in_memory_association_has(demo_files):
    association = simulate_association(members=600, seed=7, as_of=AS_OF)
    for kind in IMPORT_ORDER:
        assert association.table(kind).num_rows == demo_files.rows[kind], kind
    assert pq.read_table(demo_files.paths["interactions"]).num_rows == demo_files.rows["interactions"]


def test_progress_is_reported_in_members_done(tmp_path):
    done: list[int] = []
    generate_demo_files(members=250, seed=1, out_dir=tmp_path, as_of=AS_OF, progress=done.append)
    assert done and done[-1] == 250
    assert done == sorted(done)


def test_members_beyond_one_chunk_keep_unique_ids():
    association = simulate_association(members=CHUNK_SIZE + 40, seed=3, as_of=AS_OF)
    for kind in IMPORT_ORDER:
        ids = association.table(kind).column("external_id")
        assert len(ids.unique()) == len(ids), kind
    assert association.members.column("external_id")[-1].as_py() == f"M{CHUNK_SIZE + 40:07d}"
