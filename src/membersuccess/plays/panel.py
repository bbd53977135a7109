"""What the member 360 page shows of plays: the next best action, open tasks, saves and sent outreach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from membersuccess.accounts.models import Team
from membersuccess.accounts.roles import AnyUser
from membersuccess.members.models import Member
from membersuccess.plays.models import OutreachMessage, Task
from membersuccess.plays.selectors import (
    RECOMMENDATIONS_SHOWN,
    Recommendation,
    SaveRow,
    SaveState,
    active_plays,
    may_act_on_members,
    member_facts,
    recommend,
    render_message,
    saves_for,
    visible_tasks,
)
from membersuccess.plays.triggers import MemberFacts

MESSAGES_SHOWN = 5


@dataclass(frozen=True)
class PlaysPanel:
    facts: MemberFacts
    recommendations: list[Recommendation]
    tasks: list[Task]
    saves: list[SaveRow]
    messages: list[OutreachMessage]
    draft: str
    draft_subject: str
    teams: list[Team]
    may_act: bool
    under_way: frozenset[int]  # plays with an open task for the member: started, not to be started twice

    @property
    def best(self) -> Recommendation | None:
        return self.recommendations[0] if self.recommendations else None

    @property
    def open_save(self) -> SaveRow | None:
        return next((s for s in self.saves if s.state == SaveState.AT_RISK), None)


def member_plays_panel(*, member: Member, user: AnyUser, as_of: date | None = None) -> PlaysPanel:
    """The plays panel of a member the user may see (the view has already checked that)."""
    as_of = as_of or timezone.localdate()
    facts = member_facts(member=member, as_of=as_of)
    recommendations = recommend(plays=active_plays(), facts=facts)[:RECOMMENDATIONS_SHOWN]
    best = recommendations[0] if recommendations else None
    under_way = Task.objects.filter(member=member, status=Task.Status.OPEN, play__isnull=False)
    draft = ""
    if best is not None and best.play.message_template:
        draft = render_message(play=best.play, member=member, resource=best.resource,
                               next_milestone=best.next_milestone)
    return PlaysPanel(
        facts=facts,
        recommendations=recommendations,
        tasks=list(visible_tasks(user=user).filter(member=member, status=Task.Status.OPEN).order_by("due_on", "pk")),
        saves=saves_for(user=user, member=member),
        messages=list(member.outreach_messages.select_related("sent_by")[:MESSAGES_SHOWN]),
        draft=draft,
        draft_subject=best.play.name if best is not None else "",
        teams=list(Team.objects.order_by("name")),
        may_act=may_act_on_members(user),
        under_way=frozenset(under_way.values_list("play_id", flat=True)),
    )
