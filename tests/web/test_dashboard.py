"""The portfolio dashboard: members by success status, what changed since last week, the flags — all linked."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from membersuccess.accounts.models import Role
from membersuccess.scoring.models import ScoreRun, VectorSnapshot
from tests.factories import make_member, make_staff_user
from tests.web.vector_factories import make_run, make_vector

pytestmark = pytest.mark.django_db

OFF, DRIFT, ON, EARLY = (
    VectorSnapshot.Status.OFF_TRACK,
    VectorSnapshot.Status.DRIFTING,
    VectorSnapshot.Status.ON_TRACK,
    VectorSnapshot.Status.TOO_EARLY,
)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def stat(html: str, status: str) -> int:
    """The count on a status card of the dashboard."""
    match = re.search(
        rf'<a class="stat__link" href="/members/\?vector_status={status}">\s*<span class="stat__value">([\d,]+)<', html
    )
    assert match, f"no card for {status}"
    return int(match.group(1).replace(",", ""))


def flag_count(html: str, flag: str) -> int:
    match = re.search(rf'href="/members/\?flag={flag}">\s*<span class="flag-card__count">([\d,]+)<', html)
    assert match, f"no card for {flag}"
    return int(match.group(1).replace(",", ""))


def test_before_any_scoring_run_it_says_so_and_tells_an_admin_to_run_msm_score(db):
    make_member()
    make_run(as_of=date(2025, 5, 8), status=ScoreRun.Status.RUNNING)
    admin = make_staff_user(role=Role.ADMIN)
    html = signed_in(admin).get("/portfolio/").content.decode()
    assert "No Success Vectors yet" in html
    assert "<code>msm score</code>" in html
    assert 'href="/members/"' in html  # never a dead end
    assert "still going" in html


def test_counts_members_by_status_in_the_latest_completed_run(manager_client):
    old = make_run(as_of=date(2025, 5, 1))
    latest = make_run(as_of=date(2025, 5, 8))
    for status in [OFF, OFF, DRIFT, ON, ON, ON, EARLY]:
        member = make_member()
        make_vector(run=latest, member=member, status=status)
        make_vector(run=old, member=member, status=ON)
    make_member()  # not scored
    html = manager_client.get("/portfolio/").content.decode()
    assert [stat(html, s) for s in ["off_track", "drifting", "on_track", "too_early"]] == [2, 1, 3, 1]
    assert "7 members scored" in html
    assert "1 other has no vector in this run" in html


def test_every_count_links_to_the_members_list_showing_exactly_those_members(manager_client):
    latest = make_run(as_of=date(2025, 5, 8))
    make_vector(run=latest, member=make_member(name="Ada"), status=OFF, flags=["off_track", "quiet"])
    make_vector(run=latest, member=make_member(name="Bo"), status=ON, flags=["quiet"])
    make_vector(run=latest, member=make_member(name="Cy"), status=ON)
    html = manager_client.get("/portfolio/").content.decode()
    for status in ["off_track", "on_track"]:
        listed = manager_client.get("/members/", {"vector_status": status}).context["page"].paginator.count
        assert listed == stat(html, status)
    for flag in ["quiet", "off_track", "renewal_at_risk"]:
        listed = manager_client.get("/members/", {"flag": flag}).context["page"].paginator.count
        assert listed == flag_count(html, flag)
    assert flag_count(html, "quiet") == 2


def test_staff_see_counts_over_their_own_members_only(db):
    eva = make_staff_user(role=Role.STAFF)
    latest = make_run(as_of=date(2025, 5, 8))
    make_vector(run=latest, member=make_member(success_manager=eva), status=OFF, flags=["quiet"])
    make_vector(run=latest, member=make_member(), status=OFF, flags=["quiet"])
    html = signed_in(eva).get("/portfolio/").content.decode()
    assert stat(html, "off_track") == 1
    assert flag_count(html, "quiet") == 1
    assert "The members you work with" in html


def test_what_changed_compares_with_the_run_a_week_earlier(manager_client):
    week_ago, yesterday, today = date(2025, 5, 1), date(2025, 5, 7), date(2025, 5, 8)
    runs = {d: make_run(as_of=d) for d in (week_ago, yesterday, today)}
    ada, bo, cy, di = (make_member(name=n) for n in ["Ada", "Bo", "Cy", "Di"])
    for member, statuses in {
        ada: (ON, DRIFT, DRIFT),  # got worse since last week (changed two days ago)
        bo: (OFF, OFF, ON),  # got better
        cy: (ON, OFF, ON),  # back where it was a week ago: no change
        di: (EARLY, EARLY, EARLY),
    }.items():
        for run_date, status in zip(runs, statuses, strict=True):
            make_vector(run=runs[run_date], member=member, status=status, score=50)
    response = manager_client.get("/portfolio/")
    changes = response.context["changes"]
    assert changes.previous.as_of == week_ago
    assert [(c.member_name, c.before, c.after) for c in changes.members] == [("Ada", ON, DRIFT), ("Bo", OFF, ON)]
    assert (changes.total, changes.worse, changes.better) == (2, 1, 1)
    html = response.content.decode()
    assert "2 members changed status — 1 for the worse, 1 for the better" in html
    assert 'href="/members/?vector_status=drifting&amp;was=on_track"' in html


def test_a_change_links_to_the_list_of_exactly_the_members_who_made_it(manager_client):
    before, now = make_run(as_of=date(2025, 5, 1)), make_run(as_of=date(2025, 5, 8))
    for name, was, is_ in [("Ada", ON, DRIFT), ("Bo", DRIFT, DRIFT), ("Cy", OFF, DRIFT)]:
        member = make_member(name=name)
        make_vector(run=before, member=member, status=was)
        make_vector(run=now, member=member, status=is_)
    response = manager_client.get("/members/", {"vector_status": "drifting", "was": "on_track"})
    assert [m.name for m in response.context["page"].object_list] == ["Ada"]
    assert "in the scoring as of 1 May 2025" in response.content.decode()


def test_with_only_one_run_there_is_nothing_to_compare_yet(manager_client):
    make_vector(run=make_run(as_of=date(2025, 5, 8)), member=make_member())
    html = manager_client.get("/portfolio/").content.decode()
    assert "Nothing to compare with yet" in html


def test_member_names_in_the_changes_are_escaped(manager_client):
    before, now = make_run(as_of=date(2025, 5, 1)), make_run(as_of=date(2025, 5, 8))
    member = make_member(name="<img src=x onerror=alert(1)>")
    make_vector(run=before, member=member, status=ON)
    make_vector(run=now, member=member, status=OFF)
    html = manager_client.get("/portfolio/").content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_dashboard_is_in_the_main_navigation(manager_client):
    html = manager_client.get("/portfolio/").content.decode()
    assert '<a href="/portfolio/" class="is-current" aria-current="page">Portfolio</a>' in html


def test_leaving_too_early_for_on_track_counts_as_better_and_for_off_track_as_worse(manager_client):
    before, now = make_run(as_of=date(2025, 5, 1)), make_run(as_of=date(2025, 5, 8))
    for was, is_ in [(EARLY, ON), (EARLY, OFF)]:
        member = make_member()
        make_vector(run=before, member=member, status=was)
        make_vector(run=now, member=member, status=is_)
    changes = manager_client.get("/portfolio/").context["changes"]
    assert {(t.before, t.after): t.got_worse for t in changes.transitions} == {(EARLY, ON): False, (EARLY, OFF): True}


def test_a_failed_run_after_the_latest_one_is_reported_with_its_reason_to_admins(db):
    make_vector(run=make_run(as_of=date(2025, 5, 1)), member=make_member())
    failed = make_run(as_of=date(2025, 5, 8), status=ScoreRun.Status.FAILED)
    failed.error = "the active signals (v3) cannot be used: <b>weight</b>"
    failed.save()
    admin_html = signed_in(make_staff_user(role=Role.ADMIN)).get("/portfolio/").content.decode()
    assert "did not complete, so these figures are from the run before it" in admin_html
    assert "cannot be used: &lt;b&gt;weight&lt;/b&gt;" in admin_html
    staff_html = signed_in(make_staff_user(role=Role.STAFF)).get("/portfolio/").content.decode()
    assert "did not complete" in staff_html and "cannot be used" not in staff_html
