"""Every page needs a signed-in user; a staff member sees only the members they work with."""

from __future__ import annotations

import pytest
from django.test import Client

from membersuccess.accounts.models import Role
from tests.factories import make_member, make_staff_user, make_task, make_team

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/members/", "/members/1/", "/admin/"])
def test_pages_redirect_anonymous_visitors_to_login_with_next(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


def test_login_page_and_static_files_are_public(client):
    assert client.get("/login/").status_code == 200
    assert client.get("/static/web/app.css").status_code == 200


def test_healthz_is_public_and_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database_as_503(client, monkeypatch):
    from django.db import DatabaseError, connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_sees_members_they_manage_or_have_a_task_for_and_no_others():
    events = make_team(name="Events")
    eva = make_staff_user(role=Role.STAFF, team=events)
    make_member(name="Managed Member", success_manager=eva)
    assigned = make_member(name="Assigned Member")
    make_task(member=assigned, assignee=eva)
    team_task = make_member(name="Team Task Member")
    make_task(member=team_task, team=events)
    make_member(name="Someone Else")

    page = signed_in(eva).get("/members/").content.decode()

    assert "Managed Member" in page
    assert "Assigned Member" in page
    assert "Team Task Member" in page
    assert "Someone Else" not in page


def test_staff_gets_404_for_a_member_they_do_not_work_with():
    eva = make_staff_user(role=Role.STAFF)
    stranger = make_member(name="Stranger")
    assert signed_in(eva).get(f"/members/{stranger.pk}/").status_code == 404


def test_another_teams_task_does_not_make_a_member_visible():
    eva = make_staff_user(role=Role.STAFF, team=make_team(name="Events"))
    other = make_member(name="Education Member")
    make_task(member=other, team=make_team(name="Education"))
    assert "Education Member" not in signed_in(eva).get("/members/").content.decode()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUCCESS_MANAGER, Role.EXECUTIVE])
def test_admins_managers_and_executives_see_every_member(role):
    make_member(name="Anybody At All")
    user = make_staff_user(role=role)
    assert "Anybody At All" in signed_in(user).get("/members/").content.decode()


def test_admin_link_is_shown_only_to_admins():
    admin_page = signed_in(make_staff_user(role=Role.ADMIN)).get("/").content.decode()
    manager_page = signed_in(make_staff_user(role=Role.SUCCESS_MANAGER)).get("/").content.decode()
    assert 'href="/admin/"' in admin_page
    assert 'href="/admin/"' not in manager_page


def test_admin_is_open_to_the_admin_role_only():
    assert signed_in(make_staff_user(role=Role.ADMIN)).get("/admin/").status_code == 200
    response = signed_in(make_staff_user(role=Role.EXECUTIVE)).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
