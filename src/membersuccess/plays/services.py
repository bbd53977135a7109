"""Writes of the plays app: the plays library, tasks for any team, applying plays, saves.

Every caller (web, API, CLI, the scoring run) goes through these functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from membersuccess.accounts.models import AuditEntry, Team
from membersuccess.journeys.models import SuccessMilestone
from membersuccess.members.models import Member
from membersuccess.outreach.checks import check_template
from membersuccess.plays.models import Play, PlayStep, Resource, Save, Task
from membersuccess.plays.selectors import active_plays, context_clues, member_facts, members_facts, recommend
from membersuccess.plays.triggers import TriggerError, validate_trigger

TITLE_MAX = 200
# A play started for a member is not started again for them within this many days of the last start.
PLAY_COOLDOWN_DAYS = 30
APPLY_BATCH = 500


class PlayError(ValueError):
    """A play, task or save cannot be saved; `field` names the input at fault."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# ---- the plays library -------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSpec:
    team_code: str
    title: str
    due_in_days: int


def parse_steps(text: str) -> list[StepSpec]:
    """Steps written one a line as `team code | title | days`; raises PlayError naming the line."""
    steps = []
    teams = set(Team.objects.values_list("code", flat=True))
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) != 3:
            raise PlayError(f"line {number}: write a step as “team code | title | days”, e.g. "
                            f"“events | Reserve a seat at the chapter dinner | 5”", field="steps")
        team, title, days = parts
        if team not in teams:
            raise PlayError(f"line {number}: there is no team {team!r}; teams are {', '.join(sorted(teams))}",
                            field="steps")
        if not title:
            raise PlayError(f"line {number}: the step has no title", field="steps")
        if not days.isdigit() or int(days) > 365:
            raise PlayError(f"line {number}: days must be a whole number from 0 to 365, not {days!r}", field="steps")
        steps.append(StepSpec(team_code=team, title=title[:TITLE_MAX], due_in_days=int(days)))
    if not steps:
        raise PlayError("a play needs at least one step", field="steps")
    return steps


def steps_as_text(play: Play) -> str:
    """A play's steps in the one-a-line form `parse_steps` reads."""
    return "\n".join(f"{s.team.code} | {s.title} | {s.due_in_days}" for s in play.steps.select_related("team"))


@transaction.atomic
def play_save(
    *,
    play: Play | None,
    name: str,
    trigger: str,
    trigger_value: str,
    steps: Sequence[StepSpec],
    by: Any,
    description: str = "",
    message_template: str = "",
    resources: Sequence[Resource] = (),
    toward: SuccessMilestone | None = None,
    is_active: bool = True,
    code: str = "",
) -> Play:
    """Create or change a play; the trigger and the message template are checked first."""
    name = name.strip()
    if not name:
        raise PlayError("the play needs a name", field="name")
    try:
        trigger_value = validate_trigger(trigger=trigger, value=trigger_value)
    except TriggerError as exc:
        raise PlayError(str(exc), field="trigger_value" if trigger in Play.Trigger.values else "trigger") from exc
    if message_template.strip():
        checked = check_template(message_template)
        if not checked.passes:
            raise PlayError(" ".join(checked.reasons), field="message_template")
    if not steps:
        raise PlayError("a play needs at least one step", field="steps")
    teams = {t.code: t for t in Team.objects.filter(code__in=[s.team_code for s in steps])}
    for step in steps:
        if step.team_code not in teams:
            raise PlayError(f"there is no team {step.team_code!r}", field="steps")
    created = play is None
    if play is None:
        base = slugify(code or name)[:50] or "play"
        candidate, n = base, 1
        while Play.objects.filter(code=candidate).exists():
            n += 1
            candidate = f"{base}-{n}"
        play = Play(code=candidate)
    play.name, play.description, play.trigger, play.trigger_value = name, description.strip(), trigger, trigger_value
    play.message_template, play.toward, play.is_active = message_template.strip(), toward, is_active
    play.save()
    play.resources.set(resources)
    play.steps.all().delete()
    PlayStep.objects.bulk_create(
        PlayStep(play=play, order=n, title=s.title, team=teams[s.team_code], due_in_days=s.due_in_days)
        for n, s in enumerate(steps, start=1)
    )
    AuditEntry.objects.create(
        actor=by if getattr(by, "pk", None) else None, action="play_created" if created else "play_changed",
        object_type="play", object_id=str(play.pk), detail={"name": name, "trigger": trigger, "value": trigger_value},
    )
    return play


# ---- tasks -------------------------------------------------------------------------------------


def _notify(task: Task) -> int:
    """Email the assignee, or everyone on the task's team when nobody is assigned; returns emails sent."""
    user_model = get_user_model()
    if task.assignee_id is not None:
        emails = user_model._default_manager.filter(pk=task.assignee_id).values_list("email", flat=True)
        recipients = [e for e in emails if e]
    elif task.team_id is not None:
        recipients = [
            e for e in user_model._default_manager.filter(staff_profile__team_id=task.team_id, is_active=True)
            .values_list("email", flat=True) if e
        ]
    else:
        recipients = []
    if not recipients:
        return 0
    member = f" for {task.member.name}" if task.member else ""
    due = f"\nDue: {task.due_on:%-d %b %Y}" if task.due_on else ""
    body = f"{task.title}{member}{due}\n\n{task.description}".rstrip() + "\n"
    return send_mail(
        subject=f"New task{member}: {task.title}"[:200], message=body,
        from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients, fail_silently=True,
    )


def task_create(
    *,
    title: str,
    by: Any,
    member: Member | None = None,
    team: Team | None = None,
    team_code: str | None = None,
    assignee: Any = None,
    due_on: date | None = None,
    description: str = "",
    play: Play | None = None,
    started_on: date | None = None,
    today: date | None = None,
    notify: bool = True,
) -> Task:
    """Create a task for a team or a person; the assignee (or the team) is told by email."""
    today = today or timezone.localdate()
    title = title.strip()
    if not title:
        raise PlayError("the task needs a title", field="title")
    if len(title) > TITLE_MAX:
        raise PlayError(f"the title is {len(title)} characters; at most {TITLE_MAX}", field="title")
    if team is None and team_code:
        team = Team.objects.filter(code=team_code).first()
        if team is None:
            codes = ", ".join(Team.objects.values_list("code", flat=True))
            raise PlayError(f"there is no team {team_code!r}; teams are {codes}", field="team")
    if team is None and assignee is None:
        raise PlayError("give the task to a team or a person", field="team")
    if due_on is not None and due_on < today:
        raise PlayError(f"the due date {due_on:%-d %b %Y} is in the past", field="due_on")
    task = Task.objects.create(
        title=title, description=description.strip(), member=member, team=team, assignee=assignee, due_on=due_on,
        created_by=by if getattr(by, "pk", None) else None, play=play, started_on=started_on,
    )
    AuditEntry.objects.create(
        actor=task.created_by, action="task_created", object_type="task", object_id=str(task.pk),
        detail={"title": title, "team": team.code if team else None, "member": member.external_id if member else None,
                "play": play.code if play else None},
    )
    if notify:
        _notify(task)
    return task


def tasks_from_play(
    *, play: Play, member: Member, by: Any, as_of: date | None = None, notify: bool = True, description: str = ""
) -> list[Task]:
    """Start a play for a member: each step becomes a task for its team, due `due_in_days` after `as_of`.

    A play already under way for the member (a task from it still open) is not started twice."""
    as_of = as_of or timezone.localdate()
    open_tasks = Task.objects.filter(member=member, play=play, status=Task.Status.OPEN).count()
    if open_tasks:
        raise PlayError(
            f"“{play.name}” is already under way for {member.name}: {open_tasks} open "
            f"task{'s' if open_tasks != 1 else ''} from it. Close them before starting it again.", field="play",
        )
    tasks = []
    with transaction.atomic():
        for step in play.steps.select_related("team").order_by("order"):
            tasks.append(task_create(
                title=step.title, by=by, member=member, team=step.team,
                due_on=as_of + timedelta(days=step.due_in_days), description=description or play.description,
                play=play, started_on=as_of, today=as_of, notify=False,
            ))
    if notify:
        for task in tasks:
            _notify(task)
    return tasks


def task_complete(*, task: Task, by: Any, outcome_note: str, status: str = Task.Status.DONE) -> Task:
    """Close a task with what came of it."""
    outcome_note = outcome_note.strip()
    if status not in (Task.Status.DONE, Task.Status.CANCELLED):
        raise PlayError(f"a task is closed as done or cancelled, not {status!r}", field="status")
    if not outcome_note:
        raise PlayError("say what came of it: the outcome note is what the next person reads", field="outcome_note")
    if task.status != Task.Status.OPEN:
        raise PlayError(f"this task is already {task.get_status_display().lower()}", field="status")
    task.status, task.outcome_note, task.completed_at = status, outcome_note, timezone.now()
    task.save(update_fields=["status", "outcome_note", "completed_at"])
    AuditEntry.objects.create(
        actor=by if getattr(by, "pk", None) else None, action="task_closed", object_type="task",
        object_id=str(task.pk), detail={"status": status},
    )
    return task


# ---- applying plays after scoring --------------------------------------------------------------


@dataclass
class AppliedPlays:
    members_checked: int = 0
    plays_started: int = 0
    tasks_created: int = 0


def apply_plays(*, as_of: date, progress: Callable[[str], None] | None = None) -> AppliedPlays:
    """Start the best-fitting play for each scored member whose trigger fires; idempotent for a date.

    A play is not started again for a member while a task from it is open or within PLAY_COOLDOWN_DAYS
    of its last start. A member whose desired outcome is unknown gets a task to learn it, with the
    context clues of their interactions in its description."""
    result = AppliedPlays()
    plays = list(active_plays())
    if not plays:
        return result
    scored = (
        Member.objects.filter(vectors__run__status="completed", vectors__as_of__lte=as_of,
                              status__in=[Member.Status.ACTIVE, Member.Status.GRACE])
        .select_related("journey").distinct().order_by("pk")
    )
    ids = list(scored.values_list("pk", flat=True))
    since = as_of - timedelta(days=PLAY_COOLDOWN_DAYS)
    for start in range(0, len(ids), APPLY_BATCH):
        batch = list(scored.filter(pk__in=ids[start:start + APPLY_BATCH]))
        facts = members_facts(members=batch, as_of=as_of)
        recent = set(
            Task.objects.filter(member__in=batch, play__isnull=False)
            .filter(Q(status=Task.Status.OPEN) | Q(started_on__gte=since)).values_list("member_id", "play_id")
        )
        for member in batch:
            result.members_checked += 1
            for recommendation in recommend(plays=plays, facts=facts[member.pk]):
                if (member.pk, recommendation.play.pk) in recent:
                    break  # the best play is already under way: leave the member to it
                description = recommendation.reason
                if not facts[member.pk].has_desired_outcome:
                    description += "\n\nWhat we already know:\n" + "\n".join(
                        f"- {clue}" for clue in context_clues(member=member))
                created = tasks_from_play(play=recommendation.play, member=member, by=None, as_of=as_of,
                                          notify=False, description=description)
                result.plays_started += 1
                result.tasks_created += len(created)
                break
        if progress:
            progress(f"Plays: {result.members_checked:,} members checked, {result.plays_started:,} plays started")
    return result


# ---- saves -------------------------------------------------------------------------------------


def record_save(member: Member, *, reason: str, plan: str, by: Any, saved_on: date | None = None) -> Save:
    """Record that a member's cancellation was averted; they stay at risk until their next milestone."""
    reason, plan = reason.strip(), plan.strip()
    if not reason:
        raise PlayError("say why the member wanted to leave and what kept them", field="reason")
    if not plan:
        raise PlayError("a save needs a get-back-on-track plan toward the next milestone", field="plan")
    saved_on = saved_on or timezone.localdate()
    facts = member_facts(member=member, as_of=saved_on)
    save = Save.objects.create(
        member=member, saved_on=saved_on, reason=reason, plan=plan, by=by if getattr(by, "pk", None) else None,
        milestone_id=facts.next_milestone_id,
    )
    AuditEntry.objects.create(
        actor=save.by, action="member_saved", object_type="member", object_id=member.external_id,
        detail={"save": save.pk, "milestone": facts.next_milestone},
    )
    return save
