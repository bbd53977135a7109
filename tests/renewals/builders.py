"""Small builders for renewal tests: a member with a term ending N days from a date, scored in a run."""

from __future__ import annotations

from datetime import date, timedelta

from membersuccess.members.models import Member, MembershipTerm
from membersuccess.scoring.models import ScoreRun, VectorSnapshot
from tests.factories import make_member, make_term
from tests.web.vector_factories import make_run, make_vector


def renewing(
    *,
    as_of: date,
    ends_in_days: int,
    dues: str = "200.00",
    run: ScoreRun | None = None,
    status: str = VectorSnapshot.Status.ON_TRACK,
    score: float = 70.0,
    **member_fields: object,
) -> tuple[Member, MembershipTerm]:
    """A member whose active term ends `ends_in_days` after `as_of`, with a vector in `run` if given."""
    member = make_member(**member_fields)  # type: ignore[arg-type]
    end_on = as_of + timedelta(days=ends_in_days)
    term = make_term(member=member, start_on=end_on - timedelta(days=364), end_on=end_on, dues=dues)
    if run is not None:
        make_vector(run=run, member=member, status=status, score=score)
    return member, term


def past_decision(*, end_on: date, renewed: bool, status: str, score: float) -> Member:
    """A member whose term ended on `end_on` (renewed or lapsed) and who was scored a week before it ended."""
    member = make_member()
    make_term(
        member=member, start_on=end_on - timedelta(days=364), end_on=end_on,
        status=MembershipTerm.Status.RENEWED if renewed else MembershipTerm.Status.LAPSED,
    )
    scored_on = end_on - timedelta(days=7)
    run = ScoreRun.objects.filter(as_of=scored_on).first() or make_run(as_of=scored_on)
    make_vector(run=run, member=member, status=status, score=score)
    return member
