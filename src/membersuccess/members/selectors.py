"""Reads on members: who a staff member may see, the members list, and the member 360 page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import OrderBy
from django.utils import timezone

from membersuccess.accounts.roles import AnyUser, sees_all_members, team_id_of
from membersuccess.interactions.models import Interaction, SupportTicket, SurveyResponse
from membersuccess.journeys.models import Journey, MilestoneAchievement, SuccessMilestone
from membersuccess.journeys.selectors import (
    MilestoneProgress,
    MilestoneState,
    NextMilestone,
    current_term,
    journey_progress,
    next_of,
    with_overdue_next_milestone,
)
from membersuccess.members.models import Contact, DesiredOutcome, Member, MembershipTerm
from membersuccess.plays.models import Task

MEMBERS_PER_PAGE = 50
INTERACTIONS_PER_PAGE = 100
TICKETS_SHOWN = 50
SURVEYS_SHOWN = 50
MAX_QUERY_LENGTH = 200

# From healthy to gone, so that sorting by status groups members the way staff triage them.
_STATUS_RANK = Case(
    When(status=Member.Status.ACTIVE, then=Value(0)),
    When(status=Member.Status.GRACE, then=Value(1)),
    When(status=Member.Status.LAPSED, then=Value(2)),
    When(status=Member.Status.CANCELLED, then=Value(3)),
    default=Value(4),
)

SORT_CHOICES: dict[str, str] = {
    "name": "Name",
    "joined": "Joined",
    "segment": "Segment",
    "status": "Status",
}


def visible_members(*, user: AnyUser) -> QuerySet[Member]:
    """The members this user may see: all for admins, managers and executives; else those they work with."""
    members = Member.objects.all()
    if not user.is_authenticated:
        return members.none()
    if sees_all_members(user):
        return members
    works_on = Q(assignee_id=user.pk)
    team_id = team_id_of(user)
    if team_id is not None:
        works_on |= Q(team_id=team_id)
    has_task = Exists(Task.objects.filter(works_on, member_id=OuterRef("pk")))
    return members.filter(Q(success_manager_id=user.pk) | has_task)


def _ordering(sort: str) -> list[OrderBy]:
    """ORDER BY for a sort key such as "joined" or "-joined"; name and pk break ties for stable paging."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in SORT_CHOICES:
        raise ValueError(f"cannot sort members by {sort!r}; use one of {', '.join(SORT_CHOICES)}")
    columns: dict[str, F | Case] = {
        "name": F("name"),
        "joined": F("joined_on"),
        "segment": F("segment__name"),
        "status": _STATUS_RANK,
    }
    primary = columns[key]
    first = primary.desc(nulls_last=True) if descending else primary.asc(nulls_last=True)
    return [first, F("name").asc(), F("pk").asc()]


# The members list's "Journey" filter: where members stand on their path, as of today.
JOURNEY_FILTERS: dict[str, str] = {
    "overdue_milestone": "Next milestone overdue",
    "outcome_unknown": "Desired outcome unknown",
    "no_journey": "Not on a journey",
}


def filter_members_by_journey(members: QuerySet[Member], *, journey: str, as_of: date) -> QuerySet[Member]:
    """Members whose next milestone is overdue, whose desired outcome is unknown, or who have no journey."""
    if not journey:
        return members
    if journey == "overdue_milestone":
        return with_overdue_next_milestone(members, as_of=as_of)
    if journey == "outcome_unknown":
        return members.exclude(Exists(DesiredOutcome.objects.filter(member_id=OuterRef("pk"), is_current=True)))
    if journey == "no_journey":
        return members.filter(journey__isnull=True)
    raise ValueError(f"cannot filter members by journey {journey!r}; use one of {', '.join(JOURNEY_FILTERS)}")


@dataclass(frozen=True)
class JourneyGaps:
    """How many of a user's members lack what staff need to guide them, each a members-list filter."""

    outcome_unknown: int
    overdue_milestone: int
    no_journey: int


def journey_gaps(*, user: AnyUser, as_of: date) -> JourneyGaps:
    """Counts for the portfolio: desired outcome unknown, next milestone overdue, not on a journey."""
    members = visible_members(user=user).filter(status__in=[Member.Status.ACTIVE, Member.Status.GRACE])
    return JourneyGaps(
        outcome_unknown=filter_members_by_journey(members, journey="outcome_unknown", as_of=as_of).count(),
        overdue_milestone=filter_members_by_journey(members, journey="overdue_milestone", as_of=as_of).count(),
        no_journey=filter_members_by_journey(members, journey="no_journey", as_of=as_of).count(),
    )


def members_for_list(
    *,
    user: AnyUser,
    query: str = "",
    segment: str = "",
    status: str = "",
    sort: str = "name",
    journey: str = "",
    as_of: date | None = None,
) -> QuerySet[Member]:
    """Members the user may see, matching a search on name, email or external id, a segment code and a status."""
    members = visible_members(user=user)
    members = filter_members_by_journey(members, journey=journey, as_of=as_of or timezone.localdate())
    query = query.strip()[:MAX_QUERY_LENGTH]
    if query:
        members = members.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(external_id__icontains=query)
        )
    if segment:
        members = members.filter(segment__code=segment)
    if status:
        members = members.filter(status=status)
    latest_term_end = MembershipTerm.objects.filter(member_id=OuterRef("pk")).order_by("-end_on").values("end_on")[:1]
    return (
        members.select_related("segment", "success_manager")
        .annotate(term_ends_on=Subquery(latest_term_end))
        .order_by(*_ordering(sort))
    )


def member_counts_by_status(*, user: AnyUser) -> list[tuple[str, str, int]]:
    """(status, label, count) for every member status, zeros included, over the members the user may see."""
    counts = dict(
        visible_members(user=user).order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [(value, str(label), counts.get(value, 0)) for value, label in Member.Status.choices]


def terms_ending_soon(*, user: AnyUser, as_of: date, days: int = 90) -> QuerySet[MembershipTerm]:
    """Active terms of visible members that end within `days` of `as_of`, soonest first."""
    return (
        MembershipTerm.objects.filter(
            member__in=visible_members(user=user),
            status=MembershipTerm.Status.ACTIVE,
            end_on__gte=as_of,
            end_on__lte=as_of + timedelta(days=days),
        )
        .select_related("member", "member__segment", "offering")
        .order_by("end_on", "member__name", "pk")
    )


@dataclass(frozen=True)
class Member360:
    """Everything the member 360 page shows about one member."""

    member: Member
    as_of: date
    contacts: list[Contact]
    desired_outcome: DesiredOutcome | None
    journey: Journey | None
    milestones: list[MilestoneProgress]
    current_term: MembershipTerm | None
    terms: list[MembershipTerm]
    tickets: list[SupportTicket]
    ticket_counts: dict[str, int]
    surveys: list[SurveyResponse]
    interactions: Page[Interaction]

    @property
    def next_milestone(self) -> MilestoneProgress | None:
        """The first milestone on the journey not achieved yet."""
        return next((m for m in self.milestones if m.is_next), None)

    @property
    def next_step(self) -> NextMilestone | None:
        """The next milestone with its overdue flag and days overdue, as `next_milestone` gives it."""
        return next_of(member_id=self.member.pk, progress=self.milestones, as_of=self.as_of)

    @property
    def overdue_count(self) -> int:
        """How many milestones are overdue past their grace."""
        return sum(1 for m in self.milestones if m.state is MilestoneState.OVERDUE)


def member_360(
    *, member_id: int, user: AnyUser, as_of: date | None = None, interaction_page: int | str = 1
) -> Member360:
    """The member 360 for a member the user may see; raises Member.DoesNotExist otherwise."""
    as_of = as_of or timezone.localdate()
    member = (
        visible_members(user=user)
        .select_related("segment", "success_manager", "journey", "journey__required_outcome")
        .get(pk=member_id)
    )
    desired_outcome = (
        DesiredOutcome.objects.filter(member=member, is_current=True).select_related("required_outcome").first()
    )
    terms = list(member.terms.select_related("offering").order_by("-start_on", "-pk"))
    term = current_term(terms=terms, as_of=as_of)
    milestones: list[SuccessMilestone] = []
    achievements: list[MilestoneAchievement] = []
    if member.journey is not None:
        milestones = list(member.journey.milestones.order_by("order"))
        achievements = list(member.achievements.filter(milestone__journey=member.journey))
    ticket_counts = member.tickets.aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(resolved_at__isnull=True))
    )
    interactions = Paginator(
        member.interactions.order_by("-occurred_at", "-pk"), INTERACTIONS_PER_PAGE
    ).get_page(interaction_page)
    return Member360(
        member=member,
        as_of=as_of,
        contacts=list(member.contacts.all()),
        desired_outcome=desired_outcome,
        journey=member.journey,
        milestones=journey_progress(
            member=member, milestones=milestones, achievements=achievements, term=term, as_of=as_of
        ),
        current_term=term,
        terms=terms,
        tickets=list(member.tickets.order_by("-opened_at", "-pk")[:TICKETS_SHOWN]),
        ticket_counts={"total": ticket_counts["total"], "open": ticket_counts["open"]},
        surveys=list(member.survey_responses.order_by("-responded_at", "-pk")[:SURVEYS_SHOWN]),
        interactions=interactions,
    )
