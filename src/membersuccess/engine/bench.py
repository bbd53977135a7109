"""`msm bench score`: time the engine on a synthetic association against a hand-written DuckDB SQL query.

What it measures (docs/benchmarks.md):
- `features_s`: the per-member feature table (every signal as of the scoring date and 30 days
  earlier, every milestone rule aggregate, last touch and data presence, plus the ticket features)
  built by the engine's Ibis expressions and materialized on the backend;
- `baseline_sql_s`: the same features written by hand as DuckDB SQL (`FILTER` clauses) over the same
  tables in the same process, materialized the same way; `ratio` is features_s / baseline_sql_s;
- `score_total_s`: loading the Parquet files, the full vector (features, segment targets, milestones,
  score, velocity, status, flags) brought back as Arrow, and every member's contributions and
  reasons put in words — everything `msm score` does except writing rows into the database;
- `peak_rss_mb`: the peak resident memory of the process (DuckDB takes up to 80% of the machine's
  memory unless `memory_limit` caps it, spilling to its temporary directory beyond the cap);
- `<phase>_cpu_s`: CPU seconds the process spent in each phase (all threads), which other work on a
  shared machine does not inflate the way it inflates wall time.
The data is generated once per size into Parquet (default: ./msm-bench/) and reused."""

from __future__ import annotations

import resource
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from membersuccess.engine.backends import connect, duckdb_connect
from membersuccess.engine.explain import explain_batches
from membersuccess.engine.features import (
    interaction_features,
    member_anchors,
    ticket_features,
)
from membersuccess.engine.inputs import EngineInputs, arrow_schema, day_number
from membersuccess.engine.milestones import Anchor, Milestone, MilestoneRule, distinct_rules
from membersuccess.engine.signals import DEFAULT_CONFIG, ScoringConfig, Signal
from membersuccess.engine.vector import score_members

AS_OF = date(2025, 6, 30)
CHUNK_ROWS = 5_000_000
SEED = 20250630

# (source, kind, share of all interactions, value range for sums)
KINDS: tuple[tuple[str, str, float], ...] = (
    ("portal", "login", 0.30), ("portal", "download", 0.10), ("email", "email_click", 0.17),
    ("events", "event_attended", 0.07), ("events", "event_registered", 0.05), ("lms", "course_completed", 0.06),
    ("community", "post", 0.07), ("volunteering", "committee_meeting", 0.06), ("careers", "job_board_visit", 0.04),
    ("careers", "job_applied", 0.01), ("certification", "cert_exam_booked", 0.005),
    ("certification", "cert_earned", 0.005), ("referrals", "referral", 0.01), ("advocacy", "advocacy_action", 0.03),
    ("directory", "lead_received", 0.01), ("finance", "payment", 0.05),
)


def bench_milestones() -> list[Milestone]:
    """Three journeys of four milestones, the kinds of rules associations write."""
    def rule(kind: str, threshold: float, aggregation: str = "count", window: str = "join") -> MilestoneRule:
        return MilestoneRule(kinds=(kind,), aggregation=aggregation, threshold=threshold,  # type: ignore[arg-type]
                             window=window)  # type: ignore[arg-type]

    Step = tuple[str, int, MilestoneRule | None]
    specs: dict[int, list[Step]] = {
        1: [("First course", 90, rule("course_completed", 1)), ("Exam booked", 270, rule("cert_exam_booked", 1)),
            ("Certified", 365, rule("cert_earned", 1)),
            ("6 CE credits this term", 330, rule("course_completed", 6, "sum", "term_start"))],
        2: [("First event", 90, rule("event_attended", 1)), ("Introduced", 120, rule("post", 2)),
            ("Three events this term", 330, rule("event_attended", 3, window="term_start")),
            ("On a committee", 365, rule("committee_meeting", 2))],
        3: [("Job board on 5 days", 120, rule("job_board_visit", 5, "distinct_days")),
            ("Three applications", 180, rule("job_applied", 3)), ("An event", 240, rule("event_attended", 1)),
            ("Placement", 365, None)],
    }
    milestones, next_id = [], 1
    for journey_id, steps in specs.items():
        for order, (name, due, step_rule) in enumerate(steps, start=1):
            due_from: Anchor = "term_start" if step_rule is not None and step_rule.window == "term_start" else "join"
            milestones.append(Milestone(next_id, journey_id, order, name, due, due_from, 30, step_rule))
            next_id += 1
    return milestones


def generate(*, members: int, events: int, directory: Path) -> None:
    """Write members, terms, interactions (in 5M-row files), tickets and achievements as Parquet."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    t = day_number(AS_OF)
    ids = np.arange(1, members + 1, dtype=np.int64)
    joined = (t - rng.integers(1, 4 * 365, members)).astype(np.int32)
    activity = rng.gamma(0.8, 1.0, members)
    pq.write_table(pa.table({
        "member_id": ids,
        "segment_id": rng.integers(1, 6, members).astype(np.int64),
        "journey_id": rng.integers(1, 4, members).astype(np.int64),
        "joined_day": joined,
        "status": pa.array(np.where(rng.random(members) < 0.9, "active", "lapsed")),
    }, schema=arrow_schema("members")), directory / "members.parquet")
    years = (t - joined) // 365
    current_start = (joined + years * 365).astype(np.int32)
    has_previous = years > 0
    pq.write_table(pa.table({
        "member_id": np.concatenate([ids, ids[has_previous]]),
        "start_day": np.concatenate([current_start, current_start[has_previous] - 365]).astype(np.int32),
        "end_day": np.concatenate([current_start + 365, current_start[has_previous]]).astype(np.int32),
        "status": pa.array(["active"] * members + ["renewed"] * int(has_previous.sum())),
    }, schema=arrow_schema("terms")), directory / "terms.parquet")
    shares = np.array([k[2] for k in KINDS])
    shares /= shares.sum()
    weights = activity / activity.sum()
    cumulative = np.cumsum(weights)
    sources = pa.array([k[0] for k in KINDS])
    kinds = pa.array([k[1] for k in KINDS])
    course = [k[1] for k in KINDS].index("course_completed")
    (directory / "interactions").mkdir(exist_ok=True)
    done, part = 0, 0
    while done < events:
        size = min(CHUNK_ROWS, events - done)
        member = np.minimum(np.searchsorted(cumulative, rng.random(size)), members - 1)
        kind = rng.choice(len(KINDS), size, p=shares)
        span = (t - joined[member] + 1).astype(np.float64)
        day = (joined[member] + np.floor(rng.random(size) * span)).astype(np.int32)
        value = np.where(kind == course, rng.integers(1, 9, size).astype(np.float64), np.nan)
        table = pa.table({
            "member_id": ids[member],
            "source": pa.DictionaryArray.from_arrays(pa.array(kind.astype(np.int32)), sources).cast(pa.string()),
            "kind": pa.DictionaryArray.from_arrays(pa.array(kind.astype(np.int32)), kinds).cast(pa.string()),
            "day": day,
            "value": pa.array(value, mask=np.isnan(value)),
        }, schema=arrow_schema("interactions"))
        pq.write_table(table, directory / "interactions" / f"part-{part:04d}.parquet")
        done, part = done + size, part + 1
    tickets = max(1, events // 50)
    member = rng.integers(0, members, tickets)
    opened = (joined[member].astype(np.int64) * 86_400
              + (rng.random(tickets) * (t - joined[member] + 1) * 86_400).astype(np.int64))
    hours = rng.exponential(40.0, tickets)
    resolved = opened + (hours * 3600).astype(np.int64)
    unresolved = rng.random(tickets) < 0.05
    pq.write_table(pa.table({
        "member_id": ids[member],
        "severity": pa.array(rng.choice(["low", "normal", "high", "urgent"], tickets, p=[0.3, 0.5, 0.15, 0.05])),
        "opened_s": opened,
        "resolved_s": pa.array(resolved, mask=unresolved),
    }, schema=arrow_schema("tickets")), directory / "tickets.parquet")
    placed = rng.random(members) < 0.05
    pq.write_table(pa.table({
        "member_id": ids[placed], "milestone_id": np.full(int(placed.sum()), 12, dtype=np.int64),
        "achieved_day": (t - rng.integers(1, 300, int(placed.sum()))).astype(np.int32),
    }, schema=arrow_schema("achievements")), directory / "achievements.parquet")
    (directory / "COMPLETE").write_text(f"{members} {events}\n")


def baseline_sql(
    *,
    signals: Sequence[Signal],
    rules: Sequence[MilestoneRule],
    as_of_days: Sequence[int],
    quiet_ignores: Sequence[str],
) -> str:
    """The features as an analyst would write them in DuckDB SQL: one GROUP BY with FILTER clauses."""
    def quoted(values: Sequence[str]) -> str:
        return ", ".join("'" + v.replace("'", "''") + "'" for v in values)

    def match(sources: Sequence[str], kinds: Sequence[str]) -> str:
        parts = ["TRUE"]
        if sources:
            parts.append(f"i.source IN ({quoted(sources)})")
        if kinds:
            parts.append(f"i.kind IN ({quoted(kinds)})")
        return " AND ".join(parts)

    def aggregate(aggregation: str, where: str) -> str:
        return {
            "count": f"count(*) FILTER (WHERE {where})",
            "sum": f"round(sum(i.value) FILTER (WHERE {where}), 6)",
            "distinct_days": f"count(DISTINCT i.day) FILTER (WHERE {where})",
            "days_since_last": f"max(i.day) FILTER (WHERE {where})",
        }[aggregation]

    selects, ticket_selects = [], []
    for k, t in enumerate(as_of_days):
        for s in signals:
            if s.reads_tickets:
                end, start = (t + 1) * 86_400, (t + 1 - s.window_days) * 86_400
                severity = f"severity IN ({quoted(s.kinds)})" if s.kinds else "TRUE"
                if s.aggregation == "open_tickets":
                    where = (f"{severity} AND opened_s < {end} AND opened_s >= {start} "
                             f"AND (resolved_s IS NULL OR resolved_s >= {end})")
                    ticket_selects.append(f"count(*) FILTER (WHERE {where}) AS {s.name}__{k}")
                elif s.aggregation == "tickets_opened":
                    where = f"{severity} AND opened_s < {end} AND opened_s >= {start}"
                    ticket_selects.append(f"count(*) FILTER (WHERE {where}) AS {s.name}__{k}")
                else:
                    where = f"{severity} AND resolved_s < {end} AND resolved_s >= {start}"
                    ticket_selects.append(
                        f"round(median(resolved_s - opened_s) FILTER (WHERE {where}) / 3600.0, 6) AS {s.name}__{k}"
                    )
                continue
            where = f"{match(s.sources, s.kinds)} AND i.day <= {t} AND i.day > {t - s.window_days}"
            selects.append(f"{aggregate(s.aggregation, where)} AS {s.name}__{k}")
        for index, rule in enumerate(rules):
            anchor = "a.joined_day" if rule.window == "join" else f"a.term_start__{k}"
            where = f"{match(rule.sources, rule.kinds)} AND i.day <= {t} AND i.day >= {anchor}"
            selects.append(f"{aggregate(rule.aggregation, where)} AS rule{index}__{k}")
        ignore = f" AND i.kind NOT IN ({quoted(quiet_ignores)})" if quiet_ignores else ""
        selects.append(f"max(i.day) FILTER (WHERE i.day <= {t}{ignore}) AS last_touch__{k}")
        ticket_selects.append(f"floor(max(opened_s) FILTER (WHERE opened_s < {(t + 1) * 86_400}) / 86400) "
                              f"AS last_ticket__{k}")
    presence = {}
    for s in signals:
        if not s.reads_tickets:
            presence[f"has_{'_'.join(s.sources or s.kinds) or 'any'}"] = match(s.sources, () if s.sources else s.kinds)
    selects += [f"count(*) FILTER (WHERE {where}) AS {name}" for name, where in presence.items()]
    t0 = as_of_days[0]
    anchors = ", ".join(
        f"coalesce(max(start_day) FILTER (WHERE start_day <= {t} AND end_day >= {t}), "
        f"max(start_day) FILTER (WHERE start_day <= {t})) AS term_start__{k}"
        for k, t in enumerate(as_of_days)
    )
    return (
        f"WITH terms_now AS (SELECT member_id, {anchors} FROM msm_terms GROUP BY member_id), "
        f"a AS (SELECT m.member_id, m.joined_day, {', '.join(f'tn.term_start__{k}' for k in range(len(as_of_days)))} "
        f"FROM msm_members m LEFT JOIN terms_now tn USING (member_id)), "
        f"f AS (SELECT i.member_id, {', '.join(selects)} FROM msm_interactions i JOIN a USING (member_id) "
        f"WHERE i.day <= {t0} GROUP BY i.member_id), "
        f"t AS (SELECT member_id, {', '.join(ticket_selects)}, count(*) AS has_tickets FROM msm_tickets "
        f"WHERE opened_s < {(t0 + 1) * 86_400} GROUP BY member_id) "
        f"SELECT * FROM f FULL OUTER JOIN t USING (member_id)"
    )


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_bench(
    *, members: int, events: int, engine: str = "duckdb", work_dir: Path | None = None,
    config: ScoringConfig = DEFAULT_CONFIG, memory_limit: str | None = None,
) -> dict[str, Any]:
    """Generate the data if needed, then time features (Ibis and SQL) and the full score; one dict of figures."""
    directory = (work_dir or Path("msm-bench")) / f"m{members}-e{events}"
    generated_s = 0.0
    if not (directory / "COMPLETE").exists():
        started = time.perf_counter()
        generate(members=members, events=events, directory=directory)
        generated_s = time.perf_counter() - started
    milestones = bench_milestones()
    params = config.params
    t0 = day_number(AS_OF)
    as_of_days = (t0, t0 - params.velocity_days)
    files = {name: directory / f"{name}.parquet" for name in ("members", "terms", "tickets", "achievements")}
    files["interactions"] = directory / "interactions" / "*.parquet"

    cpu: dict[str, float] = {}
    started, cpu_started = time.perf_counter(), time.process_time()
    con = duckdb_connect(memory_limit=memory_limit) if engine == "duckdb" and memory_limit else connect(engine)
    tables = {name: _read(con, name, path) for name, path in files.items()}
    load_s = time.perf_counter() - started
    cpu["load"] = time.process_time() - cpu_started
    inputs = EngineInputs(**tables)

    rules = distinct_rules(milestones)
    started, cpu_started = time.perf_counter(), time.process_time()
    anchors = member_anchors(members=inputs.members, terms=inputs.terms, as_of_days=as_of_days, params=params)
    ifeat = interaction_features(interactions=inputs.interactions, anchors=anchors, signals=config.signals,
                                 rules=rules, as_of_days=as_of_days, params=params)
    tfeat = ticket_features(tickets=inputs.tickets, signals=config.signals, as_of_days=as_of_days)
    features = ifeat.outer_join(tfeat, "member_id")
    cached = features.cache()
    feature_rows = cached.count().execute()
    features_s = time.perf_counter() - started
    cpu["features"] = time.process_time() - cpu_started

    baseline_s, baseline_rows = None, None
    if engine == "duckdb":
        sql = baseline_sql(signals=config.signals, rules=rules, as_of_days=as_of_days,
                           quiet_ignores=params.quiet_ignores_kinds)
        started, cpu_started = time.perf_counter(), time.process_time()
        con.raw_sql(f"CREATE OR REPLACE TEMP TABLE bench_baseline AS {sql}")
        baseline_s = time.perf_counter() - started
        cpu["baseline_sql"] = time.process_time() - cpu_started
        baseline_rows = con.table("bench_baseline").count().execute()
        con.raw_sql("DROP TABLE bench_baseline")
    # The comparison's tables are not part of scoring: free them before the score is timed.
    cached.release()

    started, cpu_started = time.perf_counter(), time.process_time()
    result = con.to_pyarrow(score_members(inputs, config=config, milestones=milestones, as_of=AS_OF))
    vectors_s = time.perf_counter() - started
    cpu["vectors"] = time.process_time() - cpu_started
    started, cpu_started = time.perf_counter(), time.process_time()
    explained = sum(batch.rows.num_rows
                    for batch in explain_batches(result, config=config, milestones=milestones, as_of_day=t0))
    explain_s = time.perf_counter() - started
    cpu["explain"] = time.process_time() - cpu_started
    cpu["score_total"] = cpu["load"] + cpu["vectors"] + cpu["explain"]
    return {
        "members": members,
        "events": events,
        "engine": engine,
        "features_s": round(features_s, 3),
        "baseline_sql_s": None if baseline_s is None else round(baseline_s, 3),
        "ratio": None if baseline_s is None else round(features_s / baseline_s, 3),
        "score_total_s": round(load_s + vectors_s + explain_s, 3),
        "load_s": round(load_s, 3),
        "vectors_s": round(vectors_s, 3),
        "explain_s": round(explain_s, 3),
        "peak_rss_mb": _peak_rss_mb(),
        "memory_limit": memory_limit,
        # CPU seconds of this process (all its threads) per phase: the work done, whatever else runs.
        **{f"{phase}_cpu_s": round(seconds, 3) for phase, seconds in cpu.items()},
        "members_scored": result.num_rows,
        "explained": explained,
        "feature_rows": int(feature_rows),
        "baseline_rows": None if baseline_rows is None else int(baseline_rows),
        "generated_s": round(generated_s, 3),
        "data": str(directory),
    }


def _read(con: ibis.BaseBackend, name: str, path: Path) -> ibis.Table:
    if con.name == "duckdb":
        # Into DuckDB's own columnar storage, as `msm score` hands it Arrow tables in memory.
        con.raw_sql(
            f"CREATE OR REPLACE TABLE msm_{name} AS SELECT * FROM read_parquet('{path}')"
        )
        return con.table(f"msm_{name}")
    return con.read_parquet(str(path), table_name=f"msm_{name}")
