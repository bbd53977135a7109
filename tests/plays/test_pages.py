"""The plays, tasks, saves and outreach pages: what each role sees and may do, and bad input shown by the field."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from membersuccess.accounts.models import Role
from membersuccess.plays.models import OutreachMessage, Play, Save, Task
from tests.factories import make_member, make_staff_user
from tests.plays.helpers import make_play, make_resource, off_track_member, team

pytestmark = pytest.mark.django_db


def client_for(role: str, **kwargs: object) -> Client:
    client = Client()
    client.force_login(make_staff_user(role=role, **kwargs))  # type: ignore[arg-type]
    return client


@pytest.fixture
def ada():
    """Off track today, with a course play and a dinner play; she learns online."""
    make_play(name="Self-paced course", resources=[make_resource(name="Online review course", channels=["online"],
                                                                 formats=["courses"])])
    make_play(name="Chapter dinner", resources=[make_resource(name="Dinner", channels=["in_person"])])
    team("events", "Events")
    return off_track_member(as_of=timezone.localdate(), channels=["online"], formats=["courses"]).member


def test_the_member_page_shows_the_next_milestone_and_the_best_play_with_its_reason(ada) -> None:
    page = client_for(Role.SUCCESS_MANAGER).get(reverse("member", args=[ada.pk])).content.decode()

    assert "Next best action" in page
    assert "Complete prep course" in page
    assert page.index("Self-paced course") < page.index("Chapter dinner")
    assert "Ada Okafor is off track." in page


def test_starting_a_play_creates_its_tasks(ada) -> None:
    play = Play.objects.get(name="Self-paced course")

    response = client_for(Role.SUCCESS_MANAGER).post(reverse("member_play_start", args=[ada.pk, play.pk]))

    assert response.status_code == 302
    assert Task.objects.get().play == play


def test_a_task_for_the_events_team_is_created_from_the_member_page(ada) -> None:
    client = client_for(Role.SUCCESS_MANAGER)
    due = timezone.localdate() + timedelta(days=5)

    response = client.post(reverse("member_task_new", args=[ada.pk]),
                           {"title": "Reserve a seat at the workshop", "team": "events", "due_on": due.isoformat()})

    assert response.status_code == 302
    task = Task.objects.get()
    assert task.team is not None
    assert (task.team.code, task.due_on, task.member) == ("events", due, ada)
    assert "Reserve a seat at the workshop" in client.get(reverse("member", args=[ada.pk])).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "Seat", "team": "catering"}, "There is no such team"),
        ({"title": "", "team": "events"}, "This field is required"),
        ({"title": "Seat", "team": "events", "due_on": "2001-01-01"}, "is in the past"),
    ],
)
def test_bad_task_input_is_shown_next_to_the_field_and_nothing_is_created(ada, data, message) -> None:
    response = client_for(Role.SUCCESS_MANAGER).post(reverse("member_task_new", args=[ada.pk]), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="field__error"' in response.content.decode()
    assert not Task.objects.exists()


def test_executives_read_the_member_page_but_cannot_create_tasks(ada) -> None:
    client = client_for(Role.EXECUTIVE)

    assert "Start this play" not in client.get(reverse("member", args=[ada.pk])).content.decode()
    response = client.post(reverse("member_task_new", args=[ada.pk]), {"title": "Seat", "team": "events"})
    assert response.status_code == 403


def test_staff_cannot_act_on_a_member_they_do_not_work_with(ada) -> None:
    response = client_for(Role.STAFF).post(reverse("member_task_new", args=[ada.pk]), {"title": "x", "team": "events"})
    assert response.status_code == 404


def test_my_tasks_and_my_teams_tasks(ada) -> None:
    events = team("events")
    eve = make_staff_user(role=Role.STAFF, team=events)
    Task.objects.create(title="Seat for Ada", member=ada, team=events)
    Task.objects.create(title="Call back Ben", member=make_member(name="Ben"), assignee=eve)
    client = Client()
    client.force_login(eve)

    assert "Call back Ben" in client.get(reverse("tasks")).content.decode()
    team_page = client.get(reverse("tasks_team")).content.decode()
    assert "Seat for Ada" in team_page and "Call back Ben" not in team_page


def test_closing_a_task_needs_an_outcome_note(ada) -> None:
    task = Task.objects.create(title="Seat for Ada", member=ada, team=team("events"))
    client = client_for(Role.SUCCESS_MANAGER)

    empty = client.post(reverse("task", args=[task.pk]), {"status": "done", "outcome_note": ""})
    assert "This field is required" in empty.content.decode()
    client.post(reverse("task", args=[task.pk]), {"status": "done", "outcome_note": "Booked for 3 May."})
    task.refresh_from_db()
    assert (task.status, task.outcome_note) == ("done", "Booked for 3 May.")


def test_checking_in_is_rejected_with_advice_and_a_resource_link_is_sent(ada) -> None:
    client = client_for(Role.SUCCESS_MANAGER)
    url = reverse("member_outreach", args=[ada.pk])

    rejected = client.post(url, {"subject": "Hi", "body": "Just checking in!", "action": "send"}).content.decode()
    assert "Not sent" in rejected and "Complete prep course" in rejected
    assert "“Just checking in” is an empty contact phrase" in rejected

    sent = client.post(url, {"subject": "Your prep course", "action": "send",
                             "body": "The prep course for Complete prep course: https://learn.example.org/prep"})
    assert sent.status_code == 302
    assert OutreachMessage.objects.get().member == ada
    assert mail.outbox[-1].to == ["ada@example.org"]


def test_a_draft_is_escaped_on_the_page(ada) -> None:
    draft = {"subject": "x", "body": "<script>alert(1)</script>", "action": "check"}
    page = client_for(Role.SUCCESS_MANAGER).post(reverse("member_outreach", args=[ada.pk]), draft).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_recording_a_save_from_the_member_page(ada) -> None:
    client = client_for(Role.SUCCESS_MANAGER)

    client.post(reverse("member_save_new", args=[ada.pk]), {"reason": "Price", "plan": "Prep course by 1 Aug"})

    assert Save.objects.get().member == ada
    assert "Still at risk" in client.get(reverse("saves")).content.decode()
    assert "still at risk until they reach “Complete prep course”" in client.get(
        reverse("member", args=[ada.pk])).content.decode()


def test_staff_read_plays_and_only_managers_and_admins_edit_them(ada) -> None:
    play = Play.objects.get(name="Self-paced course")
    staff = client_for(Role.STAFF)
    assert staff.get(reverse("plays")).status_code == 200
    assert staff.get(reverse("play", args=[play.pk])).status_code == 200
    assert staff.get(reverse("play_edit", args=[play.pk])).status_code == 403
    assert client_for(Role.EXECUTIVE).post(reverse("play_new"), {}).status_code == 403
    assert client_for(Role.SUCCESS_MANAGER).get(reverse("play_edit", args=[play.pk])).status_code == 200


def play_data(**changes: str) -> dict[str, str]:
    data = {"name": "Dinner invite", "trigger": "flag", "trigger_value": "quiet",
            "steps": "events | Reserve a seat at the chapter dinner | 5",
            "message_template": "Your next milestone is {{ next_milestone }}.", "is_active": "on"}
    data.update(changes)
    return data


def test_a_manager_creates_a_play_with_steps_for_a_team(ada) -> None:
    response = client_for(Role.SUCCESS_MANAGER).post(reverse("play_new"), play_data())

    assert response.status_code == 302
    created = Play.objects.get(name="Dinner invite")
    assert [(s.team.code, s.title, s.due_in_days) for s in created.steps.all()] == [
        ("events", "Reserve a seat at the chapter dinner", 5)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"trigger_value": "sleepy"}, "a flag trigger needs one of"),
        ({"steps": "catering | Cook | 5"}, "there is no team 'catering'"),
        ({"steps": "events | Seat"}, "write a step as"),
        ({"message_template": "Just checking in!"}, "carries value by construction"),
    ],
)
def test_a_bad_play_is_refused_next_to_the_field(ada, changes: dict[str, str], message: str) -> None:
    response = client_for(Role.SUCCESS_MANAGER).post(reverse("play_new"), play_data(**changes))

    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not Play.objects.filter(name="Dinner invite").exists()
