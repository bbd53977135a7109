"""Properties of the score on generated members (DuckDB): bounded, and helped by helpful interactions."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from membersuccess.engine.backends import duckdb_connect
from membersuccess.engine.run import compute_vectors
from membersuccess.engine.signals import DEFAULT_CONFIG
from tests.engine.builders import AS_OF, Association, days_ago
from tests.engine.test_parity import KINDS, MILESTONES

HELPFUL = [(s.sources[0], s.kinds[0]) for s in DEFAULT_CONFIG.signals if s.direction == "helps"]

facts = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(min_value=0, max_value=900), st.integers(min_value=1, max_value=8)),
    max_size=25,
)
tickets = st.lists(
    st.tuples(st.integers(min_value=0, max_value=400), st.one_of(st.none(), st.floats(min_value=0, max_value=2000))),
    max_size=4,
)


def member(history, open_tickets, joined_days_ago: int, journey: int | None) -> Association:
    a = Association()
    a.member(1, joined=days_ago(joined_days_ago), journey_id=journey,
             term=(days_ago(joined_days_ago % 365), days_ago(joined_days_ago % 365) + timedelta(days=365)))
    for (source, kind), ago, value in history:
        a.touch(1, kind, source, days_ago(ago), value=float(value) if kind == "course_completed" else None)
    for ago, hours in open_tickets:
        a.ticket(1, opened=days_ago(ago), resolved_after_hours=hours)
    return a


def vector(a: Association) -> dict:
    result = compute_vectors(duckdb_connect(threads=1), a.tables(), config=DEFAULT_CONFIG, milestones=MILESTONES,
                             as_of=AS_OF)
    return result.to_pylist()[0]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=facts, open_tickets=tickets, joined=st.integers(min_value=1, max_value=1500),
       journey=st.sampled_from([None, 1, 2]), helpful=st.sampled_from(HELPFUL),
       ago=st.integers(min_value=0, max_value=60))
def test_score_is_within_0_and_100_and_a_helpful_interaction_never_lowers_it(
    history, open_tickets, joined, journey, helpful, ago
):
    a = member(history, open_tickets, joined, journey)
    before = vector(a)
    assert 0.0 <= before["score"] <= 100.0
    assert 0.0 <= before["confidence"] <= 1.0
    assert 0.0 <= before["milestone_position"] <= 1.0
    source, kind = helpful
    a.touch(1, kind, source, AS_OF - timedelta(days=min(ago, joined - 1)),
            value=3.0 if kind == "course_completed" else None)
    after = vector(a)
    assert 0.0 <= after["score"] <= 100.0
    assert after["score"] >= before["score"] - 1e-9
