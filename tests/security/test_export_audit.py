"""Every file that takes data out of the product is recorded in the audit log: who, what and when.

The first test walks every page an admin may open and checks that each one answering with a file
(an attachment) wrote an audit entry, so a new download cannot escape the log; the others pin the
entry each export writes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from typer.testing import CliRunner

from membersuccess.accounts.models import AuditEntry
from membersuccess.cli import app
from membersuccess.evidence.report.stored import StoredReport
from membersuccess.scoring.services import signal_set_active
from tests.security.access_matrix import ROUTES
from tests.security.routes import route_path, url_routes
from tests.security.world import Who, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def admin(world: World) -> Client:
    return world.client(Who.ADMIN)


def _latest(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("at")


def test_every_download_an_admin_can_make_is_audited(world, admin):
    downloads, unaudited = [], []
    for route in url_routes():
        access = ROUTES.get(route.name)
        if access is None or access.get is None or Who.ADMIN not in access.get:
            continue
        path = route_path(route, dict(access.kwargs(world) if access.kwargs else {}))
        before = AuditEntry.objects.count()
        response = admin.get(path)
        if "attachment" not in response.get("Content-Disposition", ""):
            continue
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)  # a streamed file is audited by the time it is read
        downloads.append(route.name)
        if AuditEntry.objects.count() == before:
            unaudited.append(route.name)
    assert {"renewals_csv", "import_rejects", "signals_export", "member_data_export"} <= set(downloads)
    assert not unaudited, f"downloads that leave no audit entry: {', '.join(unaudited)}"


def test_the_renewal_pipeline_csv_is_audited(admin, world):
    admin.get("/renewals/pipeline.csv")
    entry = _latest("renewal_pipeline_exported")
    assert entry.actor == world.users[Who.ADMIN]


def test_a_rejects_download_is_audited(admin, world):
    kwargs = ROUTES["import_rejects"].kwargs
    assert kwargs is not None
    run_pk = kwargs(world)["pk"]
    b"".join(admin.get(f"/imports/{run_pk}/rejects.csv").streaming_content)
    entry = _latest("rejects_downloaded")
    assert (entry.actor, entry.object_id) == (world.users[Who.ADMIN], str(run_pk))


def test_a_signals_export_is_audited(world):
    reader = world.client(Who.EXECUTIVE)
    version = signal_set_active().version
    response = reader.get(f"/signals/versions/{version}/export/")
    assert response.status_code == 200
    entry = _latest("signal_set_exported")
    assert (entry.actor, entry.object_type, entry.object_id) == (world.users[Who.EXECUTIVE], "signal_set",
                                                                  str(version))
    assert entry.detail["ip"] == "127.0.0.1"


def test_the_executive_report_pdf_download_is_audited(world, tmp_path, monkeypatch):
    pdf = tmp_path / "executive.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    stored = StoredReport(as_of=date(2024, 6, 1), run_id=7, html_path=tmp_path / "x.html", pdf_path=pdf)
    monkeypatch.setattr("membersuccess.web.report_views.latest_report", lambda: stored)
    response = world.client(Who.EXECUTIVE).get("/report/executive.pdf")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = _latest("executive_report_downloaded")
    assert (entry.actor, entry.object_type, entry.object_id) == (world.users[Who.EXECUTIVE], "score_run", "7")
    assert entry.detail["as_of"] == "2024-06-01"


def test_a_member_data_export_is_audited(admin, world):
    admin.get(f"/members/{world.member.pk}/data.json")
    entry = _latest("member_data_exported")
    assert (entry.actor, entry.object_id) == (world.users[Who.ADMIN], str(world.member.pk))


def test_msm_report_executive_is_audited(world, tmp_path: Path):
    target = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "executive", "--as-of", "2024-06-01", "--out", str(target)])
    assert result.exit_code == 0, result.output
    entry = _latest("executive_report_exported")
    assert entry.detail["file"] == str(target)
    assert entry.detail["as_of"] == "2024-06-01"


def test_msm_member_export_is_audited(world, tmp_path: Path):
    target = tmp_path / "member.json"
    result = CliRunner().invoke(app, ["member", "export", world.member.external_id, "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text())["member"]["external_id"] == world.member.external_id
    assert _latest("member_data_exported").object_id == str(world.member.pk)
