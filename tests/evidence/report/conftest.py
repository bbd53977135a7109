"""Fixtures for the executive report: a small association of known members, and a scored demo association.

The demo association is built once per module that asks for it, inside a transaction rolled back when the
module ends, so its many rows never leak into other tests; each test runs in its own savepoint on top of it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings
from pypdf import PdfReader

from membersuccess.evidence.report.build import ExecutiveReport, executive_report
from membersuccess.evidence.report.render import write_report
from membersuccess.members.models import MembershipTerm
from tests.factories import (
    make_interaction,
    make_journey,
    make_member,
    make_milestone,
    make_staff_user,
    make_survey,
    make_term,
    make_ticket,
)

DEMO_AS_OF = date(2025, 6, 30)
DEMO_MEMBERS = 300
AS_OF = date(2024, 6, 30)
YEAR_AGO = AS_OF - timedelta(days=365)


@dataclass(frozen=True)
class RenderedDemo:
    """The demo's report, and what it looks like as HTML and as the text of each PDF page."""

    report: ExecutiveReport
    html: str
    pdf_pages: list[str]
    pdf_path: Path

    @property
    def pdf_text(self) -> str:
        return "\n".join(self.pdf_pages)


@pytest.fixture(scope="module")
def scored_demo(django_db_setup, django_db_blocker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A 300-member demo association loaded through the import path and scored as of DEMO_AS_OF."""
    from membersuccess.demo.services import build_demo
    from membersuccess.scoring.services import score_run

    folder = tmp_path_factory.mktemp("report-demo")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(DATA_DIR=folder, PASSWORD_HASHERS=hashers), \
            transaction.atomic():
        build_demo(members=DEMO_MEMBERS, seed=7, data_dir=folder, as_of=DEMO_AS_OF)
        score_run(as_of=DEMO_AS_OF)
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def rendered_demo(scored_demo, django_db_blocker, tmp_path_factory: pytest.TempPathFactory) -> RenderedDemo:
    folder = tmp_path_factory.mktemp("report-files")
    with django_db_blocker.unblock():
        report = executive_report(as_of=DEMO_AS_OF)
    html_path, pdf_path = folder / "executive.html", folder / "executive.pdf"
    write_report(report, path=html_path)
    write_report(report, path=pdf_path)
    pages = [page.extract_text() for page in PdfReader(pdf_path).pages]
    return RenderedDemo(report=report, html=html_path.read_text(encoding="utf-8"), pdf_pages=pages, pdf_path=pdf_path)


@pytest.fixture
def small_association(db):
    """Two members whose terms came up in the year before AS_OF: one reached the first milestone and renewed
    (upgrading), one never did and lapsed; plus a member renewing after AS_OF."""
    journey = make_journey(name="Grow my network")
    first = make_milestone(journey=journey, order=1, name="First event attended", due_offset_days=90,
                           rule={"kinds": ["event_attended"], "aggregation": "count", "threshold": 1})
    joined = date(2022, 9, 1)
    renewer = make_member(name="Rita Renewer", joined_on=joined, journey=journey)
    make_term(member=renewer, start_on=joined, end_on=date(2023, 9, 1), dues="200.00",
              status=MembershipTerm.Status.UPGRADED)
    make_term(member=renewer, start_on=date(2023, 9, 1), end_on=date(2024, 9, 1), dues="300.00")
    for day in (date(2022, 10, 1), date(2023, 3, 1), date(2023, 6, 1), date(2024, 5, 1)):
        make_interaction(member=renewer, occurred_at=day)
    lapsed = make_member(name="Leo Lapsed", joined_on=joined, journey=journey)
    make_term(member=lapsed, start_on=joined, end_on=date(2023, 9, 1), dues="200.00",
              status=MembershipTerm.Status.LAPSED)
    return {"journey": journey, "first": first, "renewer": renewer, "lapsed": lapsed}


@pytest.fixture
def happy_and_demanding(small_association):
    """Quiet Quinn never shows up nor complains and says 9; Dana takes part fully, yet says 3 and opens tickets."""
    journey = small_association["journey"]
    quinn = make_member(name="Quinn <Quiet>", joined_on=date(2023, 1, 1), journey=journey)
    make_term(member=quinn, start_on=date(2024, 1, 1), end_on=date(2025, 1, 1))
    make_survey(member=quinn, score=9, responded_at=date(2024, 5, 1))
    dana = make_member(name="Dana Demanding", joined_on=date(2023, 1, 1), journey=journey)
    make_term(member=dana, start_on=date(2024, 1, 1), end_on=date(2025, 1, 1))
    make_survey(member=dana, score=3, responded_at=date(2024, 5, 1))
    for month in range(1, 7):
        make_interaction(member=dana, occurred_at=date(2024, month, 10))
        make_interaction(member=dana, kind="course_completed", source="lms", value=3, occurred_at=date(2024, month, 12))
        make_interaction(member=dana, kind="committee_meeting", source="volunteering",
                         occurred_at=date(2024, month, 14))
        make_interaction(member=dana, kind="post", source="community", occurred_at=date(2024, month, 16))
    for day in range(1, 20, 3):
        make_interaction(member=dana, kind="login", source="portal", occurred_at=date(2024, 6, day))
        make_interaction(member=dana, kind="download", source="portal", occurred_at=date(2024, 6, day))
        make_interaction(member=dana, kind="email_click", source="email", occurred_at=date(2024, 6, day))
    for day in (5, 20):
        make_ticket(member=dana, opened_at=date(2024, 4, day), resolved_at=date(2024, 4, day + 1))
    return {"quinn": quinn, "dana": dana}


def client_for(role: str) -> Client:
    """A browser signed in as a new staff user with this role."""
    client = Client()
    user: User = make_staff_user(role=role)
    client.force_login(user)
    return client
