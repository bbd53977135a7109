"""The member 360 shows the Success Vector: score, status, direction, confidence, reasons, inputs, history."""

from __future__ import annotations

import re
from datetime import date

import pytest

from membersuccess.scoring.models import ScoreRun, VectorSnapshot
from tests.factories import make_journey, make_member, make_milestone
from tests.web.vector_factories import make_run, make_signal_set, make_vector

pytestmark = pytest.mark.django_db

MAY_1 = date(2025, 5, 1)
MAY_8 = date(2025, 5, 8)


def panel(html: str) -> str:
    """The vector section of a member 360 page."""
    match = re.search(r'<section class="card vector".*?</section>', html, flags=re.S)
    assert match, "the member 360 has a Success Vector section"
    return match.group(0)


def test_shows_score_status_direction_confidence_and_reasons(manager_client):
    ada = make_member(name="Ada Okafor")
    make_vector(
        run=make_run(as_of=MAY_8, signal_set=make_signal_set(version=3)),
        member=ada,
        score=42.4,
        status=VectorSnapshot.Status.DRIFTING,
        velocity=-7.25,
        confidence=0.8,
        reasons=["No event attended in 9 months", "Certification exam not booked — milestone 3 is 40 days overdue"],
    )
    html = panel(manager_client.get(f"/members/{ada.pk}/").content.decode())
    assert "42" in html and "/ 100" in html
    assert '<span class="badge badge--drifting">Drifting</span>' in html
    assert "Declining" in html and "−7.2 points over 30 days" in html
    assert "80%" in html
    assert html.index("No event attended in 9 months") < html.index("Certification exam not booked")
    assert "signals version 3" in html


def test_lists_every_input_with_its_points_out_of_what_it_could_earn(manager_client):
    ada = make_member()
    make_vector(run=make_run(as_of=MAY_8), member=ada)  # weights 4, 2, 2: at most 50, 25 and 25 points
    html = panel(manager_client.get(f"/members/{ada.pk}/").content.decode())
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", html, flags=re.S)
    assert [label for label, _ in rows] == ["Milestones reached on time", "Events attended", "Open support tickets"]
    events = rows[1][1]
    assert "25%" in events and "6.3" in events and "of 25.0" in events


def test_history_sparkline_has_one_point_per_date_oldest_first_and_the_latest_rerun_wins(manager_client):
    ada = make_member()
    make_vector(run=make_run(as_of=MAY_1), member=ada, score=30)
    make_vector(run=make_run(as_of=MAY_8), member=ada, score=50)
    make_vector(run=make_run(as_of=MAY_8), member=ada, score=55)  # a re-run of the same date
    html = panel(manager_client.get(f"/members/{ada.pk}/").content.decode())
    assert 'aria-label="Score history: from 30 on 1 May 2025 to 55 on 8 May 2025"' in html
    points = re.search(r'<polyline class="sparkline__line" points="([^"]+)"', html)
    assert points and len(points.group(1).split()) == 2
    assert "55" in html.split('class="vector__number"')[1][:80]


def test_runs_that_have_not_completed_are_never_shown(manager_client):
    ada = make_member()
    make_vector(run=make_run(as_of=MAY_1), member=ada, score=61)
    make_vector(run=make_run(as_of=MAY_8, status=ScoreRun.Status.RUNNING), member=ada, score=12)
    make_vector(run=make_run(as_of=MAY_8, status=ScoreRun.Status.FAILED), member=ada, score=13)
    html = panel(manager_client.get(f"/members/{ada.pk}/").content.decode())
    assert "61" in html.split('class="vector__number"')[1][:80]
    assert "12" not in html.split('class="vector__number"')[1][:80]


def test_before_any_scoring_the_panel_says_how_to_score(manager_client):
    ada = make_member()
    make_vector(run=make_run(as_of=MAY_8, status=ScoreRun.Status.RUNNING), member=ada)
    html = panel(manager_client.get(f"/members/{ada.pk}/").content.decode())
    assert "Not scored yet" in html
    assert "<code>msm score</code>" in html


def test_shows_the_next_milestone_the_vector_was_computed_with(manager_client):
    journey = make_journey()
    exam = make_milestone(journey=journey, order=3, name="Pass the certification exam")
    ada = make_member(journey=journey)
    make_vector(run=make_run(as_of=MAY_8), member=ada, next_milestone=exam, next_milestone_due_on=date(2025, 4, 1))
    html = panel(manager_client.get(f"/members/{ada.pk}/").content.decode())
    assert "Pass the certification exam" in html
    assert "due 1 Apr 2025 — overdue" in html


def test_flags_are_named_in_words_and_link_to_the_members_with_the_same_flag(manager_client):
    ada = make_member()
    make_vector(run=make_run(as_of=MAY_8), member=ada, flags=["quiet", "renewal_at_risk"])
    html = panel(manager_client.get(f"/members/{ada.pk}/").content.decode())
    assert '<a class="flag flag--quiet" href="/members/?flag=quiet">Quiet</a>' in html
    assert 'href="/members/?flag=renewal_at_risk">Renewal at risk</a>' in html


def test_a_member_left_out_of_the_latest_run_shows_their_last_vector_and_says_so(manager_client):
    ada, bo = make_member(), make_member()
    make_vector(run=make_run(as_of=MAY_1), member=ada, score=44)
    make_vector(run=make_run(as_of=MAY_8), member=bo)
    html = panel(manager_client.get(f"/members/{ada.pk}/").content.decode())
    assert "not part of the latest scoring run" in html
    assert "As of <time datetime=\"2025-05-01\">1 May 2025</time>" in html


def test_text_from_the_engine_is_escaped(manager_client):
    ada = make_member()
    script = "<script>alert(1)</script>"
    contributions = [{"input": "x", "label": script, "value": 1, "normalized": 1, "weight": 1, "points": 100}]
    make_vector(run=make_run(as_of=MAY_8), member=ada, reasons=[script], contributions=contributions)
    html = manager_client.get(f"/members/{ada.pk}/").content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
