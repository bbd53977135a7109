"""`build_demo` loads the generated association through the real import path, with zero rejects."""

from __future__ import annotations

import pytest

from membersuccess.demo.blueprint import DEMO_PASSWORD, DEMO_USERNAME, STAFF
from membersuccess.demo.generator import IMPORT_ORDER
from membersuccess.demo.services import build_demo
from membersuccess.ingest.models import ImportRun
from membersuccess.interactions.models import Interaction, SupportTicket, SurveyResponse
from membersuccess.members.models import DesiredOutcome, Member, MembershipTerm
from tests.demo.conftest import AS_OF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_fast_password_hasher")]
MEMBERS = 300


@pytest.fixture
def summary(settings):
    return build_demo(members=MEMBERS, seed=5, data_dir=settings.DATA_DIR, as_of=AS_OF)


def test_the_demo_imports_without_a_single_reject(summary):
    assert summary.rejected == 0
    assert all(result.rows_rejected == 0 for result in summary.imports.values())
    assert all(result.rejects_path is None for result in summary.imports.values())


def test_the_files_are_imported_in_order_through_the_import_path(summary, settings):
    runs = ImportRun.objects.order_by("started_at", "pk")
    assert [run.kind for run in runs] == list(IMPORT_ORDER)
    assert all(run.status == ImportRun.Status.COMPLETED for run in runs)
    assert summary.import_dir == settings.DATA_DIR / "demo-import"


def test_the_summary_counts_what_the_database_holds(summary):
    assert summary.members == Member.objects.count() == MEMBERS
    assert summary.terms == MembershipTerm.objects.count()
    assert summary.outcomes == DesiredOutcome.objects.count() == MEMBERS
    assert summary.interactions == Interaction.objects.count() > 50 * MEMBERS
    assert summary.tickets == SupportTicket.objects.count() > 0
    assert summary.surveys == SurveyResponse.objects.count() > 0
    assert summary.staff == len(STAFF)
    assert summary.counts()["members"] == MEMBERS


def test_every_member_is_on_a_journey_with_a_success_manager(summary):
    assert not Member.objects.filter(journey__isnull=True).exists()
    assert not Member.objects.filter(success_manager__isnull=True).exists()
    assert DesiredOutcome.objects.filter(is_current=True).count() == MEMBERS
    assert Member.objects.filter(status=Member.Status.LAPSED).exists()


def test_the_summary_names_the_demo_login(summary):
    assert (summary.username, summary.password) == (DEMO_USERNAME, DEMO_PASSWORD)


def test_building_the_demo_twice_adds_nothing_twice(summary, settings):
    again = build_demo(members=MEMBERS, seed=5, data_dir=settings.DATA_DIR, as_of=AS_OF)
    assert again.rejected == 0
    assert sum(result.rows_created for result in again.imports.values()) == 0
    assert Member.objects.count() == MEMBERS
    assert Interaction.objects.count() == summary.interactions


def test_progress_ends_at_the_member_count(settings):
    seen: list[int] = []
    build_demo(members=120, seed=2, data_dir=settings.DATA_DIR, as_of=AS_OF, progress=seen.append)
    assert seen[-1] == 120
    assert seen == sorted(seen)
