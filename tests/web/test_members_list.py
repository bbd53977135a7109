"""The members list: search, filters, sorting and paging, all kept in the query string."""

from __future__ import annotations

from datetime import date

import pytest

from membersuccess.members.models import Member
from tests.factories import make_member, make_segment, make_staff_user, make_term

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [m.name for m in response.context["page"].object_list]


def test_search_matches_name_email_and_external_id_case_insensitively(manager_client):
    make_member(name="Ada Okafor", external_id="M-100")
    make_member(name="Bo Lindqvist", email="bo@example.org")
    make_member(name="Cy Young", external_id="ext-777")
    assert names(manager_client.get("/members/", {"q": "okafor"})) == ["Ada Okafor"]
    assert names(manager_client.get("/members/", {"q": "BO@EXAMPLE"})) == ["Bo Lindqvist"]
    assert names(manager_client.get("/members/", {"q": "ext-777"})) == ["Cy Young"]


def test_search_treats_sql_and_wildcards_as_plain_text(manager_client):
    make_member(name="Ada Okafor")
    assert names(manager_client.get("/members/", {"q": "' OR 1=1 --"})) == []
    assert names(manager_client.get("/members/", {"q": "%"})) == []
    assert names(manager_client.get("/members/", {"q": "_"})) == []


def test_filters_by_segment_and_status_together(manager_client):
    early = make_segment(code="early-career", name="Early career")
    senior = make_segment(code="senior", name="Senior")
    make_member(name="Early Active", segment=early)
    make_member(name="Early Lapsed", segment=early, status=Member.Status.LAPSED)
    make_member(name="Senior Lapsed", segment=senior, status=Member.Status.LAPSED)
    response = manager_client.get("/members/", {"segment": "early-career", "status": "lapsed"})
    assert names(response) == ["Early Lapsed"]
    assert "1 member matches" in response.content.decode()


def test_unknown_filter_values_are_ignored_rather_than_failing(manager_client):
    make_member(name="Ada Okafor")
    response = manager_client.get("/members/", {"segment": "nope", "status": "nope", "sort": "password", "page": "x"})
    assert response.status_code == 200
    assert names(response) == ["Ada Okafor"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Ada", "Bo", "Cy"]),
        ("-name", ["Cy", "Bo", "Ada"]),
        ("joined", ["Bo", "Cy", "Ada"]),
        ("-joined", ["Ada", "Cy", "Bo"]),
        ("segment", ["Cy", "Ada", "Bo"]),
        ("status", ["Bo", "Cy", "Ada"]),
        ("-status", ["Ada", "Cy", "Bo"]),
    ],
)
def test_sorts_by_each_column_both_ways(manager_client, sort, expected):
    make_member(name="Ada", joined_on=date(2024, 5, 1), segment=make_segment(name="B segment"), status="lapsed")
    make_member(name="Bo", joined_on=date(2020, 1, 1), status="active")
    make_member(name="Cy", joined_on=date(2022, 3, 1), segment=make_segment(name="A segment"), status="grace")
    assert names(manager_client.get("/members/", {"sort": sort})) == expected


def test_sorted_column_header_says_so_and_links_to_the_reverse(manager_client):
    make_member()
    page = manager_client.get("/members/", {"sort": "joined", "q": "member"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert 'href="?sort=-joined&amp;q=member"' in page or 'href="?q=member&amp;sort=-joined"' in page


def test_pages_of_fifty_keep_search_filter_and_sort_in_links(manager_client):
    segment = make_segment(code="students", name="Students")
    for n in range(120):
        make_member(name=f"Student {n:03}", segment=segment)
    make_member(name="Not a student")

    first = manager_client.get("/members/", {"segment": "students", "sort": "-name"})
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 120
    page = first.content.decode()
    assert "120 members match" in page
    assert 'aria-label="Members pages"' in page
    assert 'href="?segment=students&amp;sort=-name&amp;page=2" rel="next"' in page

    third = manager_client.get("/members/", {"segment": "students", "sort": "-name", "page": 3})
    assert names(third)[0] == "Student 019"
    assert len(third.context["page"].object_list) == 20


def test_filter_form_labels_every_control(manager_client):
    page = manager_client.get("/members/").content.decode()
    for field in ("q", "segment", "status"):
        assert f'<label for="id_{field}">' in page
        assert f'id="id_{field}"' in page


def test_shows_the_latest_term_end_and_success_manager(manager_client, manager):
    member = make_member(name="Ada", success_manager=manager)
    make_term(member=member, start_on=date(2023, 1, 1), end_on=date(2024, 1, 1))
    make_term(member=member, start_on=date(2024, 1, 1), end_on=date(2025, 1, 1))
    response = manager_client.get("/members/")
    assert response.context["page"].object_list[0].term_ends_on == date(2025, 1, 1)
    assert "Mona Reyes" in response.content.decode()


def test_list_queries_do_not_grow_with_members(manager_client, django_assert_max_num_queries):
    staff = make_staff_user(role="staff", first_name="Sam")
    for _ in range(60):
        member = make_member(segment=make_segment(), success_manager=staff)
        make_term(member=member)
    with django_assert_max_num_queries(8):
        response = manager_client.get("/members/")
    assert response.status_code == 200


def test_member_names_are_escaped(manager_client):
    make_member(name='<script>alert("x")</script>')
    page = manager_client.get("/members/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
