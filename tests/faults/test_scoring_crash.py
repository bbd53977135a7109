"""Crash safety of scoring: `kill -9` a real `msm score` at several moments, run it again, and staff see exactly
the vectors an uninterrupted run gives — never half a run. Two runs at once queue instead of interleaving."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.faults.scoring_state import (
    AS_OF,
    copy_installation,
    orphan_rows,
    populate,
    rows_of_run,
    running_run,
    runs,
    score_in_background,
    visible_vectors,
    wait_for,
    write_association,
)
from tests.ops.helpers import error_line, msm, run

pytestmark = pytest.mark.slow

MEMBERS = 12_000  # three batches of vector rows, so a kill can land between two of them


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scored association: the reference run for AS_OF is complete."""
    folder = tmp_path_factory.mktemp("scored")
    files = write_association(folder / "files", members=MEMBERS, interactions=3 * MEMBERS)
    data_dir = folder / "data"
    populate(data_dir, files)
    run("score", "--as-of", AS_OF, data_dir=data_dir)
    return data_dir


@pytest.fixture(scope="module")
def reference(installation: Path) -> list[tuple[object, ...]]:
    vectors = visible_vectors(installation)
    assert len(vectors) == MEMBERS
    return vectors


def _kill_when(data_dir: Path, moment: str) -> None:
    """Start `msm score` for AS_OF again and kill -9 it at the named moment."""
    process = score_in_background(data_dir)
    if moment == "starting":
        time.sleep(0.5)
    elif moment == "computing":
        wait_for(lambda: running_run(data_dir) is not None, process=process, what="the run started")
    elif moment == "writing":
        wait_for(lambda: running_run(data_dir) is not None, process=process, what="the run started")
        run_id = running_run(data_dir)
        assert run_id is not None
        wait_for(lambda: rows_of_run(data_dir, run_id) > 0, process=process, what="vectors were being written")
    assert process.poll() is None, "the run finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


@pytest.mark.parametrize("moment", ["starting", "computing", "writing"])
def test_a_killed_run_leaves_the_last_complete_vectors_visible(installation, reference, tmp_path, moment):
    data_dir = copy_installation(installation, tmp_path / "data")

    _kill_when(data_dir, moment)

    assert visible_vectors(data_dir) == reference


@pytest.mark.parametrize("moment", ["starting", "computing", "writing"])
def test_a_killed_run_run_again_gives_exactly_the_uninterrupted_vectors(installation, reference, tmp_path, moment):
    data_dir = copy_installation(installation, tmp_path / "data")
    _kill_when(data_dir, moment)

    run("score", "--as-of", AS_OF, data_dir=data_dir)

    assert visible_vectors(data_dir) == reference
    assert orphan_rows(data_dir) == 0
    assert [status for _, as_of, status, _, _ in runs(data_dir) if as_of == AS_OF].count("completed") == 1


def test_the_killed_run_is_recorded_as_interrupted(installation, tmp_path):
    data_dir = copy_installation(installation, tmp_path / "data")
    _kill_when(data_dir, "writing")

    run("score", "--as-of", AS_OF, data_dir=data_dir)

    statuses = [status for _, _, status, _, _ in runs(data_dir)]
    assert statuses[-2:] == ["failed", "completed"]


def test_two_runs_started_together_take_turns(installation, reference, tmp_path):
    data_dir = copy_installation(installation, tmp_path / "data")
    first = score_in_background(data_dir, "--wait", "600")
    second = score_in_background(data_dir, "--wait", "600")
    for process in (first, second):
        output = process.communicate(timeout=900)
        assert process.returncode == 0, output

    # The later run replaces the earlier one for the same date; the earlier one's rows are gone.
    assert [status for _, _, status, _, _ in runs(data_dir)][-1] == "completed"
    assert visible_vectors(data_dir) == reference
    assert orphan_rows(data_dir) == 0


def test_runs_for_two_dates_at_once_never_overlap(installation, tmp_path):
    data_dir = copy_installation(installation, tmp_path / "data")
    processes = [
        msm("score", "--as-of", as_of, "--wait", "600", data_dir=data_dir) for as_of in ("2024-05-31", "2024-04-30")
    ]
    for process in processes:
        output = process.communicate(timeout=900)
        assert process.returncode == 0, output

    (_, _, first_status, _, first_finished), (_, _, second_status, second_started, _) = sorted(
        runs(data_dir)[1:], key=lambda r: str(r[3])
    )
    assert first_status == second_status == "completed"
    assert second_started >= first_finished


def test_a_run_started_while_another_scores_says_so_and_changes_nothing(installation, reference, tmp_path):
    data_dir = copy_installation(installation, tmp_path / "data")
    first = score_in_background(data_dir)
    try:
        wait_for(lambda: running_run(data_dir) is not None, process=first, what="the first run started")
        _, stderr = run("score", "--as-of", "2024-05-31", data_dir=data_dir, expect=2)
    finally:
        first.communicate(timeout=900)

    assert "another scoring run is in progress" in error_line(stderr)
    assert "2024-05-31" not in [as_of for _, as_of, _, _, _ in runs(data_dir)]
    assert visible_vectors(data_dir) == reference


def test_two_runs_started_at_the_same_moment_one_scores_the_other_says_it_is_busy(installation, reference, tmp_path):
    data_dir = copy_installation(installation, tmp_path / "data")
    before = runs(data_dir)

    processes = [score_in_background(data_dir) for _ in range(2)]
    outputs = [process.communicate(timeout=900) for process in processes]

    assert sorted(process.returncode for process in processes) == [0, 2], outputs
    (_, busy_stderr), = [output for process, output in zip(processes, outputs, strict=True) if process.returncode == 2]
    assert "another scoring run is in progress" in error_line(busy_stderr)
    # The one turned away never started a run: one new complete run, which replaced the earlier one for the date.
    after = runs(data_dir)
    assert [(as_of, status) for _, as_of, status, _, _ in after] == [(AS_OF, "completed")]
    assert after[0][0] > max(run_id for run_id, *_ in before)
    assert visible_vectors(data_dir) == reference
    assert orphan_rows(data_dir) == 0
