"""The renewal pipeline: members whose term ends soon, their Success Vector, renewal probability and the money.

Value at risk = dues × (1 − renewal probability): what the association expects to lose on these terms if
nothing changes. Every read is limited to the members the user may see (members/selectors.visible_members);
`user=None` reads the whole membership, for reports and commands run on behalf of the organization."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from membersuccess.accounts.models import Team
from membersuccess.accounts.roles import AnyUser
from membersuccess.members.models import Member, MembershipTerm, Segment
from membersuccess.members.selectors import visible_members
from membersuccess.plays.models import Task
from membersuccess.renewals.errors import RenewalError
from membersuccess.renewals.models import RenewalPlan
from membersuccess.renewals.probability import RenewalModel, renewal_model
from membersuccess.scoring.models import ScoreRun, VectorSnapshot
from membersuccess.scoring.selectors import latest_run

WINDOWS = (30, 60, 90, 180)
DEFAULT_WINDOW = 90
UNSCORED = "unscored"
CENT = Decimal("0.01")

SORTS: dict[str, str] = {
    "ends": "Term ends",
    "value_at_risk": "Value at risk",
    "probability": "Renewal probability",
    "dues": "Dues",
    "name": "Member",
    "status": "Success status",
}
DEFAULT_SORT = "ends"
# Worst first when sorting by status, the order staff triage in; unscored members last.
_STATUS_RANK: dict[str, int] = {
    VectorSnapshot.Status.OFF_TRACK.value: 0,
    VectorSnapshot.Status.DRIFTING.value: 1,
    VectorSnapshot.Status.TOO_EARLY.value: 2,
    VectorSnapshot.Status.ON_TRACK.value: 3,
}


@dataclass(frozen=True)
class PlanState:
    """Whether the member's success plan for this renewal is in motion, and who holds it."""

    task_id: int
    title: str
    status: str  # the task's status: open, done, cancelled
    status_label: str
    assignee: str  # the name of whoever holds the task, or of the team, or "" when nobody does
    raised_on: date
    completed_at: datetime | None

    @property
    def in_motion(self) -> bool:
        """A plan is in motion once raised and not cancelled: open (being worked) or done."""
        return self.status != Task.Status.CANCELLED


@dataclass(frozen=True)
class PipelineRow:
    """One term in the pipeline."""

    member_id: int
    member_name: str
    external_id: str
    segment: str
    success_manager: str
    term_id: int
    ends_on: date
    days_left: int
    offering: str
    dues: Decimal
    vector_status: str | None
    score: float | None
    probability: float | None
    value_at_risk: Decimal | None
    plan: PlanState | None

    @property
    def status_label(self) -> str:
        if self.vector_status is None:
            return "Not scored"
        return str(VectorSnapshot.Status(self.vector_status).label)

    @property
    def on_track(self) -> bool:
        return self.vector_status == VectorSnapshot.Status.ON_TRACK


@dataclass(frozen=True)
class Pipeline:
    """The terms ending within `window` days of `as_of`, with totals and how probability was estimated."""

    as_of: date
    window: int
    rows: list[PipelineRow]
    model: RenewalModel
    run: ScoreRun | None

    @property
    def dues_at_stake(self) -> Decimal:
        return sum((row.dues for row in self.rows), Decimal("0.00"))

    @property
    def value_at_risk(self) -> Decimal:
        """The sum over rows whose probability is known."""
        return sum((row.value_at_risk for row in self.rows if row.value_at_risk is not None), Decimal("0.00"))

    @property
    def unknown_probability(self) -> int:
        return sum(1 for row in self.rows if row.probability is None)


def value_at_risk_of(*, dues: Decimal, probability: float | None) -> Decimal | None:
    """dues × (1 − probability), to the cent; unknown when the probability is."""
    if probability is None:
        return None
    kept = Decimal(str(round(probability, 6)))
    return (dues * (Decimal(1) - kept)).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_window(raw: str | int | None) -> int:
    """A window in days, one of WINDOWS; raises RenewalError naming the allowed values."""
    if raw is None or raw == "":
        return DEFAULT_WINDOW
    try:
        window = int(raw)
    except (TypeError, ValueError):
        window = -1
    if window not in WINDOWS:
        allowed = ", ".join(str(w) for w in WINDOWS)
        raise RenewalError(f"the window must be one of {allowed} days, not {raw!r}", field="window")
    return window


def parse_sort(raw: str | None) -> str:
    """A sort key such as "value_at_risk" or "-value_at_risk"; raises RenewalError naming the allowed keys."""
    if not raw:
        return DEFAULT_SORT
    if raw.removeprefix("-") not in SORTS:
        raise RenewalError(
            f"cannot sort the pipeline by {raw!r}; use one of {', '.join(SORTS)} (prefix - for descending)",
            field="sort",
        )
    return raw


def parse_as_of(raw: str | date | None, *, default: date) -> date:
    """An ISO date (YYYY-MM-DD); raises RenewalError on anything else."""
    if raw is None or raw == "":
        return default
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise RenewalError(f"{raw!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-03-31", field="as_of") from None


def _members(*, user: AnyUser | None, segment: str, team: str) -> QuerySet[Member]:
    members = Member.objects.all() if user is None else visible_members(user=user)
    if segment:
        # A NUL is no segment's code, and PostgreSQL cannot even compare text holding one.
        if "\x00" in segment or not Segment.objects.filter(code=segment).exists():
            raise RenewalError(f"there is no segment with code {segment!r}", field="segment")
        members = members.filter(segment__code=segment)
    if team:
        if "\x00" in team or not Team.objects.filter(code=team).exists():
            raise RenewalError(f"there is no team with code {team!r}", field="team")
        # A member belongs to a team's pipeline when their success manager is on it or the team has a task for them.
        members = members.filter(
            Q(success_manager__staff_profile__team__code=team)
            | Exists(Task.objects.filter(member_id=OuterRef("pk"), team__code=team))
        )
    return members


def _check_status(status: str) -> None:
    if status and status != UNSCORED and status not in VectorSnapshot.Status.values:
        allowed = ", ".join([*VectorSnapshot.Status.values, UNSCORED])
        raise RenewalError(f"unknown success status {status!r}; use one of {allowed}", field="status")


def plan_states(*, term_ids: list[int]) -> dict[int, PlanState]:
    """The success plan raised for each of these terms, by term id."""
    plans = RenewalPlan.objects.filter(term_id__in=term_ids).select_related("task", "task__assignee", "task__team")
    states = {}
    for plan in plans:
        task = plan.task
        holder = ""
        if task.assignee is not None:
            holder = task.assignee.get_full_name() or task.assignee.get_username()
        elif task.team is not None:
            holder = task.team.name
        states[plan.term_id] = PlanState(
            task_id=task.pk,
            title=task.title,
            status=task.status,
            status_label=task.get_status_display(),
            assignee=holder,
            raised_on=plan.raised_on,
            completed_at=task.completed_at,
        )
    return states


def latest_vectors(*, run: ScoreRun | None, member_ids: list[int]) -> dict[int, tuple[str, float]]:
    """(status, score) of each member in `run`."""
    if run is None:
        return {}
    rows = VectorSnapshot.objects.filter(run=run, member_id__in=member_ids).values_list("member_id", "status", "score")
    return {member_id: (status, score) for member_id, status, score in rows}


def renewal_pipeline(
    *,
    as_of: date,
    user: AnyUser | None = None,
    window: int = DEFAULT_WINDOW,
    status: str = "",
    segment: str = "",
    team: str = "",
    sort: str = DEFAULT_SORT,
    model: RenewalModel | None = None,
) -> Pipeline:
    """Active terms ending from `as_of` to `as_of + window` days (both included) of the members in view."""
    window = parse_window(window)
    sort = parse_sort(sort)
    _check_status(status)
    terms = (
        MembershipTerm.objects.filter(
            member__in=_members(user=user, segment=segment, team=team),
            status=MembershipTerm.Status.ACTIVE,
            end_on__gte=as_of,
            end_on__lte=as_of + timedelta(days=window),
        )
        .select_related("member", "member__segment", "member__success_manager", "offering")
        .order_by("end_on", "member__name", "pk")
    )
    terms_list = list(terms)
    run = latest_run()
    vectors = latest_vectors(run=run, member_ids=[t.member_id for t in terms_list])
    plans = plan_states(term_ids=[t.pk for t in terms_list])
    model = model or renewal_model(as_of=as_of)
    rows = []
    for term in terms_list:
        vector_status, score = vectors.get(term.member_id, (None, None))
        if status == UNSCORED and vector_status is not None:
            continue
        if status and status != UNSCORED and vector_status != status:
            continue
        probability = model.probability(status=vector_status, score=score)
        manager = term.member.success_manager
        rows.append(
            PipelineRow(
                member_id=term.member_id,
                member_name=term.member.name,
                external_id=term.member.external_id,
                segment=term.member.segment.name if term.member.segment else "",
                success_manager=(manager.get_full_name() or manager.get_username()) if manager else "",
                term_id=term.pk,
                ends_on=term.end_on,
                days_left=(term.end_on - as_of).days,
                offering=term.offering.name if term.offering else "",
                dues=term.dues,
                vector_status=vector_status,
                score=score,
                probability=probability,
                value_at_risk=value_at_risk_of(dues=term.dues, probability=probability),
                plan=plans.get(term.pk),
            )
        )
    return Pipeline(as_of=as_of, window=window, rows=sort_rows(rows, sort=sort), model=model, run=run)


def _sort_value(row: PipelineRow, key: str) -> tuple[float, str] | None:
    if key == "name":
        return (0.0, row.member_name.casefold())
    number: float | None = {
        "ends": float(row.ends_on.toordinal()),
        "value_at_risk": None if row.value_at_risk is None else float(row.value_at_risk),
        "probability": row.probability,
        "dues": float(row.dues),
        "status": None if row.vector_status is None else float(_STATUS_RANK.get(row.vector_status, 9)),
    }[key]
    return None if number is None else (number, "")


def sort_rows(rows: list[PipelineRow], *, sort: str) -> list[PipelineRow]:
    """Rows in the asked order; unknown values last either way, then soonest end and name break ties."""
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    by_tie = sorted(rows, key=lambda r: (r.ends_on, r.member_name.casefold(), r.term_id))
    known = [(value, r) for r in by_tie if (value := _sort_value(r, key)) is not None]
    unknown = [r for r in by_tie if _sort_value(r, key) is None]
    known.sort(key=lambda pair: pair[0], reverse=descending)  # stable: ties keep soonest-first order
    return [r for _, r in known] + unknown
