"""A member's data on request: everything about them exported, or erased for good (interactions included),
each recorded in the audit log; from the CLI and, for admins, from the member page."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import models
from typer.testing import CliRunner

from membersuccess.accounts.models import AuditEntry, Role
from membersuccess.cli import app
from membersuccess.ingest.services import import_items
from membersuccess.interactions.models import Interaction, SupportTicket, SurveyResponse
from membersuccess.members.models import Contact, DesiredOutcome, Member, MembershipTerm
from membersuccess.members.privacy import (
    EXPORT_FORMAT,
    PrivacyError,
    UnknownMember,
    export_json,
    external_id_hash,
    member_by_id,
    member_data_export,
    member_erase,
    member_erasure_of,
)
from membersuccess.plays.models import Save, Task
from membersuccess.plays.services import record_save
from membersuccess.potential.models import Applicant
from membersuccess.scoring.models import VectorSnapshot
from tests.factories import (
    make_achievement,
    make_contact,
    make_desired_outcome,
    make_interaction,
    make_journey,
    make_member,
    make_milestone,
    make_required_outcome,
    make_staff_user,
    make_survey,
    make_task,
    make_term,
    make_ticket,
)
from tests.web.vector_factories import make_run, make_vector

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_staff_user(role=Role.ADMIN, username="ada")


@pytest.fixture
def dana(admin):
    """A member with something of every kind on record."""
    journey = make_journey(name="Certification path")
    milestone = make_milestone(journey=journey, order=1)
    member = make_member(name="Dana Whitfield", external_id="M-DANA", email="dana@example.org", journey=journey)
    make_contact(member=member, name="Dana Whitfield", email="dana@example.org", is_primary=True)
    make_term(member=member, start_on=date(2024, 1, 1))
    make_desired_outcome(member=member, required_outcome=make_required_outcome(code="certify", name="Certify"))
    make_achievement(member=member, milestone=milestone, achieved_on=date(2024, 3, 1))
    for _ in range(3):
        make_interaction(member=member)
    make_ticket(member=member, subject="Dana cannot log in")
    make_survey(member=member, comment="Dana loves the courses")
    make_task(member=member, title="Call Dana about the exam", assignee=admin)
    record_save(member, reason="Dana thought of leaving", plan="Study group in May", by=admin)
    make_vector(run=make_run(as_of=date(2024, 6, 1)), member=member)
    return member


@pytest.fixture
def bystander():
    member = make_member(name="Bo Bystander", external_id="M-BO")
    make_interaction(member=member)
    make_ticket(member=member)
    return member


# --- Export ------------------------------------------------------------------------------------------------


def test_the_export_holds_everything_about_the_member(dana, admin):
    document = member_data_export(dana, by=admin)
    assert document["format"] == EXPORT_FORMAT
    assert document["member"]["external_id"] == "M-DANA"
    assert document["member"]["email"] == "dana@example.org"
    assert document["counts"] == {
        "contacts": 1, "membership_terms": 1, "desired_outcomes": 1, "milestone_achievements": 1,
        "interactions": 3, "support_tickets": 1, "survey_responses": 1, "tasks": 1, "saves": 1,
        "outreach_messages": 0, "success_vectors": 1, "fit_at_joining": 0, "application": 0,
        "audit_entries": 1,
    }
    assert document["support_tickets"][0]["subject"] == "Dana cannot log in"
    assert document["survey_responses"][0]["comment"] == "Dana loves the courses"
    assert document["desired_outcomes"][0]["required_outcome"] == "certify"
    assert document["audit_entries"][0]["action"] == "member_saved"


def test_the_export_holds_nobody_else(dana, bystander, admin):
    text = export_json(member_data_export(dana, by=admin))
    assert "M-BO" not in text
    assert "Bo Bystander" not in text
    assert json.loads(text)["counts"]["interactions"] == 3


def test_the_export_leaves_out_the_addresses_staff_worked_from(dana, admin):
    AuditEntry.objects.filter(action="member_saved").update(detail={"save": 1, "ip": "10.1.2.3"})
    entries = member_data_export(dana, by=admin)["audit_entries"]
    assert entries[0]["detail"] == {"save": 1}
    assert entries[0]["actor_username"] == "ada"


def test_an_export_is_recorded_in_the_audit_log(dana, admin):
    member_data_export(dana, by=admin)
    entry = AuditEntry.objects.get(action="member_data_exported")
    assert (entry.actor, entry.object_type, entry.object_id) == (admin, "member", str(dana.pk))
    assert entry.detail["counts"]["interactions"] == 3


def test_an_unknown_member_id_is_refused_in_words():
    with pytest.raises(UnknownMember, match="no member with ID 'M-NOBODY'"):
        member_by_id(member_id="M-NOBODY")
    with pytest.raises(UnknownMember, match="Give the member's ID"):
        member_by_id(member_id="  ")


# Every kind of record that points at a member, by the member's accessor, and its list in the export.
SECTION_OF = {
    "contacts": "contacts", "terms": "membership_terms", "desired_outcomes": "desired_outcomes",
    "achievements": "milestone_achievements", "interactions": "interactions", "tickets": "support_tickets",
    "survey_responses": "survey_responses", "tasks": "tasks", "saves": "saves",
    "outreach_messages": "outreach_messages", "vectors": "success_vectors", "fit_at_joining": "fit_at_joining",
    "application": "application",
}


def test_every_kind_of_record_about_a_member_is_exported_and_erased(dana, admin):
    relations = {relation.get_accessor_name(): relation for relation in Member._meta.related_objects}
    unknown = sorted(set(relations) - set(SECTION_OF))
    assert not unknown, f"records about a member that export and erasure do not cover: {unknown} (members/privacy.py)"
    assert set(SECTION_OF.values()) <= set(member_data_export(dana, by=admin)["counts"])
    # What is not deleted with the member (on_delete=CASCADE), the erasure must delete itself.
    not_cascaded = sorted(name for name, relation in relations.items() if relation.on_delete is not models.CASCADE)
    assert not_cascaded == ["application"]


# --- Erasure -----------------------------------------------------------------------------------------------


def test_erasure_removes_the_member_and_everything_about_them(dana, admin):
    pk = dana.pk
    erasure = member_erase(dana, by=admin, reason="Request 2024-117 of 3 June")
    assert not Member.objects.filter(pk=pk).exists()
    for model in (Interaction, SupportTicket, SurveyResponse, Contact, DesiredOutcome, MembershipTerm, Task, Save,
                  VectorSnapshot):
        assert not model.objects.filter(member_id=pk).exists(), model.__name__
    assert erasure.erased["interactions"] == 3
    assert erasure.erased["member"] == 1


def test_erasure_leaves_other_members_alone(dana, bystander, admin):
    member_erase(dana, by=admin, reason="Request 2024-117")
    assert Member.objects.filter(pk=bystander.pk).exists()
    assert bystander.interactions.count() == 1
    assert bystander.tickets.count() == 1


def test_erasure_is_recorded_without_personal_data(dana, admin):
    pk = dana.pk
    erasure = member_erase(dana, by=admin, reason="Request 2024-117")
    entry = AuditEntry.objects.get(action="member_erased")
    assert entry.pk == erasure.audit_entry_id
    assert entry.actor == admin
    assert entry.object_id == external_id_hash("M-DANA")
    assert entry.detail["member_pk"] == pk
    assert entry.detail["reason"] == "Request 2024-117"
    assert entry.detail["erased"]["interactions"] == 3
    every_entry = json.dumps([[e.object_id, e.detail] for e in AuditEntry.objects.all()])
    for personal in ("M-DANA", "Dana", "dana@example.org"):
        assert personal not in every_entry


def test_earlier_audit_entries_about_the_member_keep_who_did_what_but_not_about_whom(dana, admin):
    saved = AuditEntry.objects.get(action="member_saved")
    member_erase(dana, by=admin, reason="Request 2024-117")
    saved.refresh_from_db()
    assert (saved.action, saved.actor) == ("member_saved", admin)
    assert saved.object_id == external_id_hash("M-DANA")
    assert saved.detail == {"redacted": "member erased"}


def test_the_application_that_led_to_the_member_goes_too(dana, admin):
    Applicant.objects.create(external_id="A-1", name="Dana Whitfield", email="dana@example.org",
                             required_outcome=make_required_outcome(), acquisition_channel="web",
                             applied_on=date(2022, 12, 1), member=dana)
    member_erase(dana, by=admin, reason="Request 2024-117")
    assert not Applicant.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_erasure_needs_a_reason(dana, admin, reason):
    with pytest.raises(PrivacyError, match="Say why"):
        member_erase(dana, by=admin, reason=reason)
    assert Member.objects.filter(pk=dana.pk).exists()
    assert not AuditEntry.objects.filter(action="member_erased").exists()


def test_an_overlong_reason_is_refused(dana, admin):
    with pytest.raises(PrivacyError, match="keep it to 500"):
        member_erase(dana, by=admin, reason="x" * 501)
    assert Member.objects.filter(pk=dana.pk).exists()


def test_whether_an_external_id_was_erased_can_be_answered_by_someone_who_knows_it(dana, admin):
    assert member_erasure_of(external_id="M-DANA") is None
    member_erase(dana, by=admin, reason="Request 2024-117")
    assert member_erasure_of(external_id="M-DANA") is not None
    assert member_erasure_of(external_id="M-BO") is None


def test_history_sent_again_for_an_erased_member_is_rejected_as_an_unknown_member(dana, admin):
    member_erase(dana, by=admin, reason="Request 2024-117")
    item = {"external_id": "I-again", "source": "events", "member_id": "M-DANA", "kind": "event_attended",
            "occurred_at": "2024-05-01T10:00:00"}
    result, errors = import_items(kind="interactions", items=[item], label="test")
    assert result.rows_rejected == 1
    assert errors[0]["field"] == "member_id"
    assert not Interaction.objects.filter(external_id="I-again").exists()


def test_a_members_row_imported_again_makes_a_new_member_with_none_of_the_erased_history(dana, admin):
    old_pk = dana.pk
    member_erase(dana, by=admin, reason="Request 2024-117")
    row = {"external_id": "M-DANA", "name": "Dana Whitfield", "joined_on": "2025-02-01"}
    result, errors = import_items(kind="members", items=[row], label="test")
    assert not errors
    assert result.rows_created == 1
    again = Member.objects.get(external_id="M-DANA")
    assert again.pk != old_pk
    assert again.interactions.count() == 0
    assert again.terms.count() == 0


# --- The CLI -----------------------------------------------------------------------------------------------


def test_msm_member_export_writes_the_json_file_and_audits_it(dana, tmp_path):
    target = tmp_path / "dana.json"
    result = CliRunner().invoke(app, ["member", "export", "M-DANA", "--out", str(target)])
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text())
    assert document["member"]["external_id"] == "M-DANA"
    assert document["counts"]["interactions"] == 3
    entry = AuditEntry.objects.get(action="member_data_exported")
    assert entry.actor is None
    assert entry.detail["via"].startswith("cli")


def test_msm_member_export_refuses_to_overwrite_without_force(dana, tmp_path):
    target = tmp_path / "dana.json"
    target.write_text("keep me")
    result = CliRunner().invoke(app, ["member", "export", "M-DANA", "--out", str(target)])
    assert result.exit_code == 2
    assert "--force" in result.output
    assert target.read_text() == "keep me"


def test_msm_member_export_of_an_unknown_member_exits_2(tmp_path):
    target = tmp_path / "x.json"
    result = CliRunner().invoke(app, ["member", "export", "M-NOBODY", "--out", str(target)])
    assert result.exit_code == 2
    assert "no member with ID 'M-NOBODY'" in result.output
    assert not target.exists()


def test_msm_member_erase_erases_with_reason_and_yes(dana):
    result = CliRunner().invoke(app, ["member", "erase", "M-DANA", "--reason", "Request 2024-117", "--yes", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["erased"]["interactions"] == 3
    assert printed["external_id_hash"] == external_id_hash("M-DANA")
    assert not Member.objects.filter(external_id="M-DANA").exists()
    assert AuditEntry.objects.get(action="member_erased").detail["via"].startswith("cli")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["M-DANA", "--yes"], "--reason is required"),
        (["M-DANA", "--reason", "  ", "--yes"], "--reason is required"),
        (["M-DANA", "--reason", "Request 2024-117"], "--yes"),
        (["M-NOBODY", "--reason", "Request 2024-117", "--yes"], "no member with ID 'M-NOBODY'"),
    ],
)
def test_msm_member_erase_refuses_bad_input_and_erases_nothing(dana, args, message):
    result = CliRunner().invoke(app, ["member", "erase", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert Member.objects.filter(external_id="M-DANA").exists()
    assert not AuditEntry.objects.filter(action="member_erased").exists()


# --- The member page, for admins -------------------------------------------------------------------------


def test_admins_see_export_and_erase_on_the_member_page(client, dana, admin):
    client.force_login(admin)
    page = client.get(f"/members/{dana.pk}/").content.decode()
    assert f"/members/{dana.pk}/data.json" in page
    assert f"/members/{dana.pk}/erase/" in page


@pytest.mark.parametrize("role", [Role.SUCCESS_MANAGER, Role.EXECUTIVE])
def test_other_roles_see_neither(client, dana, role):
    client.force_login(make_staff_user(role=role))
    page = client.get(f"/members/{dana.pk}/").content.decode()
    assert "data.json" not in page
    assert "/erase/" not in page


def test_the_download_is_the_export_as_a_json_attachment(client, dana, admin):
    client.force_login(admin)
    response = client.get(f"/members/{dana.pk}/data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="member-{dana.pk}-data.json"'
    assert json.loads(response.content)["member"]["external_id"] == "M-DANA"
    entry = AuditEntry.objects.get(action="member_data_exported")
    assert entry.actor == admin
    assert entry.detail["ip"] == "127.0.0.1"


def test_erasing_from_the_page_needs_the_member_id_typed_and_a_reason(client, dana, admin):
    client.force_login(admin)
    response = client.post(f"/members/{dana.pk}/erase/", {"confirm": "M-DAN", "reason": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Type M-DANA exactly to confirm the erasure." in page
    assert "This field is required." in page
    assert Member.objects.filter(pk=dana.pk).exists()


def test_erasing_from_the_page_erases_and_says_so(client, dana, admin):
    client.force_login(admin)
    response = client.post(f"/members/{dana.pk}/erase/", {"confirm": "M-DANA", "reason": "Request 2024-117"},
                           follow=True)
    assert response.redirect_chain[-1][0] == "/members/"
    assert "were erased (audit entry" in response.content.decode()
    assert not Member.objects.filter(pk=dana.pk).exists()
    assert AuditEntry.objects.get(action="member_erased").actor == admin
