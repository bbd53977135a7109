"""The batch explanation gives, for every member, exactly the text `explain` gives row by row.

`explain` states the rules for one row (contributions, flags, reasons in order); `explain_batches`
is what scoring runs: points come from the engine's result, rounding, ranking and sentence choice are
array operations. Outputs are compared as the JSON text a VectorSnapshot stores."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
import pytest

from membersuccess.engine.backends import duckdb_connect
from membersuccess.engine.explain import explain, explain_batches, round2
from membersuccess.engine.inputs import day_number
from membersuccess.engine.run import compute_vectors
from membersuccess.engine.signals import DEFAULT_CONFIG, config_from_dict, config_to_dict
from tests.engine.builders import AS_OF
from tests.engine.test_parity import MILESTONES, fixture_association


def _config(**params: object):
    return config_from_dict({**config_to_dict(DEFAULT_CONFIG), "params": {"segment_target_min_members": 3, **params}})


@pytest.mark.parametrize("params", [
    {},
    {"top_reasons": 1, "reason_min_points": 0.0},  # every input qualifies: ties are ranked in signal order
    {"top_reasons": 12, "reason_min_points": 0.5},
    {"top_reasons": 0},
])
def test_batches_say_exactly_what_explain_says_row_by_row(params):
    config = _config(**params)
    association = fixture_association(members=300, seed=11)
    by_id = {m.milestone_id: m for m in MILESTONES}
    for as_of in (AS_OF, AS_OF - timedelta(days=200)):
        result = compute_vectors(duckdb_connect(threads=1), association.tables(), config=config,
                                 milestones=MILESTONES, as_of=as_of)
        as_of_day = day_number(as_of)
        seen = 0
        for batch in explain_batches(result, config=config, milestones=MILESTONES, as_of_day=as_of_day,
                                     batch_rows=37):
            for row, contributions, reasons, flags in zip(batch.rows.to_pylist(), batch.contributions,
                                                          batch.reasons, batch.flags, strict=True):
                expected = explain(row, config=config, milestones=by_id, as_of_day=as_of_day)
                assert contributions == json.dumps(expected.contributions)
                assert reasons == json.dumps(expected.reasons)
                assert flags == json.dumps(expected.flags)
                seen += 1
        assert seen == result.num_rows > 100


def test_the_fixture_exercises_every_kind_of_reason():
    config = _config()
    result = compute_vectors(duckdb_connect(threads=1), fixture_association(members=300, seed=11).tables(),
                             config=config, milestones=MILESTONES, as_of=AS_OF)
    texts = " ".join(text for batch in explain_batches(result, config=config, milestones=MILESTONES,
                                                       as_of_day=day_number(AS_OF)) for text in batch.reasons)
    for words in ("days overdue", "in the last", "(target", "membership ends in", "no interaction of any kind"):
        assert words in texts


def test_round2_rounds_like_python_even_next_to_a_tie():
    rng = np.random.default_rng(3)
    values = np.concatenate([
        rng.random(20_000) * 100,
        np.arange(0, 10_000) / 100 + 0.005,  # decimal ties, on either side of them in binary
        np.arange(0, 10_000) / 1000,
        np.array([0.0, -0.0, 0.125, 0.375, 2.675, 1.005, -1.005, 1e15 + 0.125, np.inf, -np.inf]),
    ])
    rounded = round2(values)
    expected = [round(float(v), 2) for v in values]
    assert [float(v).hex() for v in rounded] == [v.hex() for v in expected]
    assert np.isnan(round2(np.array([np.nan])))[0]
