"""In a real browser (Debian's chromium): an admin uploads a file with one bad row, sees the counts and
the reject, downloads the rejects and finds the import in the history."""

from __future__ import annotations

from pathlib import Path

import pytest

from membersuccess.accounts.models import Role
from membersuccess.members.models import Member
from tests.factories import TEST_PASSWORD, make_staff_user
from tests.web.test_browser import browser  # noqa: F401  (the shared chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "members.csv"


def log_in_as_admin(page, live_server) -> None:
    make_staff_user(role=Role.ADMIN, username="ines", first_name="Ines", last_name="Admin")
    page.goto(f"{live_server.url}/imports/")
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/imports/")


def test_an_admin_uploads_a_file_sees_the_reject_and_finds_it_in_the_history(
    browser, live_server, tmp_path: Path  # noqa: F811
):
    # The shipped example plus one row whose date cannot be read.
    upload = tmp_path / "spring members.csv"
    upload.write_text(EXAMPLE.read_text(encoding="utf-8").rstrip("\n") + "\nM-1999,Bad Date,31/02/2024" + ","
                      * 11 + "\n", encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in_as_admin(page, live_server)

    assert page.get_by_role("heading", name="Imports", level=1).is_visible()
    page.get_by_label("Kind of file").select_option("members")
    page.get_by_label("File", exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/imports/*/")

    assert page.get_by_role("heading", level=1).inner_text() == "Import of spring members.csv"
    assert page.locator("#count-read").inner_text() == "4"
    assert page.locator("#count-created").inner_text() == "3"
    assert page.locator("#count-rejected").inner_text() == "1"
    rejects = page.get_by_role("table", name="Rejected rows with line, column and reason")
    assert "joined_on" in rejects.inner_text()
    assert "5" in rejects.locator("td").first.inner_text()
    assert Member.objects.count() == 3
    page.screenshot(path=str(tmp_path / "import-run-1280.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all rejected rows (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-members-rejects.csv")
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.splitlines()[0].endswith("_line,_column,_reason")
    assert "M-1999" in content

    page.get_by_role("link", name="All imports").click()
    page.wait_for_url("**/imports/history/")
    history = page.get_by_role("table", name="Imports, newest first")
    assert "spring members.csv" in history.inner_text()
    assert "Completed" in history.inner_text()
    page.screenshot(path=str(tmp_path / "import-history-1280.png"), full_page=True)


def test_a_bad_upload_shows_its_message_on_the_form(browser, live_server, tmp_path: Path):  # noqa: F811
    wrong = tmp_path / "members.pdf"
    wrong.write_bytes(b"%PDF-1.4")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    log_in_as_admin(page, live_server)
    page.get_by_label("File", exact=True).set_input_files(str(wrong))
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").filter(has_text=".pdf files cannot be imported").is_visible()
    page.screenshot(path=str(tmp_path / "import-bad-upload-390.png"), full_page=True)
    assert Member.objects.count() == 0
