"""The start page: members by status and the terms ending in the next 90 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from membersuccess.accounts.models import Role
from membersuccess.members.models import Member, MembershipTerm
from tests.factories import make_member, make_staff_user, make_term

pytestmark = pytest.mark.django_db


def test_counts_members_by_status_and_links_to_the_filtered_list(manager_client):
    make_member(status=Member.Status.ACTIVE)
    make_member(status=Member.Status.ACTIVE)
    make_member(status=Member.Status.LAPSED)
    response = manager_client.get("/")
    counts = {status: count for status, _, count in response.context["status_counts"]}
    assert counts == {"active": 2, "grace": 0, "lapsed": 1, "cancelled": 0}
    assert response.context["member_total"] == 3
    assert 'href="/members/?status=lapsed"' in response.content.decode()


def test_lists_active_terms_ending_within_90_days_soonest_first(manager_client):
    today = timezone.localdate()
    later = make_member(name="Ends Later")
    make_term(member=later, start_on=today - timedelta(days=300), end_on=today + timedelta(days=80))
    soon = make_member(name="Ends Soon")
    make_term(member=soon, start_on=today - timedelta(days=300), end_on=today + timedelta(days=10))
    far = make_member(name="Ends Next Year")
    make_term(member=far, start_on=today - timedelta(days=10), end_on=today + timedelta(days=200))
    renewed = make_member(name="Already Renewed")
    make_term(
        member=renewed, start_on=today - timedelta(days=300), end_on=today + timedelta(days=5),
        status=MembershipTerm.Status.RENEWED,
    )

    response = manager_client.get("/")

    assert [t.member.name for t in response.context["ending_terms"]] == ["Ends Soon", "Ends Later"]
    assert f'href="/members/{soon.pk}/"' in response.content.decode()


def test_staff_counts_only_their_own_members():
    eva = make_staff_user(role=Role.STAFF)
    make_member(success_manager=eva)
    make_member()
    client = Client()
    client.force_login(eva)
    response = client.get("/")
    assert response.context["member_total"] == 1
    assert "The members you work with" in response.content.decode()


def test_every_link_on_the_home_page_resolves(manager_client):
    import re

    make_member()
    page = manager_client.get("/").content.decode()
    links = set(re.findall(r'href="(/[^"#]*)"', page))
    assert links, "the home page should link somewhere"
    for link in links:
        assert manager_client.get(link).status_code == 200, link
