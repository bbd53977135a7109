"""A member who is not on track gets a success-plan task early (120 days by default), once per term."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from membersuccess.accounts.models import AuditEntry, Role
from membersuccess.cli import app
from membersuccess.plays.models import Task
from membersuccess.renewals.errors import RenewalError
from membersuccess.renewals.models import RenewalPlan
from membersuccess.renewals.plans import raise_renewal_plans
from membersuccess.renewals.selectors import renewal_pipeline
from membersuccess.scoring.models import VectorSnapshot
from tests.factories import make_journey, make_milestone, make_staff_user, make_team
from tests.renewals.builders import renewing
from tests.web.vector_factories import make_run, make_vector

pytestmark = pytest.mark.django_db

ON, OFF, DRIFT, EARLY = (
    VectorSnapshot.Status.ON_TRACK, VectorSnapshot.Status.OFF_TRACK,
    VectorSnapshot.Status.DRIFTING, VectorSnapshot.Status.TOO_EARLY,
)


@pytest.fixture
def mona():
    return make_staff_user(role=Role.SUCCESS_MANAGER, username="mona", first_name="Mona", last_name="Reyes")


@pytest.fixture
def run(as_of):
    return make_run(as_of=as_of)


def test_an_off_track_member_gets_a_success_plan_task_held_by_their_success_manager(as_of, run, mona):
    member, term = renewing(as_of=as_of, ends_in_days=100, run=run, status=OFF, score=30, success_manager=mona)
    result = raise_renewal_plans(as_of=as_of)
    [plan] = result.raised
    assert (plan.term, plan.vector_status, plan.raised_on) == (term, OFF, as_of)
    task = plan.task
    assert (task.member, task.assignee, task.status) == (member, mona, Task.Status.OPEN)
    assert task.title.startswith("Success plan with")
    assert task.due_on == as_of + timedelta(days=14)


def test_the_plan_is_a_plan_toward_the_next_milestone_never_a_discount_offer(as_of, run, mona):
    member, _ = renewing(as_of=as_of, ends_in_days=100, success_manager=mona)
    milestone = make_milestone(journey=make_journey(), order=1, name="Pass the certification exam")
    make_vector(run=run, member=member, status=DRIFT, next_milestone=milestone,
                next_milestone_due_on=as_of + timedelta(days=40))
    [plan] = raise_renewal_plans(as_of=as_of).raised
    assert "Next milestone: Pass the certification exam" in plan.task.description
    assert "not a discount offer" in plan.task.description
    assert "%" not in plan.task.description


@pytest.mark.parametrize("status", [ON, EARLY])
def test_members_on_track_or_too_early_get_no_plan(as_of, run, mona, status):
    renewing(as_of=as_of, ends_in_days=100, run=run, status=status, success_manager=mona)
    assert raise_renewal_plans(as_of=as_of).raised == []


def test_members_never_scored_get_no_plan(as_of, mona):
    renewing(as_of=as_of, ends_in_days=100, success_manager=mona)
    result = raise_renewal_plans(as_of=as_of)
    assert (result.raised, result.on_track_or_unscored) == ([], 1)


def test_plans_are_raised_120_days_ahead_by_default_and_not_on_day_121(as_of, run, mona):
    renewing(as_of=as_of, ends_in_days=120, run=run, status=OFF, success_manager=mona, name="Day 120")
    renewing(as_of=as_of, ends_in_days=121, run=run, status=OFF, success_manager=mona, name="Day 121")
    assert [p.term.member.name for p in raise_renewal_plans(as_of=as_of).raised] == ["Day 120"]


def test_the_lead_time_is_configurable(as_of, run, mona, settings):
    renewing(as_of=as_of, ends_in_days=150, run=run, status=OFF, success_manager=mona)
    settings.RENEWAL_PLAN_LEAD_DAYS = 180
    assert len(raise_renewal_plans(as_of=as_of).raised) == 1


@pytest.mark.parametrize("lead_days", [0, 400, "soon"])
def test_a_bad_lead_time_is_refused(as_of, lead_days):
    with pytest.raises(RenewalError, match="the lead time must be a whole number of days from 1 to 365"):
        raise_renewal_plans(as_of=as_of, lead_days=lead_days)


def test_raising_plans_again_adds_nothing_twice(as_of, run, mona):
    renewing(as_of=as_of, ends_in_days=100, run=run, status=OFF, success_manager=mona)
    raise_renewal_plans(as_of=as_of)
    again = raise_renewal_plans(as_of=as_of + timedelta(days=1))
    assert (again.raised, again.already_planned) == ([], 1)
    assert (RenewalPlan.objects.count(), Task.objects.count()) == (1, 1)


def test_raising_a_plan_is_audited(as_of, run, mona):
    renewing(as_of=as_of, ends_in_days=100, run=run, status=OFF, success_manager=mona)
    raise_renewal_plans(as_of=as_of)
    assert AuditEntry.objects.filter(action="renewal_plan_raised").count() == 1


def test_without_a_success_manager_the_membership_team_holds_the_plan(as_of, run):
    team = make_team(code="membership", name="Membership")
    renewing(as_of=as_of, ends_in_days=100, run=run, status=OFF)
    [plan] = raise_renewal_plans(as_of=as_of).raised
    assert (plan.task.assignee, plan.task.team) == (None, team)


def test_without_anyone_to_hold_it_the_plan_is_skipped_with_the_reason(as_of, run):
    renewing(as_of=as_of, ends_in_days=100, run=run, status=OFF, name="Nobody's", external_id="M-77")
    result = raise_renewal_plans(as_of=as_of)
    assert result.raised == []
    assert result.skipped == [
        "Nobody's (M-77): no success manager and no team with code 'membership' to hold the plan"
    ]


def test_the_pipeline_shows_the_plan_in_motion_and_who_holds_it(as_of, run, mona):
    renewing(as_of=as_of, ends_in_days=100, run=run, status=OFF, success_manager=mona)
    [plan] = raise_renewal_plans(as_of=as_of).raised
    [row] = renewal_pipeline(as_of=as_of, window=180).rows
    assert row.plan is not None
    assert (row.plan.status, row.plan.assignee, row.plan.in_motion) == ("open", "Mona Reyes", True)
    plan.task.status = Task.Status.DONE
    plan.task.save()
    [row] = renewal_pipeline(as_of=as_of, window=180).rows
    assert row.plan is not None and (row.plan.status, row.plan.in_motion) == ("done", True)


def test_msm_renewals_plan_prints_what_it_did_as_json(as_of, run, mona):
    renewing(as_of=as_of, ends_in_days=100, run=run, status=OFF, success_manager=mona)
    result = CliRunner().invoke(app, ["renewals", "plan", "--as-of", as_of.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["raised"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--as-of", "2025-31-01"], "is not a date"), (["--lead-days", "forever"], "the lead time must be")],
)
def test_msm_renewals_plan_refuses_bad_options_with_exit_code_2(args, message):
    result = CliRunner().invoke(app, ["renewals", "plan", *args])
    assert result.exit_code == 2
    assert message in result.stderr
