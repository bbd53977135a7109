"""Reads of the plays app: what we know of a member, the next best action, tasks per person, saves."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from membersuccess.accounts.models import Role
from membersuccess.accounts.roles import AnyUser, role_of, sees_all_members, team_id_of
from membersuccess.journeys.models import MilestoneAchievement, SuccessMilestone
from membersuccess.members.models import DesiredOutcome, Member, MembershipTerm, Offering
from membersuccess.members.selectors import MilestoneState, current_term, journey_progress
from membersuccess.plays.models import Play, Resource, Save, Task
from membersuccess.plays.triggers import MemberFacts, trigger_reason
from membersuccess.scoring.models import ScoreRun, VectorSnapshot

RECOMMENDATIONS_SHOWN = 3
CLUES_SHOWN = 3
FORMAT_WORDS = {
    "events": "events", "courses": "courses", "community": "community", "mentoring": "mentoring",
    "self_serve": "self-serve",
}
CHANNEL_WORDS = {"online": "online", "in_person": "in person"}


# ---- what we know of a member ------------------------------------------------------------------


def member_facts(*, member: Member, as_of: date | None = None) -> MemberFacts:
    """The facts triggers look at for one member on `as_of` (default today)."""
    return members_facts(members=[member], as_of=as_of or timezone.localdate())[member.pk]


def _latest_snapshots(member_ids: Sequence[int], *, as_of: date) -> dict[int, tuple[str, list[str]]]:
    """(status, flags) of each member's vector in the latest completed run on or before `as_of`."""
    run = (
        ScoreRun.objects.filter(status=ScoreRun.Status.COMPLETED, as_of__lte=as_of)
        .order_by("-as_of", "-finished_at").first()
    )
    if run is None:
        return {}
    rows = VectorSnapshot.objects.filter(run=run, member_id__in=member_ids).values_list("member_id", "status", "flags")
    return {member_id: (status, list(flags or [])) for member_id, status, flags in rows}


def open_saves(*, member_ids: Iterable[int] | None = None) -> dict[int, Save]:
    """The newest save of each member that is still open: its milestone not reached, the member still with us."""
    saves = Save.objects.select_related("member", "milestone").order_by("member_id", "-saved_on", "-pk")
    if member_ids is not None:
        saves = saves.filter(member_id__in=list(member_ids))
    newest: dict[int, Save] = {}
    for save in saves:
        newest.setdefault(save.member_id, save)
    reached = set(
        MilestoneAchievement.objects.filter(
            member_id__in=newest, milestone_id__in=[s.milestone_id for s in newest.values() if s.milestone_id]
        ).values_list("member_id", "milestone_id")
    )
    return {
        member_id: save for member_id, save in newest.items()
        if save_state(save=save, reached=(member_id, save.milestone_id) in reached) == SaveState.AT_RISK
    }


def members_facts(*, members: Sequence[Member], as_of: date) -> dict[int, MemberFacts]:
    """Facts for many members at once, a few queries for the lot."""
    ids = [m.pk for m in members]
    snapshots = _latest_snapshots(ids, as_of=as_of)
    journeys = {m.journey_id for m in members if m.journey_id}
    milestones: dict[int, list[SuccessMilestone]] = {}
    for milestone in SuccessMilestone.objects.filter(journey_id__in=journeys).order_by("order"):
        milestones.setdefault(milestone.journey_id, []).append(milestone)
    achievements: dict[int, list[MilestoneAchievement]] = {}
    for a in MilestoneAchievement.objects.filter(member_id__in=ids):
        achievements.setdefault(a.member_id, []).append(a)
    terms: dict[int, list[MembershipTerm]] = {}
    for t in MembershipTerm.objects.filter(member_id__in=ids):
        terms.setdefault(t.member_id, []).append(t)
    outcomes = {d.member_id: d for d in DesiredOutcome.objects.filter(member_id__in=ids, is_current=True)}
    saved = open_saves(member_ids=ids)
    facts: dict[int, MemberFacts] = {}
    for member in members:
        term = current_term(terms=terms.get(member.pk, []), as_of=as_of)
        progress = journey_progress(
            member=member, milestones=milestones.get(member.journey_id or 0, []),
            achievements=achievements.get(member.pk, []), term=term, as_of=as_of,
        )
        next_one = next((p for p in progress if p.is_next), None)
        status, flags = snapshots.get(member.pk, (None, []))
        desired = outcomes.get(member.pk)
        renewal_on = term.end_on if term is not None and term.status == MembershipTerm.Status.ACTIVE else None
        facts[member.pk] = MemberFacts(
            member_id=member.pk, name=member.name, as_of=as_of, joined_on=member.joined_on,
            status=status, flags=frozenset(flags),
            next_milestone_id=next_one.milestone.pk if next_one else None,
            next_milestone=next_one.milestone.name if next_one else None,
            next_milestone_due_on=next_one.due_on if next_one else None,
            next_milestone_overdue=bool(next_one and next_one.state is MilestoneState.OVERDUE),
            renewal_on=renewal_on,
            is_saved=member.pk in saved or "saved_at_risk" in flags,
            has_desired_outcome=desired is not None,
            required_outcome_id=desired.required_outcome_id if desired else (
                member.journey.required_outcome_id if member.journey_id and member.journey else None),
            channels=frozenset(desired.channels if desired else ()),
            formats=frozenset(desired.formats if desired else ()),
        )
    return facts


# ---- the next best action ----------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """How well a resource fits a member's appropriate experience: a score and the words for it."""

    score: int
    words: str


def experience_fit(*, resource: Resource, facts: MemberFacts, serves: bool) -> Fit:
    """Formats the member prefers count most, then channels; a channel they don't use counts against."""
    formats = [FORMAT_WORDS.get(f, f) for f in resource.formats if f in facts.formats]
    channels = [CHANNEL_WORDS.get(c, c) for c in resource.channels if c in facts.channels]
    score = 2 * len(formats) + len(channels) + int(serves)
    words = []
    if formats or channels:
        words.append(f"{facts.name} prefers " + " and ".join(formats + channels))
    if facts.channels and resource.channels and not channels:
        score -= 3
        theirs = " and ".join(CHANNEL_WORDS.get(c, c) for c in sorted(facts.channels))
        words.append(f"it is {' or '.join(CHANNEL_WORDS.get(c, c) for c in resource.channels)} "
                     f"while {facts.name} prefers {theirs}")
    if facts.formats and resource.formats and not formats:
        score -= 1
    if serves:
        words.append("it serves their required outcome")
    if not facts.formats and not facts.channels:
        words.append(f"we don't know how {facts.name} prefers to work yet")
    return Fit(score=score, words="; ".join(words))


@dataclass(frozen=True)
class Recommendation:
    """A play for a member now, the resource that fits them best, and why, in words."""

    play: Play
    resource: Resource | None
    fit: int
    reason: str
    next_milestone: str | None
    next_milestone_id: int | None


def _moves_toward(play: Play, facts: MemberFacts) -> bool:
    return play.toward_id is None or play.toward_id == facts.next_milestone_id


def recommend(*, plays: Iterable[Play], facts: MemberFacts) -> list[Recommendation]:
    """The plays whose trigger fires and that move the member to their next milestone, best fit first."""
    found: list[Recommendation] = []
    for play in plays:
        why = trigger_reason(trigger=play.trigger, value=play.trigger_value, facts=facts)
        if why is None or not _moves_toward(play, facts):
            continue
        best: tuple[Resource, Fit] | None = None
        for resource in play.resources.all():
            serves = facts.required_outcome_id is not None and any(
                o.pk == facts.required_outcome_id for o in resource.serves.all()
            )
            fit = experience_fit(resource=resource, facts=facts, serves=serves)
            if best is None or fit.score > best[1].score:
                best = (resource, fit)
        toward = ""
        if facts.next_milestone:
            due = f", due {facts.next_milestone_due_on:%-d %b %Y}" if facts.next_milestone_due_on else ""
            toward = f" It moves them toward their next milestone, “{facts.next_milestone}”{due}."
        with_resource = ""
        if best is not None:
            resource, fit = best
            with_resource = f" Suggested resource: “{resource.name}” ({resource.get_kind_display().lower()})"
            with_resource += f" — {fit.words}." if fit.words else "."
        found.append(Recommendation(
            play=play, resource=best[0] if best else None, fit=best[1].score if best else 0,
            reason=f"{why}.{toward}{with_resource}", next_milestone=facts.next_milestone,
            next_milestone_id=facts.next_milestone_id,
        ))
    return sorted(found, key=lambda r: (-r.fit, r.play.name))


def active_plays() -> QuerySet[Play]:
    """Plays staff may run, with what recommending them reads."""
    return Play.objects.filter(is_active=True).prefetch_related("resources__serves", "steps__team")


def next_best_actions(*, member: Member, as_of: date | None = None) -> list[Recommendation]:
    """The plays for this member now, ranked by fit to their appropriate experience."""
    return recommend(plays=active_plays(), facts=member_facts(member=member, as_of=as_of))


TEMPLATE_FIELDS = ("member_name", "next_milestone", "resource_name", "resource_url", "plan")


def render_message(*, play: Play, member: Member, resource: Resource | None, next_milestone: str | None) -> str:
    """The play's message for this member: placeholders replaced by their name, milestone and resource."""
    values = {
        "member_name": member.name,
        "next_milestone": f"“{next_milestone}”" if next_milestone else "your next step",
        "resource_name": resource.name if resource else "resource",
        "resource_url": resource.url if resource and resource.url else "",
        "plan": "",
    }
    text = play.message_template
    for key, value in values.items():
        for spelling in (f"{{{{ {key} }}}}", f"{{{{{key}}}}}"):
            text = text.replace(spelling, value)
    return text


# ---- tasks -------------------------------------------------------------------------------------


def visible_tasks(*, user: AnyUser) -> QuerySet[Task]:
    """Tasks this user may see: all for roles that see every member; else theirs and their team's."""
    tasks = Task.objects.select_related("member", "team", "assignee", "play")
    if not user.is_authenticated:
        return tasks.none()
    if sees_all_members(user):
        return tasks
    mine = Q(assignee_id=user.pk)
    team_id = team_id_of(user)
    if team_id is not None:
        mine |= Q(team_id=team_id)
    return tasks.filter(mine)


def my_tasks(*, user: AnyUser, status: str = Task.Status.OPEN) -> QuerySet[Task]:
    """Tasks assigned to the user."""
    return visible_tasks(user=user).filter(assignee_id=user.pk, status=status)


def team_tasks(*, user: AnyUser, status: str = Task.Status.OPEN) -> QuerySet[Task]:
    """Tasks of the user's team (none when they are on no team)."""
    team_id = team_id_of(user)
    if team_id is None:
        return Task.objects.none()
    return visible_tasks(user=user).filter(team_id=team_id, status=status)


def may_work_on_task(*, user: AnyUser, task: Task) -> bool:
    """Whether the user may complete or change the task: its assignee, its team, or a manager or admin."""
    role = role_of(user)
    if role is None or role == Role.EXECUTIVE:
        return False
    if role in (Role.ADMIN, Role.SUCCESS_MANAGER):
        return True
    return task.assignee_id == user.pk or (task.team_id is not None and task.team_id == team_id_of(user))


def may_edit_plays(user: AnyUser) -> bool:
    """Admins and success managers edit the plays library; everyone else reads it."""
    return role_of(user) in (Role.ADMIN, Role.SUCCESS_MANAGER)


def may_act_on_members(user: AnyUser) -> bool:
    """Anyone on staff except executives (read-only) creates tasks, records saves and sends outreach."""
    role = role_of(user)
    return role is not None and role != Role.EXECUTIVE


# ---- context clues for a member whose desired outcome is unknown -------------------------------


def context_clues(*, member: Member) -> list[str]:
    """What the organization already knows from the member's interactions, in sentences."""
    rows = list(member.interactions.values_list("kind", "source", "attributes"))
    if not rows:
        return ["No interactions recorded yet: ask what brought them to join."]
    kinds = Counter(kind for kind, _, _ in rows)
    sources = Counter(source for _, source, _ in rows)
    clues = [
        "Most frequent interactions: "
        + ", ".join(f"{k.replace('_', ' ')} ({n})" for k, n in kinds.most_common(CLUES_SHOWN)),
        "Sources used most: " + ", ".join(f"{s} ({n})" for s, n in sources.most_common(CLUES_SHOWN)),
    ]
    taken: dict[str, Counter[str]] = {"event": Counter(), "course": Counter()}
    for _, _, attributes in rows:
        for key, counter in taken.items():
            code = (attributes or {}).get(key) if isinstance(attributes, dict) else None
            if isinstance(code, str):
                counter[code] += 1
    names = dict(Offering.objects.filter(code__in=[c for t in taken.values() for c in t]).values_list("code", "name"))
    for key, label in (("event", "Events attended"), ("course", "Courses taken")):
        if taken[key]:
            clues.append(f"{label}: " + ", ".join(names.get(c, c) for c, _ in taken[key].most_common(CLUES_SHOWN)))
    return clues


# ---- saves -------------------------------------------------------------------------------------


class SaveState:
    AT_RISK = "at_risk"
    BACK_ON_TRACK = "back_on_track"
    LEFT = "left"


SAVE_STATE_WORDS = {
    SaveState.AT_RISK: "Still at risk: next milestone not reached",
    SaveState.BACK_ON_TRACK: "Back on track: reached the milestone",
    SaveState.LEFT: "Left: membership lapsed or cancelled",
}


def save_state(*, save: Save, reached: bool) -> str:
    """What became of a save: back on track once its milestone is reached, left, or still at risk."""
    if reached:
        return SaveState.BACK_ON_TRACK
    if save.member.status in (Member.Status.LAPSED, Member.Status.CANCELLED):
        return SaveState.LEFT
    return SaveState.AT_RISK


@dataclass(frozen=True)
class SaveRow:
    save: Save
    state: str

    @property
    def state_words(self) -> str:
        return SAVE_STATE_WORDS[self.state]


def saves_for(*, user: AnyUser, member: Member | None = None) -> list[SaveRow]:
    """Saves of the members the user may see, newest first, with what became of each."""
    from membersuccess.members.selectors import visible_members

    saves = Save.objects.filter(member__in=visible_members(user=user)).select_related("member", "milestone", "by")
    if member is not None:
        saves = saves.filter(member=member)
    saves_list = list(saves)
    reached = set(
        MilestoneAchievement.objects.filter(member_id__in={s.member_id for s in saves_list})
        .values_list("member_id", "milestone_id")
    )
    return [SaveRow(save=s, state=save_state(save=s, reached=(s.member_id, s.milestone_id) in reached))
            for s in saves_list]
