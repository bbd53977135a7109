"""Importing the same file twice adds nothing; entities update in place; interactions append once."""

from __future__ import annotations

import pytest

from membersuccess.interactions.models import Interaction
from membersuccess.members.models import Member
from tests.ingest.conftest import import_file

MEMBERS = "external_id,name,joined_on,city\nM-1,Ada Okafor,2023-01-05,Leeds\nM-2,Bo Lindqvist,2024-02-01,Oslo\n"


@pytest.mark.django_db
def test_same_members_file_twice_creates_nothing_the_second_time(write_file):
    path = write_file("members.csv", MEMBERS)
    first = import_file("members", path)
    second = import_file("members", path)
    assert (first.rows_created, first.rows_unchanged) == (2, 0)
    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, 2)
    assert Member.objects.count() == 2


@pytest.mark.django_db
def test_changed_member_is_updated_in_place(write_file):
    import_file("members", write_file("members.csv", MEMBERS))
    result = import_file("members", write_file("again.csv", MEMBERS.replace("Leeds", "York")))
    assert (result.rows_created, result.rows_updated, result.rows_unchanged) == (0, 1, 1)
    assert Member.objects.get(external_id="M-1").city == "York"


@pytest.mark.django_db
def test_columns_missing_from_a_later_file_are_left_alone(write_file):
    import_file("members", write_file("members.csv", MEMBERS))
    import_file("members", write_file("names.csv", "external_id,name,joined_on\nM-1,Ada O.,2023-01-05\n"))
    member = Member.objects.get(external_id="M-1")
    assert (member.name, member.city) == ("Ada O.", "Leeds")


@pytest.mark.django_db
def test_interactions_are_append_only_and_stored_once(two_members, write_file):
    text = (
        "external_id,source,member_id,kind,occurred_at\n"
        "1,events,M-1,event_attended,2024-03-05T18:00:00Z\n"
        "1,lms,M-1,course_completed,2024-03-06T18:00:00Z\n"
    )
    path = write_file("interactions.csv", text)
    first = import_file("interactions", path)
    edited = write_file("edited.csv", text.replace("event_attended", "event_registered"))
    second = import_file("interactions", edited)
    assert first.rows_created == 2
    assert (second.rows_created, second.rows_unchanged) == (0, 2)
    assert Interaction.objects.get(source="events").kind == "event_attended"
