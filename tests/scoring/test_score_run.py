"""score_run: one completed run per as-of date, history across dates, a lock, and nothing half-visible."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from membersuccess.scoring import services
from membersuccess.scoring.models import ScoreRun, VectorSnapshot
from membersuccess.scoring.services import ScoringBusy, score_run, scoring_lock
from tests.scoring.conftest import AS_OF


def visible(as_of=AS_OF):
    return VectorSnapshot.objects.filter(run__status=ScoreRun.Status.COMPLETED, as_of=as_of)


def test_scores_every_active_member_and_completes(association):
    run = score_run(as_of=AS_OF)
    assert run.status == ScoreRun.Status.COMPLETED
    assert run.members_scored == 2  # the lapsed member is not scored
    by_member = {s.member_id: s for s in visible()}
    engaged, missed = by_member[association["engaged"].pk], by_member[association["missed"].pk]
    assert engaged.score > missed.score
    assert missed.status == "off_track"
    assert missed.next_milestone_id == association["first"].pk
    assert any("First event attended" in reason for reason in missed.reasons)
    assert "off_track" in missed.flags
    assert engaged.contributions[0]["input"] == "milestone_position"
    assert {c["input"] for c in engaged.contributions} >= {"events_attended", "portal_days", "open_tickets"}


def test_scoring_the_same_date_again_replaces_it(association):
    first = score_run(as_of=AS_OF)
    scores = sorted(visible().values_list("member_id", "score"))
    second = score_run(as_of=AS_OF)
    assert ScoreRun.objects.filter(as_of=AS_OF, status=ScoreRun.Status.COMPLETED).get() == second
    assert not ScoreRun.objects.filter(pk=first.pk).exists()
    assert sorted(visible().values_list("member_id", "score")) == scores
    assert VectorSnapshot.objects.count() == len(scores)


def test_other_dates_stay_as_history(association):
    score_run(as_of=date(2024, 6, 23))
    score_run(as_of=AS_OF)
    assert ScoreRun.objects.filter(status=ScoreRun.Status.COMPLETED).count() == 2
    assert VectorSnapshot.objects.filter(member=association["engaged"]).count() == 2


def test_saved_at_risk_carries_over_from_the_previous_run(association):
    score_run(as_of=date(2024, 6, 23))
    missed = association["missed"]
    VectorSnapshot.objects.filter(member=missed).update(status="off_track")
    run = score_run(as_of=AS_OF)
    # Still off track today, so not "saved": the flag is only for members back from off track.
    assert "saved_at_risk" not in VectorSnapshot.objects.get(run=run, member=missed).flags


def test_a_second_run_fails_clearly_while_one_holds_the_lock(association):
    with scoring_lock(), pytest.raises(ScoringBusy, match="another scoring run is in progress"):
        score_run(as_of=AS_OF)
    assert not ScoreRun.objects.exists()


def test_a_second_run_waits_for_the_lock_when_asked(association):
    release = threading.Event()
    held = threading.Event()

    def hold() -> None:
        with scoring_lock():
            held.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    threading.Timer(0.6, release.set).start()
    run = score_run(as_of=AS_OF, wait_seconds=10)
    holder.join()
    assert run.status == ScoreRun.Status.COMPLETED


def test_a_failure_while_writing_leaves_nothing_visible(association, monkeypatch):
    real_write = services.write_snapshots

    def write_then_crash(**kwargs):
        real_write(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "write_snapshots", write_then_crash)
    with pytest.raises(RuntimeError, match="disk full"):
        score_run(as_of=AS_OF)
    run = ScoreRun.objects.get()
    assert run.status == ScoreRun.Status.FAILED
    assert "disk full" in run.error
    assert not VectorSnapshot.objects.exists()


def test_a_failed_rescore_keeps_the_date_s_earlier_vectors(association, monkeypatch):
    score_run(as_of=AS_OF)
    before = sorted(visible().values_list("member_id", "score"))
    monkeypatch.setattr(services, "compute_vectors", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        score_run(as_of=AS_OF)
    assert sorted(visible().values_list("member_id", "score")) == before


def test_a_run_killed_half_way_is_cleaned_up_by_the_next(association):
    killed = ScoreRun.objects.create(as_of=AS_OF, status=ScoreRun.Status.RUNNING)
    VectorSnapshot.objects.create(run=killed, member=association["engaged"], as_of=AS_OF, score=1, status="on_track",
                                  confidence=0, milestone_position=0)
    assert not visible().exists()
    score_run(as_of=AS_OF)
    killed.refresh_from_db()
    assert killed.status == ScoreRun.Status.FAILED
    assert not VectorSnapshot.objects.filter(run=killed).exists()


def test_unknown_engine_is_refused(association):
    with pytest.raises(services.ScoringError, match="unknown engine"):
        score_run(as_of=AS_OF, engine="oracle")
