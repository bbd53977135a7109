"""The import history: every run newest first, each with its counts, and its rejects as a guarded CSV download."""

from __future__ import annotations

import csv
import html
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from membersuccess.accounts.models import AuditEntry, Role
from membersuccess.ingest.history import RUNS_PER_PAGE
from membersuccess.ingest.models import ImportRun
from membersuccess.ingest.services import run_import
from tests.factories import make_staff_user

pytestmark = pytest.mark.django_db

# A header label and cells that a spreadsheet would run as formulas if they were written as they are.
HOSTILE = (
    'external_id,name,joined_on,=HYPERLINK("http://evil.example";"x")\n'
    "M-1,Ada Okafor,2023-01-05,ok\n"
    "M-2,=1+2,not-a-date,@SUM(A1)\n"
    "M-3,-2+3,2023-13-01,+cmd\n"
)


@pytest.fixture
def admin(db) -> User:
    return make_staff_user(role=Role.ADMIN, username="ines", first_name="Ines", last_name="Admin")


@pytest.fixture
def admin_client(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def uploaded(client: Client, content: str, *, name: str = "members.csv", kind: str = "members") -> ImportRun:
    response = client.post("/imports/", {"kind": kind, "file": SimpleUploadedFile(name, content.encode())})
    assert response.status_code == 302, text(response)
    return ImportRun.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def make_run(*, file_name: str = "members.csv", minutes_ago: int = 0, **fields) -> ImportRun:
    run = ImportRun.objects.create(kind=fields.pop("kind", "members"), file_name=file_name, **fields)
    ImportRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(minutes=minutes_ago))
    run.refresh_from_db()
    return run


def download_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body)))


# The list -------------------------------------------------------------------------------------


def test_the_history_lists_runs_newest_first_with_who_what_and_counts(admin_client, admin):
    make_run(file_name="/srv/old.csv", minutes_ago=60, rows_read=10, rows_created=10, status="completed")
    make_run(
        file_name="/srv/data/imports/x/upload.csv", original_name="Spring members.csv", minutes_ago=5, rows_read=7,
        rows_created=4, rows_updated=1, rows_unchanged=1, rows_rejected=1, status="completed", started_by=admin,
        mapping_name="Raiser's Edge",
    )
    make_run(file_name="/srv/broken.xlsx", kind="tickets", minutes_ago=1, status="failed",
             error="is not a readable Excel .xlsx file")
    page = text(admin_client.get("/imports/history/"))
    assert page.index("broken.xlsx") < page.index("Spring members.csv") < page.index("old.csv")
    assert "upload.csv" not in page  # the stored name stays behind the scenes
    assert "Ines Admin" in page
    assert "mapping: Raiser's Edge" in page
    assert "is not a readable Excel .xlsx file" in page
    assert '<span class="badge badge--run-failed">Failed</span>' in page
    assert "CLI or API" in page
    assert "3 imports, newest first" in page


def test_the_history_is_paged(admin_client):
    for minutes in range(RUNS_PER_PAGE + 3):
        make_run(file_name=f"file-{minutes:02d}.csv", minutes_ago=minutes)
    first = text(admin_client.get("/imports/history/"))
    assert "file-00.csv" in first and f"file-{RUNS_PER_PAGE - 1:02d}.csv" in first
    assert f"file-{RUNS_PER_PAGE:02d}.csv" not in first
    second = text(admin_client.get("/imports/history/?page=2"))
    assert f"file-{RUNS_PER_PAGE + 2:02d}.csv" in second
    assert "file-00.csv" not in second


def test_an_empty_history_says_so(admin_client):
    assert "Nothing has been imported yet." in text(admin_client.get("/imports/history/"))


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.SUCCESS_MANAGER])
def test_the_history_and_its_runs_are_for_admins_only(role):
    run = make_run()
    client = Client()
    client.force_login(make_staff_user(role=role))
    assert client.get("/imports/history/").status_code == 403
    assert client.get(f"/imports/{run.pk}/").status_code == 403


# One run ------------------------------------------------------------------------------------


def test_a_run_page_shows_its_counts_and_first_rejects(admin_client):
    run = uploaded(admin_client, HOSTILE)
    page = text(admin_client.get(f"/imports/{run.pk}/"))
    assert (run.rows_read, run.rows_created, run.rows_rejected) == (3, 1, 2)
    assert "Every rejected row." in page
    assert '<td class="num">3</td><td>joined_on</td>' in page
    assert "'not-a-date' is not an ISO 8601 date" in page


def test_a_run_with_many_rejects_shows_the_first_twenty_and_the_download(admin_client):
    rows = "".join(f"M-{n},Name {n},never\n" for n in range(30))
    run = uploaded(admin_client, "external_id,name,joined_on\n" + rows)
    page = text(admin_client.get(f"/imports/{run.pk}/"))
    assert "The first 20 of 30 rejected rows." in page
    assert page.count("'never' is not an ISO 8601 date") == 20
    assert f'href="/imports/{run.pk}/rejects.csv"' in page


def test_an_unknown_run_is_404(admin_client):
    assert admin_client.get("/imports/999999/").status_code == 404


# The rejects download -------------------------------------------------------------------------


def test_the_rejects_download_is_a_csv_attachment_with_line_column_and_reason(admin_client):
    run = uploaded(admin_client, HOSTILE)
    response = admin_client.get(f"/imports/{run.pk}/rejects.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="import-{run.pk}-members-rejects.csv"'
    header, *rows = download_rows(response)
    assert header[-3:] == ["_line", "_column", "_reason"]
    assert [(row[-3], row[-2]) for row in rows] == [("3", "joined_on"), ("4", "joined_on")]
    assert rows[0][0] == "M-2"


def test_the_rejects_download_never_hands_a_spreadsheet_a_formula(admin_client):
    run = uploaded(admin_client, HOSTILE)
    header, *rows = download_rows(admin_client.get(f"/imports/{run.pk}/rejects.csv"))
    assert header[3] == '\'=HYPERLINK("http://evil.example";"x")'
    assert rows[0][1] == "'=1+2"
    assert rows[0][3] == "'@SUM(A1)"
    assert rows[1][1] == "'-2+3"
    assert rows[1][3] == "'+cmd"
    for cell in [*header, *(cell for row in rows for cell in row)]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_the_stored_rejects_file_keeps_its_guard_and_the_download_does_not_add_a_second(admin_client):
    run = uploaded(admin_client, HOSTILE)
    with Path(run.rejects_path).open(newline="", encoding="utf-8") as handle:
        stored = list(csv.reader(handle))
    assert stored[1][1] == "'=1+2"  # the importer guards the original cells itself
    _header, *rows = download_rows(admin_client.get(f"/imports/{run.pk}/rejects.csv"))
    assert rows[0][1] == "'=1+2"


def test_downloading_rejects_is_recorded_in_the_audit_log(admin_client, admin):
    run = uploaded(admin_client, HOSTILE)
    admin_client.get(f"/imports/{run.pk}/rejects.csv")
    assert AuditEntry.objects.filter(action="rejects_downloaded", actor=admin, object_id=str(run.pk)).exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.SUCCESS_MANAGER])
def test_no_one_but_an_admin_may_download_rejects(admin_client, role):
    run = uploaded(admin_client, HOSTILE)
    client = Client()
    client.force_login(make_staff_user(role=role))
    assert client.get(f"/imports/{run.pk}/rejects.csv").status_code == 403


def test_a_run_without_rejects_has_nothing_to_download(admin_client):
    run = uploaded(admin_client, "external_id,name,joined_on\nM-1,Ada,2023-01-05\n")
    assert admin_client.get(f"/imports/{run.pk}/rejects.csv").status_code == 404


def test_a_rejects_file_outside_the_data_directory_is_never_served(admin_client, tmp_path: Path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    source = outside / "members.csv"
    source.write_text("external_id,name,joined_on\nM-1,Ada,never\n", encoding="utf-8")
    result = run_import(kind="members", path=source)  # as `msm import` run on the server would
    assert result.rejects_path is not None and result.rejects_path.exists()
    assert admin_client.get(f"/imports/{result.run_id}/rejects.csv").status_code == 404
    page = text(admin_client.get(f"/imports/{result.run_id}/"))
    assert "The rejects file cannot be downloaded here: only rejects files inside the data directory are served" in page
    assert str(result.rejects_path) in page


@pytest.mark.parametrize(
    ("name", "content"),
    [("secret_key", "=not-for-download"), ("members.csv", "external_id,name\nM-1,Ada\n")],
)
def test_a_rejects_path_naming_a_file_that_is_not_a_rejects_file_is_not_served(admin_client, settings, name, content):
    other = Path(settings.DATA_DIR) / name
    other.write_text(content, encoding="utf-8")
    run = make_run(rejects_path=str(other), rows_rejected=1)
    assert admin_client.get(f"/imports/{run.pk}/rejects.csv").status_code == 404
    assert content not in text(admin_client.get(f"/imports/{run.pk}/"))
