"""The same expressions give identical vectors on DuckDB and on Spark, on a whole fixture association."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from membersuccess.engine.backends import duckdb_connect
from membersuccess.engine.milestones import Milestone, MilestoneRule
from membersuccess.engine.run import compute_vectors
from membersuccess.engine.signals import DEFAULT_CONFIG, SignalConfigError, config_from_dict, config_to_dict
from tests.engine.builders import AS_OF, Association, days_ago

KINDS = (
    ("events", "event_attended"), ("lms", "course_completed"), ("certification", "cert_exam_booked"),
    ("portal", "login"), ("portal", "download"), ("community", "post"), ("volunteering", "committee_meeting"),
    ("referrals", "referral"), ("email", "email_click"), ("careers", "job_board_visit"), ("finance", "payment"),
)


def rule(kind: str, threshold: float, aggregation: str = "count", window: str = "join") -> MilestoneRule:
    return MilestoneRule(kinds=(kind,), aggregation=aggregation, threshold=threshold, window=window)  # type: ignore[arg-type]


MILESTONES = [
    Milestone(1, 1, 1, "First course", 60, "join", 30, rule("course_completed", 1)),
    Milestone(2, 1, 2, "10 CE credits", 180, "join", 30, rule("course_completed", 10, "sum")),
    Milestone(3, 1, 3, "Exam booked", 270, "join", 45, rule("cert_exam_booked", 1)),
    Milestone(4, 1, 4, "6 credits this term", 330, "term_start", 30, rule("course_completed", 6, "sum", "term_start")),
    Milestone(5, 2, 1, "First event", 90, "join", 30, rule("event_attended", 1)),
    Milestone(6, 2, 2, "Job board on 5 days", 120, "join", 30, rule("job_board_visit", 5, "distinct_days")),
    Milestone(7, 2, 3, "Placement", 365, "join", 90, None),
]


def fixture_association(members: int = 240, seed: int = 7) -> Association:
    rng = np.random.default_rng(seed)
    a = Association()
    for member_id in range(1, members + 1):
        joined = days_ago(int(rng.integers(5, 1200)))
        start = joined
        while start + timedelta(days=365) < AS_OF - timedelta(days=int(rng.integers(0, 90))):
            a.term(member_id, start=start, end=start + timedelta(days=365),
                   status=str(rng.choice(["renewed", "upgraded"])))
            start += timedelta(days=365)
        a.member(member_id, joined=joined, journey_id=int(rng.choice([1, 2, 0])) or None,
                 segment_id=int(rng.integers(1, 4)), status=str(rng.choice(["active", "grace", "lapsed"])),
                 term=(start, start + timedelta(days=365)))
        span = max(1, (AS_OF - joined).days + 20)
        for _ in range(int(rng.poisson(rng.gamma(1.0, 25.0)))):
            source, kind = KINDS[int(rng.integers(0, len(KINDS)))]
            on = joined + timedelta(days=int(rng.integers(0, span)))
            credits = float(rng.integers(1, 8)) if kind == "course_completed" else None
            a.touch(member_id, kind, source, on, value=credits)
        for _ in range(int(rng.poisson(0.8))):
            opened = joined + timedelta(days=int(rng.integers(0, span)))
            hours = None if rng.random() < 0.2 else float(rng.exponential(60.0))
            a.ticket(member_id, opened=opened, resolved_after_hours=hours,
                     severity=str(rng.choice(["low", "normal", "high"])))
        if rng.random() < 0.1:
            a.confirm(member_id, 7, joined + timedelta(days=int(rng.integers(100, 400))))
    a.previous = [
        {"member_id": m, "status": str(rng.choice(["off_track", "on_track", "drifting"])),
         "saved_at_risk": bool(rng.random() < 0.1), "next_milestone_id": int(rng.integers(1, 8))}
        for m in range(1, members + 1, 2)
    ]
    return a


def test_duckdb_and_spark_give_identical_vectors(spark_backend, tmp_path):
    association = fixture_association()
    segment_config = config_from_dict({**config_to_dict(DEFAULT_CONFIG),
                                       "params": {"segment_target_min_members": 3}})
    for as_of in (AS_OF, AS_OF - timedelta(days=200)):
        staging = tmp_path / str(as_of)
        staging.mkdir()
        on_duckdb = compute_vectors(duckdb_connect(threads=1), association.tables(), config=segment_config,
                                    milestones=MILESTONES, as_of=as_of)
        on_spark = compute_vectors(spark_backend, association.tables(), config=segment_config,
                                   milestones=MILESTONES, as_of=as_of, staging=staging)
        assert on_duckdb.num_rows > 100
        assert on_duckdb.column_names == on_spark.column_names
        duck_rows, spark_rows = on_duckdb.to_pylist(), on_spark.to_pylist()
        for duck_row, spark_row in zip(duck_rows, spark_rows, strict=True):
            assert duck_row == spark_row
        statuses = {row["status"] for row in duck_rows}
        assert statuses >= {"on_track", "off_track"}  # the fixture exercises more than one path


def test_config_errors_are_caught_before_any_backend_runs():
    with pytest.raises(SignalConfigError):
        config_from_dict({"signals": [{"name": "x"}]})
