"""The Imports page: admins upload a file of a KIND, see what came in and what was rejected; no one else may."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from membersuccess.accounts.models import Role
from membersuccess.ingest.mappings import column_mapping_save
from membersuccess.ingest.models import ColumnMapping, ImportRun
from membersuccess.members.models import Member
from tests.factories import make_staff_user

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
GOOD_AND_BAD = "external_id,name,joined_on\nM-1,Ada Okafor,2023-01-05\nM-2,Bo Lindqvist,05/01/2023\n"


@pytest.fixture
def admin(db) -> User:
    return make_staff_user(role=Role.ADMIN, username="ines", first_name="Ines", last_name="Admin")


@pytest.fixture
def admin_client(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def csv_file(content: str | bytes, name: str = "members.csv") -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def text(response) -> str:
    """The page as a reader sees it: entities like &#x27; turned back into characters."""
    return html.unescape(response.content.decode())


def upload(client: Client, file: SimpleUploadedFile | None, *, kind: str = "members", mapping: int | None = None):
    data: dict[str, object] = {"kind": kind}
    if file is not None:
        data["file"] = file
    if mapping is not None:
        data["mapping"] = mapping
    return client.post("/imports/", data)


# Who may import -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.SUCCESS_MANAGER])
@pytest.mark.parametrize(
    "path", ["/imports/", "/imports/history/", "/imports/mappings/", "/imports/mappings/new/?kind=members"]
)
def test_only_admins_may_open_the_imports_pages(role, path):
    client = Client()
    client.force_login(make_staff_user(role=role))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE])
def test_an_upload_by_anyone_but_an_admin_is_refused_and_imports_nothing(role):
    client = Client()
    client.force_login(make_staff_user(role=role))
    response = upload(client, csv_file(GOOD_AND_BAD))
    assert response.status_code == 403
    assert not Member.objects.exists()
    assert not ImportRun.objects.exists()


def test_the_refusal_is_a_page_in_the_products_layout(db):
    client = Client()
    client.force_login(make_staff_user(role=Role.EXECUTIVE))
    response = client.get("/imports/")
    assert response.status_code == 403
    page = text(response)
    assert "Your role does not give access to this page." in page
    assert '<a class="skip-link" href="#content">Skip to content</a>' in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/imports/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/imports/"


def test_the_imports_link_is_shown_to_admins_only(admin_client):
    assert 'href="/imports/"' in admin_client.get("/").content.decode()
    staff = Client()
    staff.force_login(make_staff_user(role=Role.EXECUTIVE))
    assert 'href="/imports/"' not in staff.get("/").content.decode()


def test_the_page_offers_every_kind_and_the_saved_mappings(admin_client):
    column_mapping_save(
        kind="members", name="Raiser's Edge",
        labels={"external_id": "Constituent Code", "name": "Display Name", "joined_on": "Member Since Date"},
    )
    page = admin_client.get("/imports/").content.decode()
    for kind in ["members", "memberships", "interactions", "tickets", "surveys", "outcomes"]:
        assert f'value="{kind}"' in page
    assert "Raiser&#x27;s Edge (members)" in page
    assert 'enctype="multipart/form-data"' in page


# A good upload --------------------------------------------------------------------------------


def test_an_upload_is_imported_and_shows_counts_and_the_rejected_row(admin_client, admin, settings):
    response = upload(admin_client, csv_file(GOOD_AND_BAD, name="Spring members.csv"))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{run.pk}/"
    assert list(Member.objects.values_list("external_id", flat=True)) == ["M-1"]
    assert (run.rows_read, run.rows_created, run.rows_rejected, run.status) == (2, 1, 1, "completed")
    assert run.started_by == admin
    assert run.original_name == "Spring members.csv"

    page = text(admin_client.get(response["Location"]))
    assert "Import of Spring members.csv" in page
    assert '<dd id="count-created">1</dd>' in page
    assert '<dd id="count-rejected">1</dd>' in page
    assert "<td>joined_on</td>" in page
    assert "<td>'05/01/2023' is ambiguous (day/month or month/day?); write the date as ISO 8601" in page
    assert f'href="/imports/{run.pk}/rejects.csv"' in page


def test_the_file_is_kept_under_the_data_directory_with_its_rejects_beside_it(admin_client, settings):
    upload(admin_client, csv_file(GOOD_AND_BAD))
    run = ImportRun.objects.get()
    stored = Path(run.file_name)
    imports = Path(settings.DATA_DIR) / "imports"
    assert stored.parent.parent == imports
    assert stored.name == "upload.csv"
    assert stored.read_text(encoding="utf-8") == GOOD_AND_BAD
    assert Path(run.rejects_path) == stored.with_name("rejects.csv")
    assert "_reason" in Path(run.rejects_path).read_text(encoding="utf-8")


def test_the_uploaders_file_name_never_becomes_part_of_the_path(admin_client, settings):
    upload(admin_client, csv_file(GOOD_AND_BAD, name="../../../../tmp/evil.csv"))
    run = ImportRun.objects.get()
    assert Path(run.file_name).resolve().is_relative_to(Path(settings.DATA_DIR).resolve() / "imports")
    assert run.original_name == "evil.csv"
    assert not (Path(settings.DATA_DIR).parent / "evil.csv").exists()


def test_a_very_long_file_name_is_shortened_but_keeps_its_extension(admin_client):
    response = upload(admin_client, csv_file(GOOD_AND_BAD, name="m" * 400 + ".csv"))
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert len(run.original_name) == 255
    assert run.original_name.endswith("mmm.csv")


def test_each_upload_gets_a_directory_of_its_own(admin_client, settings):
    upload(admin_client, csv_file(GOOD_AND_BAD))
    upload(admin_client, csv_file(GOOD_AND_BAD))
    folders = list((Path(settings.DATA_DIR) / "imports").iterdir())
    assert len(folders) == 2
    assert Member.objects.count() == 1  # the second import added nothing twice


def test_an_upload_of_the_shipped_example_has_no_rejects(admin_client):
    response = upload(admin_client, csv_file((EXAMPLES / "members.csv").read_bytes()))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert (run.rows_created, run.rows_rejected) == (3, 0)
    page = admin_client.get(response["Location"]).content.decode()
    assert "Rejected rows" not in page


def test_an_excel_upload_is_imported(admin_client):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["external_id", "name", "joined_on"])
    sheet.append(["X-1", "Chen Wei", "2023-03-04"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(admin_client, SimpleUploadedFile("export.xlsx", buffer.getvalue()))
    assert response.status_code == 302
    assert Member.objects.get().name == "Chen Wei"


def test_importer_notes_are_shown_with_the_run(admin_client):
    response = upload(admin_client, csv_file("external_id;name;joined_on;Favourite colour\nM-1;Ada;2023-01-05;blue\n"))
    page = admin_client.get(response["Location"]).content.decode()
    assert "columns are separated by &#x27;;&#x27;" in page
    assert "unknown column(s) Favourite colour kept in attributes" in page


def test_text_from_the_file_is_escaped_on_the_run_page(admin_client):
    response = upload(
        admin_client, csv_file("external_id,name,joined_on,<script>alert(1)</script>\nM-1,Ada,not-a-date,x\n")
    )
    page = admin_client.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Through a saved mapping ------------------------------------------------------------------------


@pytest.fixture
def raisers_edge(db) -> ColumnMapping:
    return column_mapping_save(
        kind="members", name="Raiser's Edge",
        labels={"external_id": "Constituent Code", "name": "Display Name", "joined_on": "Member Since Date"},
    )


def test_an_upload_through_a_saved_mapping(admin_client, raisers_edge):
    file = csv_file("Constituent Code,Display Name,Member Since Date\nRE-1,Ada Okafor,2023-02-14\n")
    response = upload(admin_client, file, mapping=raisers_edge.pk)
    assert response.status_code == 302
    assert Member.objects.get().external_id == "RE-1"
    run = ImportRun.objects.get()
    assert run.mapping_name == "Raiser's Edge"
    assert "with the mapping “Raiser&#x27;s Edge”" in admin_client.get(response["Location"]).content.decode()


def test_a_mapping_for_another_kind_is_refused_on_the_form(admin_client, raisers_edge):
    response = upload(admin_client, csv_file("external_id\n"), kind="tickets", mapping=raisers_edge.pk)
    assert response.status_code == 400
    assert "The mapping “Raiser's Edge” is for members files; choose a tickets mapping or none." in text(response)
    assert not ImportRun.objects.exists()


# Bad uploads: a clear message on the form, nothing lost -----------------------------------------


def form_errors(response) -> str:
    assert response.status_code == 400
    return text(response)


def test_no_file(admin_client):
    page = form_errors(upload(admin_client, None))
    assert "Choose a file to import." in page
    assert not ImportRun.objects.exists()


def test_an_empty_form(admin_client):
    page = form_errors(admin_client.post("/imports/", {}))
    assert "Choose a file to import." in page
    assert not ImportRun.objects.exists()


def test_an_unknown_extension(admin_client, settings):
    page = form_errors(upload(admin_client, csv_file("external_id,name\n", name="members.pdf")))
    assert ".pdf files cannot be imported; use one of .csv, .jsonl, .ndjson, .parquet, .pq, .tsv, .txt, .xlsx." in page
    assert not ImportRun.objects.exists()
    assert not (Path(settings.DATA_DIR) / "imports").exists()


def test_a_file_without_an_extension(admin_client):
    page = form_errors(upload(admin_client, csv_file("external_id,name\n", name="members")))
    assert "Files without an extension cannot be imported" in page


def test_an_empty_file(admin_client, settings):
    page = form_errors(upload(admin_client, csv_file(b"")))
    assert "The file is empty; choose a file with a header row and at least one row." in page
    assert not ImportRun.objects.exists()


def test_an_unreadable_file_is_refused_and_recorded(admin_client):
    response = upload(admin_client, SimpleUploadedFile("export.xlsx", b"this is not a spreadsheet"))
    page = form_errors(response)
    assert "export.xlsx: is not a readable Excel .xlsx file" in page
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.original_name == "export.xlsx"
    assert f'href="/imports/{run.pk}/"' in response.content.decode()
    assert Path(run.file_name).read_bytes() == b"this is not a spreadsheet"  # kept to look at


def test_a_file_missing_a_required_column_names_it(admin_client):
    page = form_errors(upload(admin_client, csv_file("external_id,name\nM-1,Ada\n")))
    assert "members.csv: missing required column(s) joined_on" in page
    assert not Member.objects.exists()


def test_a_file_with_only_a_header_imports_nothing_but_says_so(admin_client):
    response = upload(admin_client, csv_file("external_id,name,joined_on\n"))
    page = admin_client.get(response["Location"]).content.decode()
    assert '<dd id="count-read">0</dd>' in page
    assert "the file has a header but no rows" in page


def test_an_unknown_kind_is_refused(admin_client):
    page = form_errors(upload(admin_client, csv_file(GOOD_AND_BAD), kind="donations"))
    assert "Select a valid choice. donations is not one of the available choices." in page


def test_the_imports_pages_keep_the_shared_layout_rules(admin_client):
    from tests.web.test_layout import Page

    column_mapping_save(
        kind="members", name="AMS",
        labels={"external_id": "Constituent Code", "name": "Display Name", "joined_on": "Member Since Date"},
    )
    run = ImportRun.objects.get(pk=upload(admin_client, csv_file(GOOD_AND_BAD)).url.strip("/").split("/")[-1])
    for path in ["/imports/", "/imports/history/", f"/imports/{run.pk}/", "/imports/mappings/",
                 "/imports/mappings/new/?kind=interactions"]:
        html_text = admin_client.get(path).content.decode()
        page = Page(html_text)
        for control in page.controls:
            assert control.get("id") in page.label_targets or control.get("aria-label"), (path, control)
        unnamed = [t for t in page.tables if not (t.get("aria-label") or t.get("aria-labelledby"))]
        assert len(unnamed) <= page.captions, path
        assert all(url.startswith("/static/") for url in page.asset_urls), path
