"""Starting a play for a member: once while it is under way, whether from the member page or after scoring."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from membersuccess.accounts.models import Role
from membersuccess.plays.models import Play, Task
from membersuccess.plays.services import PlayError, task_complete, tasks_from_play
from tests.factories import make_staff_user
from tests.plays.helpers import AS_OF, make_play, off_track_member

pytestmark = pytest.mark.django_db


def test_a_play_under_way_is_not_started_twice_for_the_member() -> None:
    play = make_play(name="Self-paced course", steps=[("education", "Enrol", 3), ("events", "Seat", 5)])
    ada = off_track_member().member
    tasks_from_play(play=play, member=ada, by=None, as_of=AS_OF)

    with pytest.raises(PlayError, match="“Self-paced course” is already under way for Ada Okafor: 2 open tasks"):
        tasks_from_play(play=play, member=ada, by=None, as_of=AS_OF)
    assert Task.objects.count() == 2


def test_once_its_tasks_are_closed_the_play_can_start_again() -> None:
    play = make_play(name="Self-paced course")
    ada = off_track_member().member
    for task in tasks_from_play(play=play, member=ada, by=None, as_of=AS_OF):
        task_complete(task=task, by=None, outcome_note="Seat booked.")

    assert len(tasks_from_play(play=play, member=ada, by=None, as_of=AS_OF)) == 1


def test_the_member_page_says_a_play_is_under_way_and_a_second_start_is_refused() -> None:
    make_play(name="Self-paced course")
    ada = off_track_member(as_of=timezone.localdate()).member
    play = Play.objects.get()
    client = Client()
    client.force_login(make_staff_user(role=Role.SUCCESS_MANAGER))
    start = reverse("member_play_start", args=[ada.pk, play.pk])

    assert client.post(start).status_code == 302
    page = client.get(reverse("member", args=[ada.pk])).content.decode()
    assert "Under way: tasks from this play are still open." in page and start not in page

    refused = client.post(start, follow=True).content.decode()
    assert "is already under way for Ada Okafor: 1 open task from it" in refused
    assert Task.objects.count() == 1
