"""The signals page: everyone reads what the Success Vector is made of; only admins change it, as new versions."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from membersuccess.accounts.models import AuditEntry, Role
from membersuccess.engine.signals import DEFAULT_SIGNALS
from membersuccess.scoring.models import SignalSet
from membersuccess.scoring.services import signal_set_active
from tests.factories import make_staff_user

pytestmark = pytest.mark.django_db


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(make_staff_user(role=role))
    return client


@pytest.fixture
def admin() -> Client:
    return signed_in(Role.ADMIN)


def edit_data(client: Client) -> dict[str, object]:
    """The edit form's POST data as the page renders it, ready to change one field."""
    response = client.get("/signals/edit/")
    assert response.status_code == 200
    formset, params_form = response.context["formset"], response.context["params_form"]
    data: dict[str, object] = {
        f"signals-{key}": value for key, value in formset.management_form.initial.items()
    }
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False:
                continue
            data[f"{form.prefix}-{name}"] = "on" if value is True else value
    for name in params_form.fields:
        value = params_form.initial.get(name)
        if value is not None:
            data[name] = value
    return data


def exported(client: Client) -> dict:
    """The active signals as the export button downloads them."""
    version = signal_set_active().version
    return json.loads(client.get(f"/signals/versions/{version}/export/").content)


def upload(document: object, name: str = "signals.json") -> SimpleUploadedFile:
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


def test_the_first_visit_shows_the_default_signals_as_version_1(admin):
    html = admin.get("/signals/").content.decode()
    assert "In use: version 1" in html
    for signal in DEFAULT_SIGNALS:
        assert f"<code>{signal.name}</code>" in html
    assert "Milestones reached on time" in html
    assert SignalSet.objects.count() == 1


@pytest.mark.parametrize("role", [Role.SUCCESS_MANAGER, Role.STAFF, Role.EXECUTIVE])
def test_other_roles_read_the_signals_without_ways_to_change_them(role):
    client = signed_in(role)
    html = client.get("/signals/").content.decode()
    assert "events attended" in html.lower()
    assert "Only admins change signals and weights." in html
    assert 'href="/signals/edit/"' not in html
    assert 'action="/signals/import/"' not in html


@pytest.mark.parametrize("role", [Role.SUCCESS_MANAGER, Role.STAFF, Role.EXECUTIVE])
def test_the_server_refuses_changes_from_other_roles(role):
    client = signed_in(role)
    before = signal_set_active().definition
    assert client.get("/signals/edit/").status_code == 403
    assert client.post("/signals/edit/", {"signals-TOTAL_FORMS": "0"}).status_code == 403
    assert client.post("/signals/import/", {"file": upload(before)}).status_code == 403
    assert client.post("/signals/versions/1/restore/").status_code == 403
    assert SignalSet.objects.count() == 1


def test_an_admin_changes_a_weight_and_the_save_is_a_new_active_version(admin):
    data = edit_data(admin)
    assert data["signals-0-name"] == "events_attended"
    data["signals-0-weight"] = "3.5"
    data["note"] = "Events matter more to our members"
    response = admin.post("/signals/edit/", data)
    assert response.status_code == 302
    active = signal_set_active()
    assert active.version == 2
    assert active.note == "Events matter more to our members"
    assert active.definition["signals"][0]["weight"] == 3.5
    assert SignalSet.objects.get(version=1).definition["signals"][0]["weight"] == 1.5  # history kept
    assert AuditEntry.objects.filter(action="signal_set_saved", object_id="2").exists()
    assert "Saved as version 2" in admin.get("/signals/").content.decode()


def test_an_admin_changes_the_milestone_weight_and_the_bands(admin):
    data = edit_data(admin)
    data["milestone_weight"] = "6"
    data["low_band"] = "35"
    assert admin.post("/signals/edit/", data).status_code == 302
    params = signal_set_active().definition["params"]
    assert (params["milestone_weight"], params["low_band"]) == (6.0, 35.0)


def test_an_admin_adds_a_signal_in_the_blank_row_and_removes_another(admin):
    data = edit_data(admin)
    blank = int(data["signals-TOTAL_FORMS"]) - 1
    data.update({
        f"signals-{blank}-name": "mentoring_sessions",
        f"signals-{blank}-label": "mentoring sessions",
        f"signals-{blank}-aggregation": "count",
        f"signals-{blank}-sources": "mentoring",
        f"signals-{blank}-kinds": "mentoring_session, mentor_meeting",
        f"signals-{blank}-window_days": "180",
        f"signals-{blank}-direction": "helps",
        f"signals-{blank}-target": "3",
        f"signals-{blank}-weight": "1",
        "signals-1-DELETE": "on",
    })
    assert admin.post("/signals/edit/", data).status_code == 302
    signals = signal_set_active().definition["signals"]
    names = [s["name"] for s in signals]
    assert names[-1] == "mentoring_sessions" and "ce_credits" not in names
    assert signals[-1]["kinds"] == ["mentoring_session", "mentor_meeting"]


def test_an_invalid_edit_saves_nothing_and_says_which_field_to_fix(admin):
    data = edit_data(admin)
    data["signals-0-weight"] = "-1"
    response = admin.post("/signals/edit/", data)
    assert response.status_code == 400
    assert "Nothing was saved." in response.content.decode()
    assert response.context["formset"].forms[0].errors["weight"]
    assert SignalSet.objects.count() == 1


def test_a_rule_only_the_engine_knows_is_shown_next_to_the_field_it_names(admin):
    data = edit_data(admin)
    index = next(i for i in range(20) if data.get(f"signals-{i}-aggregation") == "open_tickets")
    data[f"signals-{index}-direction"] = "helps"  # open tickets can only hurt
    response = admin.post("/signals/edit/", data)
    assert response.status_code == 400
    assert "open_tickets can only hurt" in " ".join(response.context["formset"].forms[index].errors["direction"])
    assert SignalSet.objects.count() == 1


def test_export_downloads_the_active_set_as_a_json_file(admin):
    active = signal_set_active()
    response = admin.get(f"/signals/versions/{active.version}/export/")
    assert response["Content-Type"].startswith("application/json")
    assert 'filename="member-success-signals-v1.json"' in response["Content-Disposition"]
    assert json.loads(response.content) == active.definition


def test_an_exported_file_imports_back_as_a_new_version(admin):
    document = exported(admin)
    document["signals"][0]["weight"] = 2.25
    response = admin.post("/signals/import/", {"file": upload(document, "tuned.json"), "note": ""})
    assert response.status_code == 302
    active = signal_set_active()
    assert (active.version, active.note) == (2, "Imported from tuned.json")
    assert active.definition["signals"][0]["weight"] == 2.25


def test_an_import_error_names_the_file_the_signal_and_the_field(admin):
    document = exported(admin)
    document["signals"][2]["weight"] = "heavy"
    response = admin.post("/signals/import/", {"file": upload(document, "tuned.json")})
    assert response.status_code == 400
    html = response.content.decode()
    name = document["signals"][2]["name"]
    assert f"tuned.json: signal &#x27;{name}&#x27;, field &#x27;weight&#x27;" in html
    assert SignalSet.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"signals": [', "not valid JSON (Expecting value at line 1, column 14)"),
        (b"\xff\xfe\x00", "is not UTF-8 text"),
        (b'["events"]', 'expected an object with a &quot;signals&quot; list'),
    ],
)
def test_a_file_that_is_not_a_signals_file_is_refused_with_a_clear_reason(admin, body, message):
    response = admin.post("/signals/import/", {"file": upload(body, "mine.json")})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SignalSet.objects.count() == 1


def test_older_versions_can_be_viewed_and_used_again(admin):
    data = edit_data(admin)
    data["signals-0-weight"] = "9"
    admin.post("/signals/edit/", data)
    html = admin.get("/signals/versions/1/").content.decode()
    assert "Not in use" in html and "Use this version again" in html
    assert admin.post("/signals/versions/1/restore/").status_code == 302
    active = signal_set_active()
    assert (active.version, active.note) == (3, "Restored version 1")
    assert active.definition == SignalSet.objects.get(version=1).definition
    assert admin.get("/signals/versions/99/").status_code == 404


def test_a_label_with_markup_is_shown_as_text(admin):
    document = exported(admin)
    document["signals"][0]["label"] = '<script>alert("x")</script>'
    assert admin.post("/signals/import/", {"file": upload(document)}).status_code == 302
    for path in ["/signals/", "/signals/versions/2/", "/signals/edit/"]:
        html = admin.get(path).content.decode()
        assert '<script>alert("x")</script>' not in html, path
        assert "&lt;script&gt;" in html, path


def test_signals_are_in_the_main_navigation(admin):
    html = admin.get("/signals/").content.decode()
    assert '<a href="/signals/" class="is-current" aria-current="page">Signals</a>' in html
