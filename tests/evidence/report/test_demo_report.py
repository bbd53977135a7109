"""On the demo association the report renders to HTML and PDF with every section, and its numbers are the
backtest's and the retention arithmetic's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader
from typer.testing import CliRunner

from membersuccess.accounts.models import Role
from membersuccess.cli import app
from membersuccess.evidence.backtest import backtest
from membersuccess.evidence.report.build import BACKTEST_HORIZON_DAYS
from membersuccess.evidence.report.renewals import YEAR
from membersuccess.evidence.report.sections import TITLES, num, pct
from membersuccess.members.models import MembershipTerm
from membersuccess.scoring.models import ScoreRun
from tests.evidence.report.conftest import DEMO_AS_OF, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def flat(text: str) -> str:
    """Text with runs of whitespace (PDF line breaks) made single spaces."""
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("title", list(TITLES.values()))
def test_every_section_is_in_the_pdf(rendered_demo, title):
    assert flat(title) in flat(rendered_demo.pdf_text)


@pytest.mark.parametrize("title", list(TITLES.values()))
def test_every_section_is_in_the_html(rendered_demo, title):
    assert f"<h2>{title}</h2>" in rendered_demo.html.replace("&#x27;", "'")


def test_the_pdf_has_several_pages_starting_with_the_summary(rendered_demo):
    assert len(rendered_demo.pdf_pages) >= 4
    assert "At a glance" in rendered_demo.pdf_pages[0]
    assert f"As of {DEMO_AS_OF}" in rendered_demo.pdf_pages[0]


def test_the_backtest_figures_are_those_of_the_backtest_run_a_year_earlier(rendered_demo):
    expected = backtest(as_of=DEMO_AS_OF - YEAR, horizon_days=BACKTEST_HORIZON_DAYS)
    shown = rendered_demo.report.backtest
    assert shown is not None, rendered_demo.report.backtest_note
    assert (shown.auc, shown.brier, shown.members) == (expected.auc, expected.brier, expected.members)
    text = flat(rendered_demo.pdf_text)
    assert f"AUC {num(expected.auc)}" in text
    assert f"Brier score {num(expected.brier)}" in text
    for baseline in expected.baselines:
        assert num(baseline.auc) in text and num(baseline.auc) in rendered_demo.html


def test_the_vector_beats_both_baselines_in_the_report(rendered_demo):
    shown = rendered_demo.report.backtest
    assert shown is not None, rendered_demo.report.backtest_note
    assert shown.auc is not None
    assert all(b.auc is not None and shown.auc > b.auc for b in shown.baselines)


def test_member_retention_is_renewed_over_decided_terms_of_the_last_year(rendered_demo):
    window = MembershipTerm.objects.filter(end_on__gt=DEMO_AS_OF - YEAR, end_on__lte=DEMO_AS_OF)
    renewed = window.filter(status__in=["renewed", "upgraded", "downgraded"]).count()
    decided = renewed + window.filter(status__in=["lapsed", "cancelled"]).count()
    rate = pct(renewed / decided)
    assert rendered_demo.report.retention.member_rate == pytest.approx(renewed / decided)
    assert f"Member retention {rate}" in flat(rendered_demo.pdf_text)
    assert rate in rendered_demo.html


def test_the_html_draws_its_charts_inline_and_fetches_nothing(rendered_demo):
    html = rendered_demo.html
    assert html.count("<svg") >= 8
    assert "<script" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


def test_the_quadrant_names_members_in_both_pdf_and_html(rendered_demo):
    quadrant = rendered_demo.report.quadrant
    named = quadrant.quiet_unsuccessful + quadrant.demanding_successful
    assert named, "the demo has both kinds of member"
    text = flat(rendered_demo.pdf_text)
    for member in named:
        assert member.name in text
        assert member.name in rendered_demo.html


def test_lapsed_members_missed_milestones_more_often_than_those_who_renewed(rendered_demo):
    rows = rendered_demo.report.missed_milestones
    assert rows
    missed_by_lapsed = sum(r.lapsed_missed for r in rows) / sum(r.lapsed_due for r in rows)
    missed_by_renewed = sum(r.renewed_missed for r in rows) / max(1, sum(r.renewed_due for r in rows))
    assert missed_by_lapsed > missed_by_renewed


def test_msm_report_executive_writes_the_html(scored_demo, tmp_path):
    result = CliRunner().invoke(app, ["report", "executive", "--as-of", str(DEMO_AS_OF),
                                      "--out", str(tmp_path / "board.html")])
    assert result.exit_code == 0, result.output
    assert f"Executive report as of {DEMO_AS_OF} written to" in result.output
    assert "<h2>Value at risk</h2>" in (tmp_path / "board.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def kept_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory for the page tests, so the page's report is made once and then served."""
    return tmp_path_factory.mktemp("kept-reports")


@pytest.fixture
def page_data_dir(settings, kept_reports: Path) -> Path:
    settings.DATA_DIR = kept_reports
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return kept_reports


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.SUCCESS_MANAGER, Role.ADMIN])
def test_executives_managers_and_admins_read_the_report_page(scored_demo, page_data_dir, role):
    response = client_for(role).get(reverse("report"))
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert all(f"<h2>{title}</h2>" in html for title in TITLES.values())
    assert f"As of {DEMO_AS_OF}" in html


def test_the_report_page_is_in_the_navigation_and_links_to_the_pdf(scored_demo, page_data_dir):
    client = client_for(Role.EXECUTIVE)
    assert f'href="{reverse("report")}"' in client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("report_pdf")}"' in client.get(reverse("report")).content.decode()


def test_the_pdf_downloads_as_an_attachment_with_the_same_figures(scored_demo, page_data_dir, rendered_demo):
    response = client_for(Role.EXECUTIVE).get(reverse("report_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="executive-report-{DEMO_AS_OF}.pdf"' in response["Content-Disposition"]
    download = page_data_dir / "download.pdf"
    download.write_bytes(b"".join(response.streaming_content))
    text = flat("\n".join(page.extract_text() for page in PdfReader(download).pages))
    assert f"Member retention {pct(rendered_demo.report.retention.member_rate)}" in text


def test_the_page_makes_the_report_once_per_scoring_run(scored_demo, page_data_dir):
    client = client_for(Role.SUCCESS_MANAGER)
    client.get(reverse("report"))
    client.get(reverse("report_pdf"))
    run = ScoreRun.objects.get(status=ScoreRun.Status.COMPLETED)
    kept = sorted(path.name for path in (page_data_dir / "reports").iterdir())
    assert kept == [f"executive-{DEMO_AS_OF}-run{run.pk}.html", f"executive-{DEMO_AS_OF}-run{run.pk}.pdf"]
