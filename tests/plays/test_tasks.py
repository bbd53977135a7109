"""Tasks for any team: created by staff or from a play, notified by email, seen by the people who work on them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from membersuccess.accounts.models import Role
from membersuccess.members.selectors import visible_members
from membersuccess.plays.models import Task
from membersuccess.plays.selectors import may_work_on_task, my_tasks, team_tasks, visible_tasks
from membersuccess.plays.services import PlayError, task_complete, task_create, tasks_from_play
from tests.factories import make_member, make_staff_user
from tests.plays.helpers import AS_OF, make_play, team

pytestmark = pytest.mark.django_db


def test_a_staff_task_for_a_team_emails_everyone_on_it() -> None:
    events = team("events", "Events")
    eve = make_staff_user(role=Role.STAFF, team=events)
    eve.email = "eve@assoc.example"
    eve.save()
    manager = make_staff_user(role=Role.SUCCESS_MANAGER)
    member = make_member(name="Ada")

    task = task_create(title="Reserve a seat at the chapter dinner", by=manager, member=member, team_code="events",
                       due_on=AS_OF + timedelta(days=5), today=AS_OF)

    assert (task.team, task.status, task.created_by) == (events, Task.Status.OPEN, manager)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["eve@assoc.example"]
    assert mail.outbox[0].subject == "New task for Ada: Reserve a seat at the chapter dinner"


def test_a_task_assigned_to_a_person_emails_them() -> None:
    person = make_staff_user(role=Role.STAFF)
    person.email = "pat@assoc.example"
    person.save()

    task_create(title="Send the guide", by=None, assignee=person, today=AS_OF)

    assert [m.to for m in mail.outbox] == [["pat@assoc.example"]]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"team_code": "catering"}, "team", "there is no team 'catering'"),
        ({"title": "   "}, "title", "the task needs a title"),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"due_on": AS_OF - timedelta(days=1)}, "due_on", "the due date 29 Jun 2024 is in the past"),
        ({"team_code": None}, "team", "give the task to a team or a person"),
    ],
)
def test_bad_task_input_is_refused_naming_the_field(changes: dict[str, object], field: str, message: str) -> None:
    team("events")
    arguments: dict[str, object] = {"title": "Reserve a seat", "by": None, "team_code": "events", "today": AS_OF}
    arguments.update(changes)

    with pytest.raises(PlayError, match=message) as error:
        task_create(**arguments)  # type: ignore[arg-type]

    assert error.value.field == field
    assert not Task.objects.exists()


def test_starting_a_play_makes_a_task_per_step_for_its_team_with_due_dates() -> None:
    play = make_play(steps=[("education", "Enrol in the course", 3), ("member-success", "Agree a dated plan", 7)])
    member = make_member()

    tasks = tasks_from_play(play=play, member=member, by=None, as_of=AS_OF)

    assert [(t.title, t.team and t.team.code, t.due_on, t.play) for t in tasks] == [
        ("Enrol in the course", "education", date(2024, 7, 3), play),
        ("Agree a dated plan", "member-success", date(2024, 7, 7), play),
    ]


def test_completing_a_task_needs_an_outcome_note() -> None:
    task = task_create(title="Send the guide", by=None, team_code=team("publications").code, today=AS_OF)

    with pytest.raises(PlayError, match="say what came of it"):
        task_complete(task=task, by=None, outcome_note=" ")
    task_complete(task=task, by=None, outcome_note="Sent; she registered for the 3 May course.")

    task.refresh_from_db()
    assert (task.status, task.outcome_note) == (Task.Status.DONE, "Sent; she registered for the 3 May course.")
    assert task.completed_at is not None
    with pytest.raises(PlayError, match="already done"):
        task_complete(task=task, by=None, outcome_note="again")


def test_staff_see_their_own_and_their_teams_tasks_only() -> None:
    events, education = team("events"), team("education")
    eve = make_staff_user(role=Role.STAFF, team=events)
    mine = task_create(title="Mine", by=None, assignee=eve, today=AS_OF, member=make_member(name="A"))
    ours = task_create(title="Ours", by=None, team=events, today=AS_OF, member=make_member(name="B"))
    theirs = task_create(title="Theirs", by=None, team=education, today=AS_OF, member=make_member(name="C"))

    assert set(visible_tasks(user=eve)) == {mine, ours}
    assert list(my_tasks(user=eve)) == [mine]
    assert list(team_tasks(user=eve)) == [ours]
    assert (may_work_on_task(user=eve, task=ours), may_work_on_task(user=eve, task=theirs)) == (True, False)
    # Working on a task is what "works with" a member means: the same members become visible.
    assert set(visible_members(user=eve).values_list("name", flat=True)) == {"A", "B"}


def test_managers_see_every_task_and_executives_read_but_do_not_work_on_them() -> None:
    task = task_create(title="Ours", by=None, team=team("events"), today=AS_OF)
    manager = make_staff_user(role=Role.SUCCESS_MANAGER)
    executive = make_staff_user(role=Role.EXECUTIVE)

    assert list(visible_tasks(user=manager)) == [task] == list(visible_tasks(user=executive))
    assert may_work_on_task(user=manager, task=task)
    assert not may_work_on_task(user=executive, task=task)
