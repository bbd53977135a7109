"""The members list filters by Success Vector status and flag, from the latest completed scoring run."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from membersuccess.accounts.models import Role
from membersuccess.scoring.models import ScoreRun, VectorSnapshot
from tests.factories import make_member, make_staff_user
from tests.web.vector_factories import make_run, make_vector

pytestmark = pytest.mark.django_db

OFF, DRIFT, ON = VectorSnapshot.Status.OFF_TRACK, VectorSnapshot.Status.DRIFTING, VectorSnapshot.Status.ON_TRACK


def names(response) -> list[str]:
    return [m.name for m in response.context["page"].object_list]


@pytest.fixture
def scored():
    """Four members scored on 8 May; an earlier run and a run in progress say otherwise, and must be ignored."""
    members = {name: make_member(name=name) for name in ["Ada", "Bo", "Cy", "Di", "Ed"]}
    before = make_run(as_of=date(2025, 5, 1))
    for member in members.values():
        make_vector(run=before, member=member, status=OFF, flags=["quiet", "off_track"])
    latest = make_run(as_of=date(2025, 5, 8))
    make_vector(run=latest, member=members["Ada"], status=OFF, flags=["off_track", "renewal_at_risk"])
    make_vector(run=latest, member=members["Bo"], status=DRIFT, flags=["drifting", "quiet"])
    make_vector(run=latest, member=members["Cy"], status=ON, flags=["quiet"])
    make_vector(run=latest, member=members["Di"], status=ON, flags=["saved_at_risk"])
    # Ed was not scored on 8 May. A newer run still in progress must not count.
    running = make_run(as_of=date(2025, 5, 9), status=ScoreRun.Status.RUNNING)
    for member in members.values():
        make_vector(run=running, member=member, status=DRIFT, flags=["renewal_at_risk"])
    return members


def test_filter_by_flag_shows_exactly_the_members_carrying_it(manager_client, scored):
    assert names(manager_client.get("/members/", {"flag": "quiet"})) == ["Bo", "Cy"]
    assert names(manager_client.get("/members/", {"flag": "renewal_at_risk"})) == ["Ada"]
    assert names(manager_client.get("/members/", {"flag": "saved_at_risk"})) == ["Di"]


def test_filter_by_success_status_shows_exactly_the_members_with_it(manager_client, scored):
    assert names(manager_client.get("/members/", {"vector_status": "on_track"})) == ["Cy", "Di"]
    assert names(manager_client.get("/members/", {"vector_status": "off_track"})) == ["Ada"]
    assert names(manager_client.get("/members/", {"vector_status": "too_early"})) == []


def test_status_and_flag_combine(manager_client, scored):
    assert names(manager_client.get("/members/", {"vector_status": "on_track", "flag": "quiet"})) == ["Cy"]


def test_a_flag_code_only_matches_whole_codes(manager_client, scored):
    member = make_member(name="Flo")
    latest = ScoreRun.objects.get(as_of=date(2025, 5, 8))
    make_vector(run=latest, member=member, flags=["quietly_engaged"])  # a future flag sharing a prefix
    assert "Flo" not in names(manager_client.get("/members/", {"flag": "quiet"}))


def test_the_list_shows_each_members_success_status_and_score(manager_client, scored):
    html = manager_client.get("/members/", {"q": "Ada"}).content.decode()
    assert '<span class="badge badge--off_track">Off track</span>' in html
    html = manager_client.get("/members/", {"q": "Ed"}).content.decode()
    assert "Not scored" in html


def test_unknown_filter_values_are_ignored(manager_client, scored):
    response = manager_client.get("/members/", {"vector_status": "great", "flag": "' OR 1=1"})
    assert response.status_code == 200
    assert names(response) == ["Ada", "Bo", "Cy", "Di", "Ed"]


def test_staff_only_find_their_own_members_through_the_filters(scored):
    eva = make_staff_user(role=Role.STAFF)
    scored["Cy"].success_manager = eva
    scored["Cy"].save()
    client = Client()
    client.force_login(eva)
    assert names(client.get("/members/", {"flag": "quiet"})) == ["Cy"]


def test_before_any_scoring_run_a_vector_filter_explains_how_to_score(manager_client):
    make_member(name="Ada")
    response = manager_client.get("/members/", {"vector_status": "off_track"})
    assert names(response) == []
    assert "<code>msm score</code>" in response.content.decode()
