"""`msm bench ingest`: how fast interactions get in from Parquet, from CSV and over the REST API.

Each way imports its own fresh rows (its own `source`) into the configured database, so the three
figures are comparable and a re-run measures inserts, not "already stored". The rows are removed
afterwards unless asked to keep them; the bench members (`BENCH-…`) stay for the next run."""

from __future__ import annotations

import functools
import json
import resource
import secrets
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.db import connection

from membersuccess.api.interactions import MAX_ITEMS
from membersuccess.api.services import api_token_create, api_token_revoke
from membersuccess.ingest.services import run_import
from membersuccess.interactions.models import Interaction
from membersuccess.members.models import Member

KINDS = ("login", "download", "event_attended", "course_completed", "community_post", "email_click")
# Interactions fall in the two years before this day, far from any "future" limit.
LAST_DAY = date(2026, 1, 1)
Step = Callable[[str], None]


@dataclass(frozen=True)
class IngestBench:
    database: str
    members: int
    events: int
    api_events: int
    parquet_rows_per_s: float | None
    csv_rows_per_s: float | None
    api_events_per_s: float | None
    # CPU seconds of the process for each way, all threads (the REST server's included): on a
    # shared machine other work inflates the wall time behind the rates, not these.
    parquet_cpu_s: float | None
    csv_cpu_s: float | None
    api_cpu_s: float | None
    peak_rss_mb: float

    def as_json(self) -> str:
        return json.dumps(asdict(self))


WAYS = ("parquet", "csv", "api")
CHUNK_ROWS = 1_000_000  # files are written a chunk at a time, so any size fits in memory


def run_ingest_bench(
    *,
    members: int,
    events: int,
    api_events: int,
    work_dir: Path,
    ways: tuple[str, ...] = WAYS,
    keep: bool = False,
    step: Step | None = None,
) -> IngestBench:
    """Time each of `ways`; a way left out reports None."""
    unknown = set(ways) - set(WAYS)
    if unknown:
        raise ValueError(f"unknown way(s) {', '.join(sorted(unknown))}; use {', '.join(WAYS)}")
    say = step or (lambda _message: None)
    say(f"making {members:,} bench members")
    _ensure_members(members)
    run = secrets.token_hex(3)
    sources = {way: f"bench-{way}-{run}" for way in WAYS}
    rates: dict[str, float | None] = dict.fromkeys(WAYS)
    cpu: dict[str, float | None] = dict.fromkeys(WAYS)
    try:
        for seed, way in enumerate(w for w in WAYS if w in ways and w != "api"):
            path = work_dir / f"bench-interactions.{way}"
            say(f"writing {events:,} interactions as {way}")
            _write(path, events, members, source=sources[way], seed=seed)
            say(f"importing the {way} file")
            rates[way], cpu[way] = _rate(events, functools.partial(_import, path, events))
            path.unlink()
        if "api" in ways:
            say(f"posting {api_events:,} interactions to /api/v1/interactions/batch")
            items = _interactions(0, api_events, members, source=sources["api"], seed=3)
            rates["api"], cpu["api"] = _rate(api_events, lambda: _post_batches(items))
    finally:
        if not keep:
            say("removing the bench interactions")
            Interaction.objects.filter(source__in=sources.values()).delete()
    return IngestBench(
        database=connection.vendor,
        members=members,
        events=events,
        api_events=api_events,
        parquet_rows_per_s=_rounded(rates["parquet"]),
        csv_rows_per_s=_rounded(rates["csv"]),
        api_events_per_s=_rounded(rates["api"]),
        parquet_cpu_s=cpu["parquet"],
        csv_cpu_s=cpu["csv"],
        api_cpu_s=cpu["api"],
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )


def _rounded(rate: float | None) -> float | None:
    return None if rate is None else round(rate)


def _write(path: Path, events: int, members: int, *, source: str, seed: int) -> None:
    writer: Any = None
    try:
        for start in range(0, events, CHUNK_ROWS):
            chunk = _interactions(start, min(CHUNK_ROWS, events - start), members, source=source, seed=seed + start)
            if writer is None:
                writer = (
                    pq.ParquetWriter(path, chunk.schema, compression="zstd")
                    if path.suffix == ".parquet"
                    else pacsv.CSVWriter(path, chunk.schema)
                )
            writer.write_table(chunk)
    finally:
        if writer is not None:
            writer.close()


def _ensure_members(count: int) -> None:
    have = Member.objects.filter(external_id__startswith="BENCH-").count()
    if have >= count:
        return
    joined = date(2020, 1, 1)
    Member.objects.bulk_create(
        [Member(external_id=_member_code(n), name=f"Bench member {n}", joined_on=joined) for n in range(count)],
        batch_size=5_000,
        ignore_conflicts=True,
    )


def _member_code(n: int) -> str:
    return f"BENCH-{n:07d}"


def _interactions(first: int, count: int, members: int, *, source: str, seed: int) -> pa.Table:
    """Rows `first` to `first + count` of a bench file: random members, kinds and times."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 730 * 86_400, count) + int(time.mktime((2024, 1, 1, 0, 0, 0, 0, 0, 0)))
    member = rng.integers(0, members, count)
    return pa.table(
        {
            "external_id": pa.array([f"{source}-{n:09d}" for n in range(first, first + count)]),
            "source": pa.array([source] * count),
            "member_id": pa.array([_member_code(int(m)) for m in member]),
            "kind": pa.array(np.array(KINDS)[rng.integers(0, len(KINDS), count)]),
            "occurred_at": pa.array(seconds * 1_000, pa.timestamp("ms", tz="UTC")),
            # One in five carries a value (credits, an amount); the rest have none.
            "value": pa.array(rng.integers(1, 4, count).astype(float), pa.float64(), mask=rng.random(count) >= 0.2),
        }
    )


def _import(path: Path, expected: int) -> None:
    result = run_import(kind="interactions", path=path)
    if result.rows_created != expected:
        raise RuntimeError(f"{path.name}: {result.rows_created:,} of {expected:,} rows stored ({result.notes})")


def _rate(rows: int, work: Callable[[], None]) -> tuple[float, float]:
    """Rows per second of wall time, and the CPU seconds the work took."""
    started, cpu_started = time.perf_counter(), time.process_time()
    work()
    return rows / (time.perf_counter() - started), round(time.process_time() - cpu_started, 2)


def _post_batches(items: pa.Table) -> None:
    """Serve the app on a loopback port with waitress, as `msm serve` does, and post to it."""
    from waitress.server import TcpWSGIServer, create_server

    from membersuccess.config.wsgi import application

    token, key = api_token_create(name="msm bench ingest", scope="ingest")
    server = create_server(application, host="127.0.0.1", port=0, threads=4)
    assert isinstance(server, TcpWSGIServer)  # one host and port given: one TCP server
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.getsockname()[1]}/api/v1/interactions/batch"
        rows = items.to_pylist()
        for start in range(0, len(rows), MAX_ITEMS):
            body = [_item(row) for row in rows[start : start + MAX_ITEMS]]
            answer = _post(url, key, {"items": body})
            if answer["created"] != len(body):
                raise RuntimeError(f"the API stored {answer['created']} of {len(body)} items: {answer['errors'][:3]}")
    finally:
        server.task_dispatcher.shutdown()  # let handler threads finish before the sockets close
        server.close()
        api_token_revoke(token)


def _item(row: dict[str, Any]) -> dict[str, Any]:
    item = {**row, "occurred_at": row["occurred_at"].isoformat()}
    return item


def _post(url: str, key: str, payload: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        answer: dict[str, Any] = json.load(response)
    return answer
