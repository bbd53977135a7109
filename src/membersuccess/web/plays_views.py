"""Pages for plays, tasks, saves and outreach: each view parses the request and calls one service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from membersuccess.accounts.roles import team_id_of
from membersuccess.members.models import Member
from membersuccess.members.selectors import visible_members
from membersuccess.outreach.checks import DraftTooLong
from membersuccess.plays.models import Play, Resource, Task
from membersuccess.plays.outreach import DraftRejected, draft_check, member_outreach_context, outreach_send
from membersuccess.plays.selectors import (
    may_act_on_members,
    may_edit_plays,
    may_work_on_task,
    my_tasks,
    saves_for,
    team_tasks,
    visible_tasks,
)
from membersuccess.plays.services import (
    PlayError,
    StepSpec,
    parse_steps,
    play_save,
    record_save,
    steps_as_text,
    task_complete,
    task_create,
    tasks_from_play,
)
from membersuccess.plays.triggers import describe_trigger
from membersuccess.web.plays_forms import CompleteTaskForm, OutreachForm, PlayForm, SaveForm, TaskForm


def _visible_member(request: HttpRequest, pk: int) -> Member:
    member = visible_members(user=request.user).filter(pk=pk).first()
    if member is None:
        raise Http404("No member with this ID is visible to you.")
    return member


def _may_act(request: HttpRequest) -> None:
    if not may_act_on_members(request.user):
        raise PermissionDenied("Executives read; they do not create tasks, saves or outreach.")


def _field_error(form: object, error: PlayError, fallback: str) -> None:
    fields = getattr(form, "fields", {})
    form.add_error(error.field if error.field in fields else fallback, str(error))  # type: ignore[attr-defined]


# ---- plays library -----------------------------------------------------------------------------


@require_GET
def plays(request: HttpRequest) -> HttpResponse:
    """The plays library and the resources plays point to."""
    rows = Play.objects.prefetch_related("steps__team", "resources").select_related("toward")
    context = {
        "plays": [(p, describe_trigger(trigger=p.trigger, value=p.trigger_value)) for p in rows],
        "resources": Resource.objects.prefetch_related("serves"),
        "may_edit": may_edit_plays(request.user),
    }
    return render(request, "web/plays/list.html", context)


@require_GET
def play(request: HttpRequest, pk: int) -> HttpResponse:
    """One play: its trigger in words, the milestone it moves toward, resources, steps and message."""
    found = get_object_or_404(Play.objects.select_related("toward"), pk=pk)
    context = {
        "play": found,
        "trigger_words": describe_trigger(trigger=found.trigger, value=found.trigger_value),
        "steps": found.steps.select_related("team"),
        "resources": found.resources.all(),
        "may_edit": may_edit_plays(request.user),
        "open_tasks": visible_tasks(user=request.user).filter(play=found, status=Task.Status.OPEN).count(),
    }
    return render(request, "web/plays/detail.html", context)


@require_http_methods(["GET", "POST"])
def play_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or change a play (admins and success managers)."""
    if not may_edit_plays(request.user):
        raise PermissionDenied("Only admins and success managers edit plays.")
    existing = get_object_or_404(Play, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = PlayForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                steps: list[StepSpec] = parse_steps(data["steps"])
                saved = play_save(
                    play=existing, name=data["name"], description=data["description"], trigger=data["trigger"],
                    trigger_value=data["trigger_value"], steps=steps, by=request.user,
                    message_template=data["message_template"], resources=list(data["resources"]),
                    toward=data["toward"], is_active=data["is_active"],
                )
            except PlayError as error:
                _field_error(form, error, "name")
            else:
                messages.success(request, f"Saved the play “{saved.name}”.")
                return redirect("play", pk=saved.pk)
    elif existing is not None:
        form = PlayForm(initial={
            "name": existing.name, "description": existing.description, "trigger": existing.trigger,
            "trigger_value": existing.trigger_value, "toward": existing.toward,
            "resources": list(existing.resources.all()), "steps": steps_as_text(existing),
            "message_template": existing.message_template, "is_active": existing.is_active,
        })
    else:
        form = PlayForm()
    return render(request, "web/plays/edit.html", {"form": form, "play": existing})


# ---- tasks -------------------------------------------------------------------------------------


def _status(request: HttpRequest) -> str:
    status = request.GET.get("status") or Task.Status.OPEN
    return status if status in Task.Status.values else Task.Status.OPEN


@require_GET
def tasks(request: HttpRequest) -> HttpResponse:
    """My tasks."""
    status = _status(request)
    context = {"tasks": my_tasks(user=request.user, status=status), "status": status, "scope": "mine",
               "statuses": Task.Status.choices}
    return render(request, "web/tasks/list.html", context)


@require_GET
def tasks_team(request: HttpRequest) -> HttpResponse:
    """My team's tasks."""
    status = _status(request)
    context = {"tasks": team_tasks(user=request.user, status=status), "status": status, "scope": "team",
               "statuses": Task.Status.choices, "has_team": team_id_of(request.user) is not None}
    return render(request, "web/tasks/list.html", context)


@require_http_methods(["GET", "POST"])
def task(request: HttpRequest, pk: int) -> HttpResponse:
    """One task, and closing it with an outcome note."""
    found = get_object_or_404(visible_tasks(user=request.user), pk=pk)
    may_work = may_work_on_task(user=request.user, task=found)
    form = CompleteTaskForm(request.POST or None)
    if request.method == "POST":
        if not may_work:
            raise PermissionDenied("Only the assignee, their team, managers and admins close a task.")
        if form.is_valid():
            try:
                task_complete(task=found, by=request.user, outcome_note=form.cleaned_data["outcome_note"],
                              status=form.cleaned_data["status"])
            except PlayError as error:
                _field_error(form, error, "outcome_note")
            else:
                messages.success(request, f"Closed “{found.title}”.")
                return redirect("task", pk=found.pk)
    return render(request, "web/tasks/detail.html", {"task": found, "form": form, "may_work": may_work})


@require_http_methods(["GET", "POST"])
def member_task_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A task for a team about this member."""
    member = _visible_member(request, pk)
    _may_act(request)
    form = TaskForm(request.POST or None, initial={"team": request.GET.get("team")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = task_create(title=data["title"], by=request.user, member=member, team=data["team"],
                                  due_on=data["due_on"], description=data["description"])
        except PlayError as error:
            _field_error(form, error, "title")
        else:
            messages.success(request, f"Task “{created.title}” created for {created.team}.")
            return redirect(reverse("member", args=[member.pk]) + "#plays")
    return render(request, "web/tasks/new.html", {"form": form, "member": member})


@require_POST
def member_play_start(request: HttpRequest, pk: int, play_pk: int) -> HttpResponse:
    """Start a play for this member: one task per step, for each step's team."""
    member = _visible_member(request, pk)
    _may_act(request)
    chosen = get_object_or_404(Play, pk=play_pk, is_active=True)
    try:
        created = tasks_from_play(play=chosen, member=member, by=request.user)
    except PlayError as error:
        messages.error(request, str(error))
        return redirect(reverse("member", args=[member.pk]) + "#plays")
    messages.success(request, f"Started “{chosen.name}”: {len(created)} task{'s' if len(created) != 1 else ''} "
                              f"for {', '.join(sorted({str(t.team) for t in created}))}.")
    return redirect(reverse("member", args=[member.pk]) + "#plays")


# ---- saves -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def member_save_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that this member's cancellation was averted, why, and the plan."""
    member = _visible_member(request, pk)
    _may_act(request)
    form = SaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_save(member, reason=form.cleaned_data["reason"], plan=form.cleaned_data["plan"], by=request.user)
        except PlayError as error:
            _field_error(form, error, "reason")
        else:
            messages.success(request, f"Recorded the save. {member.name} stays at risk until their next milestone.")
            return redirect(reverse("member", args=[member.pk]) + "#plays")
    return render(request, "web/plays/save_new.html", {"form": form, "member": member})


@require_GET
def saves(request: HttpRequest) -> HttpResponse:
    """Saved members and what became of them."""
    return render(request, "web/plays/saves.html", {"rows": saves_for(user=request.user)})


# ---- outreach ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def member_outreach(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a draft for this member and, when it carries value, send it."""
    member = _visible_member(request, pk)
    form = OutreachForm(request.POST or None)
    check = None
    if request.method == "POST":
        _may_act(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if request.POST.get("action") == "send":
                    outreach_send(member, subject=data["subject"], body=data["body"], by=request.user)
                    messages.success(request, f"Sent “{' '.join(data['subject'].split())}” to {member.name}.")
                    return redirect(reverse("member", args=[member.pk]) + "#plays")
                check = draft_check(member, body=data["body"])
            except DraftRejected as rejected:
                check = rejected.check
            except DraftTooLong as error:
                form.add_error("body", str(error))
            except PlayError as error:
                _field_error(form, error, "body")
                if error.field != "body":
                    # A missing subject or address stops the send before the value check: give its verdict too,
                    # so a draft without value is not found out only on the next try.
                    try:
                        check = draft_check(member, body=data["body"])
                    except DraftTooLong as too_long:
                        form.add_error("body", str(too_long))
    context = {"form": form, "member": member, "check": check, "context": member_outreach_context(member),
               "today": timezone.localdate()}
    return render(request, "web/plays/outreach.html", context)
